import { setTimeout as delay } from "node:timers/promises";
import { pino } from "pino";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { Logger } from "../log.ts";
import { BOT_VERSION } from "../version.ts";
import {
  CompShareApiError,
  CompShareError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  mayHaveTakenEffect,
} from "./errors.ts";
import { type FlatParams, flattenParams, ParamEncodingError, type ParamValue } from "./params.ts";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy, withRetries } from "./retry.ts";
import {
  type CompShareImage,
  type CompShareInstance,
  type CreateCustomImageRequest,
  canonicalImagePage,
  createCustomImageRequestSchema,
  createCustomImageResponseSchema,
  type DescribeCustomImagesRequest,
  type DescribeImagesRequest,
  type DescribeInstancesRequest,
  type DescribeSharingImagesRequest,
  describeCustomImagesRequestSchema,
  describeImagesRequestSchema,
  describeInstancesRequestSchema,
  describeSharingImagesRequestSchema,
  type ImageCreateProgressRequest,
  type InstancePowerRequest,
  imageCreateProgressRequestSchema,
  imageCreateProgressResponseSchema,
  imagePageResponseSchema,
  instancePageResponseSchema,
  instancePowerRequestSchema,
  instancePowerResponseSchema,
  type ReinstallInstanceRequest,
  reinstallInstanceRequestSchema,
  reinstallResponseSchema,
  responseEnvelopeSchema,
  type UpdateImageRequest,
  updateImageRequestSchema,
} from "./schemas.ts";
import { signParams } from "./signature.ts";
import { createTransport, type HttpExchange, type Transport } from "./transport.ts";

export interface CompShareAccount {
  publicKey: string;
  privateKey: string;
  region: string;
  zone: string;
  projectId?: string | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** The whole call's budget, retries included; overrides the API's default. */
  deadlineMs?: number | undefined;
}

export interface CallEvent {
  action: string;
  outcome: "ok" | CompShareError["code"];
  retCode?: number | undefined;
  requestId?: string | undefined;
  /** Requests sent or tried; 0 when the params failed validation. */
  attempts: number;
  durationMs: number;
}

/** One call's budgets: per attempt for the headers and the body, and the whole call's deadline. */
export interface CallTimeouts {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  deadlineMs: number;
}

export interface CompShareApiOptions {
  baseUrl: string;
  dispatcher?: Dispatcher | undefined;
  connectTimeoutMs?: number | undefined;
  /** These three override the defaults for reads and writes alike (tests, doctor). */
  headersTimeoutMs?: number | undefined;
  bodyTimeoutMs?: number | undefined;
  deadlineMs?: number | undefined;
  /** Finer overrides of READ_TIMEOUTS and WRITE_TIMEOUTS; they win over the three above. */
  timeouts?: { read?: Partial<CallTimeouts> | undefined; write?: Partial<CallTimeouts> | undefined } | undefined;
  maxResponseBytes?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  logger?: Logger | undefined;
  /** Once per logical call, after any retries: the hook for metrics. */
  onCall?: ((event: CallEvent) => void) | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  /** For durations and the retry loop's deadline arithmetic; the deadline itself fires on a real timer. */
  clock?: (() => number) | undefined;
}

export interface ImagePage {
  TotalCount: number;
  ImageSet: CompShareImage[];
  requestId?: string | undefined;
}

export interface InstancePage {
  TotalCount: number;
  UHostSet: CompShareInstance[];
  requestId?: string | undefined;
}

/** GetCompShareImageCreateProgress: how far a CreateCompShareCustomImage has got. */
export interface ImageCreateProgress {
  /** 0 to 100 (the API's own field name). */
  Process: number;
  /** Seconds the platform estimates are left; absent when it gives no estimate. */
  RemainingDuration?: number | undefined;
  /** Seconds the platform estimates the whole creation takes. */
  TotalDuration?: number | undefined;
  requestId?: string | undefined;
}

