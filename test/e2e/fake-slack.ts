import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback fake of the Slack Web API and of response_url endpoints. It records every call
 * (method, decoded arguments, the token it came with) and answers the methods the bot uses.
 * Failures can be scripted per method: ok:false with an error code, an HTTP status, or a 429.
 */

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FileDownload {
  fileId: string;
  authorization: string | undefined;
}

export type SlackFailure =
  | { kind: "error"; error: string }
  | { kind: "status"; status: number }
  /** Slack did the work (posted, updated) and then answered this HTTP status: the ambiguous failure. */
  | { kind: "statusAfterEffect"; status: number }
  | { kind: "ratelimit"; retryAfterSeconds: number };

export interface FakeFile {
  name: string;
  mimetype: string;
  filetype?: string;
  content: Buffer;
  /** Reported size; defaults to content.length (a test may lie to check the bot re-measures). */
  size?: number;
}

/** A file the bot uploaded with files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal). */
export interface FakeUpload {
  fileId: string;
  filename: string;
  length: number;
  /** What was posted to the upload URL; undefined until then. */
  content?: string;
  /** Set by files.completeUploadExternal: where the file was shared. */
  channelId?: string;
  title?: string;
  completed: boolean;
}

export interface FakeUser {
  locale?: string;
  name?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export const FAKE_TEAM_ID = "T0FAKE001";
export const FAKE_BOT_USER_ID = "U0BOT0001";
export const FAKE_BOT_ID = "B0BOT0001";

interface ScriptedFailure {
  failure: SlackFailure;
  remaining: number;
  /** Only calls whose arguments match fail (e.g. one channel); every call when absent. */
  when?: ((args: Record<string, unknown>) => boolean) | undefined;
}

interface StoredView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  userId?: string;
  /** The trigger_id of the views.open or views.push that created it. */
  triggerId?: string;
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly downloads: FileDownload[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly usergroups = new Map<string, string[]>();
  readonly files = new Map<string, FakeFile>();
  /** Messages posted with chat.postMessage, by `${channel}/${ts}`; chat.update edits them, chat.delete removes them. */
  readonly messages = new Map<string, Record<string, unknown>>();
  readonly views = new Map<string, StoredView>();
  /** Home tabs published, by user id. */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** Files uploaded by the bot, by file id. */
  readonly uploads = new Map<string, FakeUpload>();

  #server: Server;
  #url = "";
  #failures = new Map<string, ScriptedFailure[]>();
  #responseUrlStatus = new Map<string, number>();
  #tsCounter = 0;
  /** What apps.connections.open hands out, for Socket Mode tests. */
  socketModeUrl: string | undefined;
  /** Replaces apps.connections.open's whole answer when set (e.g. ok without a URL). */
  socketModeAnswer: Record<string, unknown> | undefined;
  #waiters: (() => void)[] = [];

  private constructor() {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  }

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    const { port } = fake.#server.address() as AddressInfo;
    fake.#url = `http://127.0.0.1:${port}/`;
    return fake;
  }

  /** Base for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.#url}api/`;
  }

  /** A fresh response_url; posts to it are recorded under its id. */
  responseUrl(id: string = randomUUID()): string {
    return `${this.#url}respond/${id}`;
  }

  /** Makes the given response_url answer with an HTTP error from now on (expired, used up). */
  failResponseUrl(id: string, status: number): void {
    this.#responseUrlStatus.set(id, status);
  }

  fileUrl(fileId: string): string {
    return `${this.#url}files/${fileId}`;
  }

  /** The next `times` calls of `method` (those `when` accepts) fail as described. */
  fail(method: string, failure: SlackFailure, times = 1, when?: (args: Record<string, unknown>) => boolean): void {
    const list = this.#failures.get(method) ?? [];
    list.push({ failure, remaining: times, when });
    this.#failures.set(method, list);
  }

