import type { webApi } from "@slack/bolt";
import type { CompShareApi } from "../compshare/client.ts";
import type { Config } from "../config.ts";
import type { OperationsEngine } from "../domain/operations/index.ts";
import type { Policy } from "../domain/policy/index.ts";
import type { Logger, SecretScrubber } from "../log.ts";
import type { Store } from "../store/types.ts";
import type { ReinstallKit } from "./flows/reinstall-kit.ts";
import type { FormSeal } from "./form-seal.ts";
import type { LocaleResolver } from "./i18n/locale-resolver.ts";
import type { InFlight } from "./in-flight.ts";
import type { Metrics } from "./metrics.ts";
import type { OperationAnnouncer } from "./operation-announcer.ts";
import type { OperationFollowers } from "./operation-followers.ts";
import type { ResponseUrlPoster } from "./response-url.ts";

/** Everything a handler may use, injected once at start so tests need no module mocking. */
export interface BotServices {
  readonly config: Config;
  /** Who approves what, where commands may be used, windows and limits (POLICY_FILE or the variables). */
  readonly policy: Policy;
  readonly logger: Logger;
  readonly scrubber: SecretScrubber;
  readonly store: Store;
  readonly compshare: CompShareApi;
  readonly clock: () => number;
  readonly metrics: Metrics;
  readonly locales: LocaleResolver;
  readonly inFlight: InFlight;
  /** The approval and operations engine: every request, decision and plan goes through it. */
  readonly operations: OperationsEngine;
  /** Replies waiting for a card-less operation (stop, start, reboot) to end. */
  readonly followers: OperationFollowers;
  /** Card edits and DMs from the engine's events. */
  readonly announcer: OperationAnnouncer;
  /** Posts and edits cards: no retries of its own, 429s rejected, so a card is posted once (card-delivery.ts). */
  readonly cardClient: webApi.WebClient;
  /** Binds the image-update form's private_metadata to the user it was opened for. */
  readonly updateFormSeal: FormSeal;
  /** The reinstall flow's caches (approver groups, image picker). */
  readonly reinstall: ReinstallKit;
  /** Where replies to slash commands and message clicks go (their response_url). */
  readonly responseUrls: ResponseUrlPoster;
  /** COMPSHARE_SANDBOX only: the in-process simulator's demo key pair, public knowledge that opens nothing else. */
  readonly sandboxKeys?: { publicKey: string; privateKey: string } | undefined;
}