export interface CompShareClient {
  /** DescribeCompShareImages: platform images. */
  describeImages(req: DescribeImagesRequest, opts?: CallOptions): Promise<ImagePage>;
  /** DescribeCompShareCustomImages: the account's own images. */
  describeCustomImages(req: DescribeCustomImagesRequest, opts?: CallOptions): Promise<ImagePage>;
  /** DescribeCompShareSharingImages: images other accounts share with this one. */
  describeSharingImages(req: DescribeSharingImagesRequest, opts?: CallOptions): Promise<ImagePage>;
  /** DescribeCompShareInstance. */
  describeInstances(req: DescribeInstancesRequest, opts?: CallOptions): Promise<InstancePage>;
  /** UpdateCompShareImage; never retried. */
  updateImage(req: UpdateImageRequest, opts?: CallOptions): Promise<{ requestId?: string | undefined }>;
  /** ReinstallCompShareInstance; never retried. */
  reinstallInstance(
    req: ReinstallInstanceRequest,
    opts?: CallOptions,
  ): Promise<{ UHostId: string; requestId?: string | undefined }>;
  /** StopCompShareInstance (Running → Stopping → Stopped); never retried. */
  stopInstance(
    req: InstancePowerRequest,
    opts?: CallOptions,
  ): Promise<{ UHostId: string; requestId?: string | undefined }>;
  /** StartCompShareInstance (Stopped → Starting → Running); never retried. */
  startInstance(
    req: InstancePowerRequest,
    opts?: CallOptions,
  ): Promise<{ UHostId: string; requestId?: string | undefined }>;
  /** RebootCompShareInstance (Running → Rebooting → Running); never retried. */
  rebootInstance(
    req: InstancePowerRequest,
    opts?: CallOptions,
  ): Promise<{ UHostId: string; requestId?: string | undefined }>;
  /** CreateCompShareCustomImage from an instance's system disk; never retried. */
  createCustomImage(
    req: CreateCustomImageRequest,
    opts?: CallOptions,
  ): Promise<{ CompShareImageId: string; requestId?: string | undefined }>;
  /** GetCompShareImageCreateProgress; a read, so retried. */
  getImageCreateProgress(req: ImageCreateProgressRequest, opts?: CallOptions): Promise<ImageCreateProgress>;
  /** Any action, params passed through as given (for the CLI); retried only when it is a read (Describe*, Get*). */
  call(
    action: string,
    params: Record<string, ParamValue>,
    opts?: CallOptions,
  ): Promise<{ body: Record<string, unknown>; requestId?: string | undefined }>;
}

export interface CompShareApi {
  forAccount(account: CompShareAccount): CompShareClient;
  /** Closes the shared connection pool (not an injected dispatcher). */
  close(): Promise<void>;
}

const DEFAULTS = {
  /** Until the socket is connected nothing was sent, so even a write fails safely here. */
  connectTimeoutMs: 5_000,
  maxResponseBytes: 8 * 1024 * 1024,
};

/**
 * Reads answer a person waiting in Slack and are retried on a slow attempt, so they keep a
 * tight budget.
 */
export const READ_TIMEOUTS: Readonly<CallTimeouts> = Object.freeze({
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  deadlineMs: 15_000,
});

/**
 * Writes get the 30 s both official SDKs give every request (Go: config Timeout 30s, one
 * http.Client deadline; Python: requests' timeout=30). A write is never retried, and one cut
 * short after it was sent is an unknown outcome someone has to settle by hand, so giving up
 * sooner than the vendor's own clients turns slow successes into needless unknowns. The
 * gateway itself gives up at 60 s (RetCode 110); the SDKs do not wait that long either.
 */
export const WRITE_TIMEOUTS: Readonly<CallTimeouts> = Object.freeze({
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  deadlineMs: 30_000,
});

/** "compshare-bot/0.1.0 Node.js/24.1.0": who is calling, as both SDKs name themselves. */
export const USER_AGENT = `compshare-bot/${BOT_VERSION} Node.js/${process.versions.node}`;

/** Everything a call needs that is the same for every account. */
interface Engine {
  transport: Transport;
  logger: Logger;
  /** Whether debug lines are wanted: checked before building one on every call's hot path. */
  debug: boolean;
  policy: RetryPolicy;
  timeouts: { read: CallTimeouts; write: CallTimeouts };
  onCall: ((event: CallEvent) => void) | undefined;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  clock: () => number;
}