  /** The view (as it is now, after any views.update) that a views.open or views.push with this trigger created. */
  viewOpenedBy(triggerId: string): StoredView | undefined {
    for (const view of this.views.values()) if (view.triggerId === triggerId) return view;
    return undefined;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): ResponseUrlPost[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** Resolves once `predicate` holds, re-checked after every recorded call or post. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000, what = "condition"): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #notify(): void {
    const waiters = this.#waiters.splice(0);
    for (const wake of waiters) wake();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? "/", this.#url).pathname;
    if (path.startsWith("/respond/")) {
      const id = path.slice("/respond/".length);
      const status = this.#responseUrlStatus.get(id);
      if (status !== undefined) {
        res.writeHead(status).end("expired_url");
        return;
      }
      this.responses.push({ id, body: JSON.parse(body) as Record<string, unknown>, at: Date.now() });
      this.#notify();
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    if (path.startsWith("/files/")) {
      const fileId = path.slice("/files/".length);
      this.downloads.push({ fileId, authorization: req.headers.authorization });
      this.#notify();
      const file = this.files.get(fileId);
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      if (req.headers.authorization === undefined) {
        // Slack answers an HTML login page, not the file, when the token is missing.
        res.writeHead(200, { "content-type": "text/html" }).end("<html>sign in</html>");
        return;
      }
      res.writeHead(200, { "content-type": file.mimetype }).end(file.content);
      return;
    }
    if (path.startsWith("/upload/")) {
      const upload = this.uploads.get(path.slice("/upload/".length));
      if (!upload) {
        res.writeHead(404).end();
        return;
      }
      // The Web API client posts the bytes as multipart form data, in a field named "body".
      const form = await new Response(body, {
        headers: { "content-type": req.headers["content-type"] ?? "" },
      }).formData();
      const part = form.get("body");
      upload.content = typeof part === "string" ? part : await (part as Blob).text();
      this.#notify();
      res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${upload.content.length}`);
      return;
    }
    if (!path.startsWith("/api/")) {
      res.writeHead(404).end();
      return;
    }
    const method = path.slice("/api/".length);
    const args = decodeArgs(body, req.headers["content-type"]);
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : typeof args.token === "string" ? args.token : undefined;
    this.calls.push({ method, args, token, at: Date.now() });
    this.#notify();

    const failure = this.#takeFailure(method, args);
    if (failure) {
      if (failure.kind === "statusAfterEffect") {
        this.#answer(method, args);
        res.writeHead(failure.status, { "content-type": "text/plain" }).end("upstream trouble");
      } else if (failure.kind === "status") {
        res.writeHead(failure.status, { "content-type": "text/plain" }).end("upstream trouble");
      } else if (failure.kind === "ratelimit") {
        res
          .writeHead(429, { "content-type": "application/json", "retry-after": String(failure.retryAfterSeconds) })
          .end(JSON.stringify({ ok: false, error: "ratelimited" }));
      } else {
        json(res, { ok: false, error: failure.error });
      }
      return;
    }
    json(res, this.#answer(method, args));
  }

  #takeFailure(method: string, args: Record<string, unknown>): SlackFailure | undefined {
    const list = this.#failures.get(method);
    const index = list?.findIndex((scripted) => scripted.when === undefined || scripted.when(args)) ?? -1;
    const next = list?.[index];
    if (!list || !next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) list.splice(index, 1);
    return next.failure;
  }

  #answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://fake.slack.test/",
          team: "Fake Team",
          user: "compshare",
          team_id: FAKE_TEAM_ID,
          user_id: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
        };
      case "apps.connections.open":
        if (this.socketModeAnswer) return this.socketModeAnswer;
        return this.socketModeUrl
          ? { ok: true, url: this.socketModeUrl }
          : { ok: false, error: "not_allowed_token_type" };
      case "chat.postMessage": {
        const channel = String(args.channel);
        const ts = this.#nextTs();
        this.messages.set(`${channel}/${ts}`, args);
        return { ok: true, channel, ts, message: { ...args, ts } };
      }
      case "chat.update": {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        if (!this.messages.has(key)) return { ok: false, error: "message_not_found" };
        this.messages.set(key, args);
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case "conversations.history": {
        const channel = String(args.channel);
        const oldest = Number(args.oldest ?? 0);
        const messages = [...this.messages.entries()]
          .filter(([key]) => key.startsWith(`${channel}/`))
          .map(([key, message]) => ({ ...message, ts: key.slice(channel.length + 1) }))
          .filter((message) => Number(message.ts) >= oldest)
          .reverse();
        return { ok: true, messages, has_more: false };
      }
      case "chat.delete": {
        const deleted = this.messages.delete(`${String(args.channel)}/${String(args.ts)}`);
        return deleted ? { ok: true } : { ok: false, error: "message_not_found" };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.#nextTs() };
      case "chat.getPermalink":
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://fake.slack.test/archives/${String(args.channel)}/p${String(args.message_ts).replace(".", "")}`,
        };
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users ?? "X").slice(1)}` } };
      case "views.open":
      case "views.push":
        return { ok: true, view: this.#storeView(undefined, args) };
      case "views.update": {
        const id = String(args.view_id ?? "");
        const existing = this.views.get(id);
        if (!existing) return { ok: false, error: "not_found" };
        if (args.hash !== undefined && args.hash !== existing.hash) return { ok: false, error: "hash_conflict" };
        return { ok: true, view: this.#storeView(id, args) };
      }
      case "views.publish": {
        const userId = String(args.user_id);
        this.homes.set(userId, parseView(args.view));
        return { ok: true, view: { id: `VHOME${userId}`, hash: randomUUID(), ...parseView(args.view) } };
      }
      case "users.info": {
        const id = String(args.user);
        const user = this.users.get(id) ?? {};
        if (user.deleted) return { ok: false, error: "user_not_found" };
        const record: Record<string, unknown> = {
          id,
          name: user.name ?? id.toLowerCase(),
          real_name: user.name ?? id,
          is_bot: user.isBot ?? false,
          tz: "Asia/Shanghai",
        };
        if (args.include_locale === true || args.include_locale === "true") record.locale = user.locale ?? "en-US";
        return { ok: true, user: record };
      }
      case "usergroups.users.list": {
        const users = this.usergroups.get(String(args.usergroup));
        return users ? { ok: true, users } : { ok: false, error: "no_such_subteam" };
      }
      case "files.info": {
        const id = String(args.file);
        const file = this.files.get(id);
        if (!file) return { ok: false, error: "file_not_found" };
        return {
          ok: true,
          file: {
            id,
            name: file.name,
            mimetype: file.mimetype,
            filetype: file.filetype ?? file.name.split(".").pop(),
            size: file.size ?? file.content.length,
            url_private: this.fileUrl(id),
            url_private_download: this.fileUrl(id),
          },
        };
      }
      case "files.getUploadURLExternal": {
        const fileId = `F${String(this.uploads.size + 1).padStart(8, "0")}`;
        this.uploads.set(fileId, {
          fileId,
          filename: String(args.filename),
          length: Number(args.length),
          completed: false,
        });
        return { ok: true, upload_url: `${this.#url}upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal": {
        const files = (Array.isArray(args.files) ? args.files : []) as { id: string; title?: string }[];
        for (const file of files) {
          const upload = this.uploads.get(file.id);
          if (!upload || upload.content === undefined) return { ok: false, error: "file_not_found" };
          upload.completed = true;
          if (typeof args.channel_id === "string") upload.channelId = args.channel_id;
          if (file.title !== undefined) upload.title = file.title;
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  #storeView(existingId: string | undefined, args: Record<string, unknown>): Record<string, unknown> {
    const id = existingId ?? `V${String(this.views.size + 1).padStart(8, "0")}`;
    const view = parseView(args.view);
    const hash = randomUUID();
    const triggerId = existingId ? this.views.get(existingId)?.triggerId : args.trigger_id;
    this.views.set(id, { id, hash, view, ...(typeof triggerId === "string" ? { triggerId } : {}) });
    return { ...view, id, hash };
  }

  #nextTs(): string {
    this.#tsCounter += 1;
    // Like Slack's: seconds of the post, then a sequence (unique within the second).
    return `${Math.floor(Date.now() / 1000)}.${String(this.#tsCounter).padStart(6, "0")}`;
  }
}

function parseView(view: unknown): Record<string, unknown> {
  if (typeof view === "string") return JSON.parse(view) as Record<string, unknown>;
  return (view ?? {}) as Record<string, unknown>;
}

/** The Web API client form-encodes scalars and JSON-encodes everything else; undo both. */
function decodeArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json")) return JSON.parse(body || "{}") as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, body: Record<string, unknown>): void {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
