import type { Duplex, Readable } from "node:stream";
import { Agent, type Dispatcher } from "undici";
import {
  CompShareAbortedError,
  type CompShareError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareTimeoutError,
} from "./errors.ts";

export interface TransportOptions {
  baseUrl: string;
  /** Injected by tests; when absent one keep-alive Agent is shared by every account. */
  dispatcher?: Dispatcher | undefined;
  connectTimeoutMs: number;
  /** Used when a post does not bring its own. */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxResponseBytes: number;
  /** Sent on every request, as both SDKs send theirs. */
  userAgent?: string | undefined;
}

export interface PostContext {
  action: string;
  /** Aborts the request; fired by either of the two below. */
  signal: AbortSignal;
  callerSignal: AbortSignal | undefined;
  deadlineSignal: AbortSignal;
  /** This call's own phase timeouts (a write waits longer than a read); the transport's otherwise. */
  headersTimeoutMs?: number | undefined;
  bodyTimeoutMs?: number | undefined;
}

export interface HttpExchange {
  status: number;
  requestId: string | undefined;
  retryAfter: string | undefined;
  text: string;
}

export interface Transport {
  /** POSTs one form body; failures come back as CompShare errors that say whether the request was sent. */
  post(form: string, context: PostContext): Promise<HttpExchange>;
  /** Closes the Agent the transport created; an injected dispatcher belongs to its owner. */
  close(): Promise<void>;
}

const REQUEST_ID_HEADER = "x-ucloud-request-uuid";

export function createTransport(options: TransportOptions): Transport {
  const url = new URL(options.baseUrl);
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    });

  async function post(form: string, context: PostContext): Promise<HttpExchange> {
    let requestSent = false;
    let requestId: string | undefined;
    try {
      const response = await dispatcher.compose(observeRequestStart(() => (requestSent = true))).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          ...(options.userAgent ? { "user-agent": options.userAgent } : {}),
        },
        body: form,
        signal: context.signal,
        headersTimeout: context.headersTimeoutMs ?? options.headersTimeoutMs,
        bodyTimeout: context.bodyTimeoutMs ?? options.bodyTimeoutMs,
      });
      requestId = headerValue(response.headers[REQUEST_ID_HEADER]);
      const text = await readCapped(response.body, options.maxResponseBytes);
      if (text === undefined) {
        throw new CompShareInvalidResponseError(`body larger than ${options.maxResponseBytes} bytes`, {
          action: context.action,
          requestId,
        });
      }
      return {
        status: response.statusCode,
        requestId,
        retryAfter: headerValue(response.headers["retry-after"]),
        text,
      };
    } catch (error) {
      if (error instanceof CompShareInvalidResponseError) throw error;
      throw toTransportError(error, { context, requestSent, requestId });
    }
  }

  return {
    post,
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The body as text, or undefined once it passes `max` bytes (the rest is not read). Data events
 * rather than `for await`: the async iterator costs a promise and a tick per chunk, which showed
 * in the client's per-call overhead beside raw undici.
 */
function readCapped(body: Readable, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        body.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    body.once("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    body.on("error", reject);
  });
}

/**
 * undici calls onRequestStart just before it writes the request to a socket. Until then the
 * server cannot have seen it; from then on it may have, whatever happens next.
 */
function observeRequestStart(onStart: () => void): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => dispatch(opts, new RequestStartObserver(handler, onStart));
}

class RequestStartObserver implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #onStart: () => void;

  constructor(inner: Dispatcher.DispatchHandler, onStart: () => void) {
    this.#inner = inner;
    this.#onStart = onStart;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
    // An already-aborted request is aborted right here, before undici writes a byte.
    if (!controller.aborted) this.#onStart();
  }
  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Dispatcher.ResponseData["headers"],
    socket: Duplex,
  ): void {
    this.#inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }
  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Dispatcher.ResponseData["headers"],
    statusMessage?: string,
  ): void {
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#inner.onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Dispatcher.ResponseData["headers"]): void {
    this.#inner.onResponseEnd?.(controller, trailers);
  }
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#inner.onResponseError?.(controller, error);
  }
  onRequestSent(): void {
    this.#inner.onRequestSent?.();
  }
}

interface FailureFacts {
  context: PostContext;
  requestSent: boolean;
  requestId: string | undefined;
}

/** undici's own errors, and a TypeError wrapping one as fetch does, mapped to the client's family. */
export function toTransportError(error: unknown, facts: FailureFacts): CompShareError {
  const { context, requestSent, requestId } = facts;
  const base = { action: context.action, requestId, requestSent, cause: error };
  if (context.callerSignal?.aborted) return new CompShareAbortedError(base);
  if (context.deadlineSignal.aborted) return new CompShareTimeoutError("deadline", base);
  const inner = error instanceof TypeError && error.cause !== undefined ? error.cause : error;
  const code = errorCode(inner);
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return new CompShareTimeoutError("connect", base);
    case "UND_ERR_HEADERS_TIMEOUT":
      return new CompShareTimeoutError("headers", base);
    case "UND_ERR_BODY_TIMEOUT":
      return new CompShareTimeoutError("body", base);
    default:
      return new CompShareNetworkError(code ?? (inner instanceof Error ? inner.name : "unknown failure"), base);
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