export function createCompShareApi(options: CompShareApiOptions): CompShareApi {
  const logger = (options.logger ?? pino({ level: "silent" })).child({ component: "compshare" });
  const engine: Engine = {
    transport: createTransport({
      baseUrl: options.baseUrl,
      dispatcher: options.dispatcher,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      headersTimeoutMs: READ_TIMEOUTS.headersTimeoutMs,
      bodyTimeoutMs: READ_TIMEOUTS.bodyTimeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      userAgent: USER_AGENT,
    }),
    logger,
    debug: logger.isLevelEnabled("debug"),
    policy: { ...DEFAULT_RETRY_POLICY, ...definedOnly(options.retry ?? {}) },
    timeouts: callTimeouts(options),
    onCall: options.onCall,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    random: options.random ?? Math.random,
    clock: options.clock ?? Date.now,
  };
  return {
    // The private key is never logged, sent or kept in an error, so the log scrubber need not know it.
    forAccount: (account) => createClient(engine, account),
    close: () => engine.transport.close(),
  };
}

function callTimeouts(options: CompShareApiOptions): { read: CallTimeouts; write: CallTimeouts } {
  const everyCall = definedOnly({
    headersTimeoutMs: options.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
    deadlineMs: options.deadlineMs,
  });
  return {
    read: { ...READ_TIMEOUTS, ...everyCall, ...definedOnly(options.timeouts?.read ?? {}) },
    write: { ...WRITE_TIMEOUTS, ...everyCall, ...definedOnly(options.timeouts?.write ?? {}) },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function createClient(engine: Engine, account: CompShareAccount): CompShareClient {
  const imagePage =
    (action: string, schema: z.ZodType<Record<string, ParamValue>, unknown>) =>
    async (req: unknown, opts?: CallOptions): Promise<ImagePage> => {
      const { value, requestId } = await execute(engine, account, action, opts, {
        params: () => validated(schema, req, action),
        decode: (body, context) => {
          const page = canonicalImagePage(body) ?? decoded(imagePageResponseSchema, body, context);
          const images = page.ImageSet ?? [];
          return { TotalCount: page.TotalCount ?? images.length, ImageSet: images };
        },
      });
      return { ...value, requestId };
    };

  const powerAction =
    (action: string) =>
    async (
      req: InstancePowerRequest,
      opts?: CallOptions,
    ): Promise<{ UHostId: string; requestId?: string | undefined }> => {
      const { value, requestId } = await execute(engine, account, action, opts, {
        params: () => validated(instancePowerRequestSchema, req, action),
        decode: (body, context) => decoded(instancePowerResponseSchema, body, context).UHostId ?? req.UHostId,
      });
      return { UHostId: value, requestId };
    };

  return {
    describeImages: imagePage("DescribeCompShareImages", describeImagesRequestSchema),
    describeCustomImages: imagePage("DescribeCompShareCustomImages", describeCustomImagesRequestSchema),
    describeSharingImages: imagePage("DescribeCompShareSharingImages", describeSharingImagesRequestSchema),

    async describeInstances(req, opts) {
      const action = "DescribeCompShareInstance";
      const { value, requestId } = await execute(engine, account, action, opts, {
        params: () => validated(describeInstancesRequestSchema, req, action),
        decode: (body, context) => {
          const page = decoded(instancePageResponseSchema, body, context);
          const instances = page.UHostSet ?? [];
          return { TotalCount: page.TotalCount ?? instances.length, UHostSet: instances };
        },
      });
      return { ...value, requestId };
    },

    async updateImage(req, opts) {
      const action = "UpdateCompShareImage";
      const { requestId } = await execute(engine, account, action, opts, {
        params: () => validated(updateImageRequestSchema, req, action),
        decode: () => undefined,
      });
      return { requestId };
    },

    async reinstallInstance(req, opts) {
      const action = "ReinstallCompShareInstance";
      const { value, requestId } = await execute(engine, account, action, opts, {
        params: () => validated(reinstallInstanceRequestSchema, req, action),
        decode: (body, context) => decoded(reinstallResponseSchema, body, context).UHostId ?? req.UHostId,
      });
      return { UHostId: value, requestId };
    },

    stopInstance: powerAction("StopCompShareInstance"),
    startInstance: powerAction("StartCompShareInstance"),
    rebootInstance: powerAction("RebootCompShareInstance"),

    async createCustomImage(req, opts) {
      const action = "CreateCompShareCustomImage";
      const { value, requestId } = await execute(engine, account, action, opts, {
        params: () => validated(createCustomImageRequestSchema, req, action),
        decode: (body, context) => decoded(createCustomImageResponseSchema, body, context).CompShareImageId,
      });
      return { CompShareImageId: value, requestId };
    },

    async getImageCreateProgress(req, opts) {
      const action = "GetCompShareImageCreateProgress";
      const { value, requestId } = await execute(engine, account, action, opts, {
        params: () => validated(imageCreateProgressRequestSchema, req, action),
        decode: (body, context) => {
          const { Process, RemainingDuration, TotalDuration } = decoded(
            imageCreateProgressResponseSchema,
            body,
            context,
          );
          return { Process, RemainingDuration, TotalDuration };
        },
      });
      return { ...value, requestId };
    },

    async call(action, params, opts) {
      const { value, requestId } = await execute(engine, account, action, opts, {
        params: () => {
          if (action.trim() === "")
            throw new CompShareRequestError([{ path: "Action", message: "required" }], { action });
          return params;
        },
        decode: (body) => body,
      });
      return { body: value, requestId };
    },
  };
}

function validated<T>(schema: z.ZodType<T, unknown>, input: unknown, action: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  throw new CompShareRequestError(issues, { action });
}

function decoded<T>(schema: z.ZodType<T, unknown>, body: Record<string, unknown>, context: DecodeContext): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  // Paths only: values could be anything the server chose to send.
  const where = result.error.issues.map((issue) => issue.path.map(String).join(".") || "(root)").join(", ");
  throw new CompShareInvalidResponseError(`unexpected shape at ${where}`, context);
}

interface CallSpec<T> {
  /** The action's own params, validated; throws CompShareRequestError. */
  params: () => Record<string, ParamValue>;
  /** Turns a RetCode-0 body into the result; throws CompShareInvalidResponseError. */
  decode: (body: Record<string, unknown>, context: DecodeContext) => T;
}

interface DecodeContext {
  action: string;
  requestId: string | undefined;
}

/** What the per-call log line and metrics event report, filled in as attempts happen. */
interface CallRecord {
  attempts: number;
  requestId: string | undefined;
  retCode: number | undefined;
}

async function execute<T>(
  engine: Engine,
  account: CompShareAccount,
  action: string,
  opts: CallOptions | undefined,
  spec: CallSpec<T>,
): Promise<{ value: T; requestId: string | undefined }> {
  const started = engine.clock();
  const record: CallRecord = { attempts: 0, requestId: undefined, retCode: undefined };
  const isRead = isReadAction(action);
  const timeouts = isRead ? engine.timeouts.read : engine.timeouts.write;
  const deadlineMs = opts?.deadlineMs ?? timeouts.deadlineMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  const callerSignal = opts?.signal;
  const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
  try {
    const { form, signature } = encodeRequest(account, action, spec.params());
    const attempt = async (n: number): Promise<T> => {
      record.attempts = n;
      const attemptStarted = engine.clock();
      try {
        const exchange = await engine.transport.post(form, {
          action,
          signal,
          callerSignal,
          deadlineSignal: deadline.signal,
          headersTimeoutMs: timeouts.headersTimeoutMs,
          bodyTimeoutMs: timeouts.bodyTimeoutMs,
        });
        record.requestId = exchange.requestId;
        const body = parseEnvelope(exchange, action, engine.clock(), [account.privateKey, signature]);
        record.retCode = 0;
        const value = spec.decode(body, { action, requestId: exchange.requestId });
        if (engine.debug) {
          engine.logger.debug(
            { action, attempt: n, requestId: exchange.requestId, durationMs: engine.clock() - attemptStarted },
            "compshare attempt succeeded",
          );
        }
        return value;
      } catch (error) {
        if (error instanceof CompShareError) {
          record.requestId = error.requestId ?? record.requestId;
          if (error instanceof CompShareApiError) record.retCode = error.retCode;
          engine.logger.debug(
            {
              action,
              attempt: n,
              code: error.code,
              requestId: error.requestId,
              retCode: error instanceof CompShareApiError ? error.retCode : undefined,
              durationMs: engine.clock() - attemptStarted,
            },
            "compshare attempt failed",
          );
        }
        throw error;
      }
    };
    const value = await withRetries(attempt, {
      isRead,
      policy: engine.policy,
      deadlineAt: started + deadlineMs,
      clock: engine.clock,
      sleep: engine.sleep,
      random: engine.random,
      signal,
    });
    report(engine, { action, outcome: "ok", ...record, durationMs: engine.clock() - started });
    return { value, requestId: record.requestId };
  } catch (thrown) {
    if (!(thrown instanceof CompShareError)) throw thrown;
    const error = !isRead && mayHaveTakenEffect(thrown) ? new CompShareOutcomeUnknownError(thrown) : thrown;
    const durationMs = engine.clock() - started;
    engine.logger.warn(
      { action, code: error.code, ...record, durationMs, err: error },
      `compshare ${action} failed: ${error.code}`,
    );
    report(engine, { action, outcome: error.code, ...record, durationMs });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Describe* and Get* (GetCompShareImageCreateProgress) are reads: they may be retried and get the
 * shorter read timeouts. Everything else is a mutation, sent at most once.
 */
export function isReadAction(action: string): boolean {
  return action.startsWith("Describe") || action.startsWith("Get");
}

/** A broken metrics hook must not turn a finished call, a reinstall say, into a failure. */
function report(engine: Engine, event: CallEvent): void {
  try {
    engine.onCall?.(event);
  } catch (error) {
    engine.logger.error({ err: error, action: event.action }, "compshare onCall hook threw");
  }
}

/**
 * Actions whose Zone is only an optional narrowing: both SDKs mark it required=False, and
 * neither the Python SDK (it has no zone setting) nor the vendor pages' examples send it.
 * DescribeCompShareInstance lists "all matching instances of the Region" (SDK doc of UHostIds),
 * so a Zone there would hide the region's other zones; platform and shared images are not kept
 * per zone. The account's zone is sent only when the request names one itself. Every other
 * action, the writes and DescribeCompShareCustomImages among them, takes Zone as required in
 * both SDKs and gets the account's.
 */
const ZONE_OPTIONAL_ACTIONS: ReadonlySet<string> = new Set([
  "DescribeCompShareImages",
  "DescribeCompShareSharingImages",
  "DescribeCompShareInstance",
]);

/**
 * DESIGN §3: the flattened params with Action, location and PublicKey, signed, then sent as a
 * form whose values are exactly the strings that were signed.
 */
function encodeRequest(
  account: CompShareAccount,
  action: string,
  params: Record<string, ParamValue>,
): { form: string; signature: string } {
  const { Region, Zone, ProjectId, ...own } = params;
  let flat: FlatParams;
  try {
    flat = flattenParams({
      Region: Region ?? account.region,
      Zone: Zone ?? (ZONE_OPTIONAL_ACTIONS.has(action) ? undefined : account.zone),
      ProjectId: ProjectId ?? (account.projectId || undefined),
      ...own,
      Action: action,
    });
  } catch (error) {
    if (!(error instanceof ParamEncodingError)) throw error;
    throw new CompShareRequestError([{ path: error.key, message: error.message }], { action, cause: error });
  }
  delete flat.Signature;
  flat.PublicKey = account.publicKey;
  const signature = signParams(flat, account.publicKey, account.privateKey);
  return { form: new URLSearchParams({ ...flat, Signature: signature }).toString(), signature };
}

/** Non-2xx, then JSON, then RetCode; any RetCode but 0 is the API saying no. */
function parseEnvelope(
  exchange: HttpExchange,
  action: string,
  now: number,
  secrets: readonly string[],
): Record<string, unknown> {
  const { status, requestId } = exchange;
  if (status < 200 || status >= 300) {
    const honoursRetryAfter = status === 429 || status === 503;
    const retryAfterMs = honoursRetryAfter ? parseRetryAfter(exchange.retryAfter, now) : undefined;
    throw new CompShareHttpError(status, { action, requestId, retryAfterMs });
  }
  let body: unknown;
  try {
    body = JSON.parse(exchange.text);
  } catch (error) {
    throw new CompShareInvalidResponseError("body is not JSON", { action, requestId, cause: error });
  }
  const envelope = responseEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new CompShareInvalidResponseError("body has no numeric RetCode", { action, requestId });
  }
  const { RetCode, Message } = envelope.data;
  if (RetCode !== 0) {
    throw new CompShareApiError(RetCode, redactEchoes(Message ?? "", secrets), { action, requestId });
  }
  // The body as parsed, not a copy: the action's decoder reads it once.
  return body as Record<string, unknown>;
}

/** A server that echoes what it was sent must not smuggle the key or signature into our errors. */
function redactEchoes(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== "") out = out.replaceAll(secret, "[REDACTED]");
  return out;
}
