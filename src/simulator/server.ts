import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { FlatParams } from "../compshare/params.ts";
import type { Logger } from "../log.ts";
import { type ApiAnswer, answerApiCall, envelope } from "./api.ts";
import type { Fault, FaultInjector } from "./faults.ts";
import { BodyTooLargeError, parseParams, readBody } from "./request-params.ts";
import { ApiError } from "./retcodes.ts";
import type { SimulatorState } from "./state.ts";

/** One request as the simulator saw it; client tests count calls and retries from these. */
export interface RecordedRequest {
  action: string;
  /** Every param except Signature, which is never kept. */
  params: Record<string, string>;
  /** The User-Agent header, when the caller sent one. */
  userAgent?: string;
  /** Set once the signature checked out. */
  accountId?: string;
  /** Undefined when no API envelope was sent (HTTP fault, drop, malformed body). */
  retCode: number | undefined;
  /** 0 when the connection was dropped without an answer. */
  httpStatus: number;
  /** ms epoch from the simulator's clock, when the request arrived. */
  at: number;
  requestId: string;
  fault?: Fault["kind"];
  /** With an `afterAction` fault: the RetCode the action itself came to, though the client never saw it. */
  actedRetCode?: number;
}

export interface RequestHandlerDeps {
  state: SimulatorState;
  faults: FaultInjector;
  requests: RecordedRequest[];
  clock: () => number;
  logger: Logger | undefined;
  /** Aborted by close(), so a request held by a latency fault does not keep the process alive. */
  closing: AbortSignal;
}

export const REQUEST_ID_HEADER = "X-UCLOUD-REQUEST-UUID";

type Outcome = Pick<RecordedRequest, "retCode" | "httpStatus" | "accountId" | "actedRetCode">;

export interface RequestHandler {
  listener: RequestListener;
  /** Resolves once every request taken so far is answered, dropped or abandoned. */
  settled(): Promise<void>;
}

export function createRequestHandler(deps: RequestHandlerDeps): RequestHandler {
  const inFlight = new Set<Promise<void>>();
  const listener: RequestListener = (request, response) => {
    const handling = handle(request, response, deps).catch((error: unknown) => {
      deps.logger?.error({ err: error }, "simulator failed to answer a request");
      if (!response.headersSent) sendText(response, 500, "simulator internal error", undefined);
      else response.destroy();
    });
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  };
  return {
    listener,
    settled: async () => {
      await Promise.all(inFlight);
    },
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, deps: RequestHandlerDeps): Promise<void> {
  const requestId = randomUUID();
  const at = deps.clock();
  let body: Buffer;
  try {
    body = await readBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendText(response, 413, error.message, requestId);
    // Otherwise the client went away mid-body, and there is no one to answer.
    return;
  }
  let params: FlatParams = {};
  let parseError: ApiError | undefined;
  try {
    params = parseParams(body, request.headers["content-type"], request.url);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    parseError = error;
  }
  const action = params.Action ?? "";
  const fault = deps.faults.take(action);
  const userAgent = request.headers["user-agent"];
  const record = (outcome: Outcome) => {
    const { Signature: _signature, ...kept } = params;
    deps.requests.push({
      action,
      params: kept,
      ...(userAgent === undefined ? {} : { userAgent }),
      ...outcome,
      at,
      requestId,
      ...(fault ? { fault: fault.kind } : {}),
    });
    deps.logger?.debug(
      { action, retCode: outcome.retCode, httpStatus: outcome.httpStatus, requestId, fault: fault?.kind },
      "simulator request",
    );
  };

  const run = (): ApiAnswer =>
    parseError === undefined
      ? answerApiCall(params, deps.state, { endsInInstallFail: fault?.kind === "installFail" })
      : {
          retCode: parseError.retCode,
          accountId: undefined,
          body: envelope(action, parseError.retCode, parseError.message),
        };
  if (fault !== undefined) {
    const acted = "afterAction" in fault && fault.afterAction === true ? run() : undefined;
    const answered = await applyFault(fault, { action, request, response, requestId, closing: deps.closing });
    if (answered !== undefined) {
      record({ ...answered, ...(acted ? { actedRetCode: acted.retCode, accountId: acted.accountId } : {}) });
      return;
    }
  }
  const answer = run();
  if (fault?.kind === "deleteInstance") deleteNamedInstance(deps.state, params.UHostId);
  sendJson(response, 200, answer.body, requestId);
  record({ retCode: answer.retCode, httpStatus: 200, accountId: answer.accountId });
}

function deleteNamedInstance(state: SimulatorState, uhostId: string | undefined): void {
  if (uhostId !== undefined && state.getInstance(uhostId) !== undefined) state.deleteInstance(uhostId);
}

/**
 * Acts out a fault. Returns what was answered, or undefined when the request should now be
 * answered normally (after a latency fault).
 */
async function applyFault(
  fault: Fault,
  context: {
    action: string;
    request: IncomingMessage;
    response: ServerResponse;
    requestId: string;
    closing: AbortSignal;
  },
): Promise<Outcome | undefined> {
  const { action, request, response, requestId } = context;
  switch (fault.kind) {
    case "latency":
      try {
        // A client that gives up meanwhile does not stop the call, as on the real API: the
        // action still runs, and the client cannot know. Only close() ends the wait.
        await sleep(fault.ms, undefined, { signal: context.closing });
      } catch {
        response.destroy();
        return { retCode: undefined, httpStatus: 0 };
      }
      return undefined;
    case "http":
      if (fault.status === 502) sendText(response, 502, "502 Bad Gateway", requestId);
      else if (fault.status === 500) sendText(response, 500, "500 Internal Server Error", requestId);
      else {
        const message = fault.status === 429 ? "Too Many Requests" : "Service Unavailable";
        sendJson(response, fault.status, { message }, requestId, { "Retry-After": "1" });
      }
      return { retCode: undefined, httpStatus: fault.status };
    case "retcode":
      sendJson(
        response,
        200,
        envelope(action, fault.retCode, fault.message ?? defaultFaultMessage(fault.retCode)),
        requestId,
      );
      return { retCode: fault.retCode, httpStatus: 200 };
    case "drop":
      request.socket.destroy();
      return { retCode: undefined, httpStatus: 0 };
    case "malformed":
      // Truncated JSON under a JSON content type: the client must not trust the header alone.
      send(
        response,
        200,
        `{"Action":"${action}Response","RetCode":0,"ImageSet":[{"Name":`,
        "application/json; charset=utf-8",
        requestId,
      );
      return { retCode: undefined, httpStatus: 200 };
    case "installFail":
    case "deleteInstance":
      // These change what the action does, not how it is answered.
      return undefined;
  }
}

function defaultFaultMessage(retCode: number): string {
  if (retCode === 110) return "API response timeout";
  if (retCode === 130) return "API gateway or authentication service error";
  if (retCode === 150) return "Service unavailable, please try again later";
  if (retCode === 153) return "API request rate limited";
  return `simulated error ${retCode}`;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  send(response, status, JSON.stringify(body), "application/json; charset=utf-8", requestId, headers);
}

function sendText(response: ServerResponse, status: number, text: string, requestId: string | undefined): void {
  send(response, status, text, "text/plain; charset=utf-8", requestId);
}

function send(
  response: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  requestId: string | undefined,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(text, "utf8");
  response.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": String(body.length),
    ...(requestId === undefined ? {} : { [REQUEST_ID_HEADER]: requestId }),
    ...headers,
  });
  response.end(body);
}
