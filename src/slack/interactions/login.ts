import type { BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import { CompShareApiError, CompShareError } from "../../compshare/errors.ts";
import { REGION_PATTERN, ZONE_PATTERN } from "../../config.ts";
import { publishHome } from "../flows/home-tab.ts";
import { openLoginModal } from "../flows/login-modal.ts";
import type { Messages } from "../i18n/messages.ts";
import { knownRetCodeWords } from "../i18n/retcode-words.ts";
import type { Call } from "../listener-frame.ts";
import type { CommandOutcome } from "../metrics.ts";
import type { ClickArgs, SubmitArgs } from "../surfaces.ts";
import { LOGIN_ACTION, LOGIN_BLOCKS, loginSavedModal } from "../views/keys.ts";

/** Keys are printable ASCII without spaces; anything else is a paste accident. */
const KEY_PATTERN = /^[\x21-\x7e]{10,256}$/;
const PROJECT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Leaves room inside Slack's 3-second window for the store write and the answer. */
const VERIFY_DEADLINE_MS = 2000;

/** "Link API keys" on the Home tab; a modal that failed to open leaves only the log to tell. */
export async function handleHomeLogin({ args, services, turn }: Call<ClickArgs<BlockAction<ButtonAction>>>) {
  await openLoginModal(services, turn, args.client, args.body.trigger_id);
}

interface LoginValues {
  publicKey: string;
  privateKey: string;
  region: string;
  zone: string;
  projectId: string | undefined;
}

type FieldErrors = Partial<Record<(typeof LOGIN_BLOCKS)[keyof typeof LOGIN_BLOCKS], string>>;

function readValues(view: ViewSubmitAction["view"]): LoginValues {
  const value = (block: string) => (view.state.values[block]?.[LOGIN_ACTION]?.value ?? "").trim();
  const projectId = value(LOGIN_BLOCKS.projectId);
  return {
    publicKey: value(LOGIN_BLOCKS.publicKey),
    privateKey: value(LOGIN_BLOCKS.privateKey),
    region: value(LOGIN_BLOCKS.region),
    zone: value(LOGIN_BLOCKS.zone),
    projectId: projectId === "" ? undefined : projectId,
  };
}

export function validateLoginValues(m: Messages, values: LoginValues): FieldErrors {
  const errors: FieldErrors = {};
  const e = m.login.errors;
  if (!KEY_PATTERN.test(values.publicKey)) errors[LOGIN_BLOCKS.publicKey] = e.publicKeyFormat;
  if (!KEY_PATTERN.test(values.privateKey)) errors[LOGIN_BLOCKS.privateKey] = e.privateKeyFormat;
  if (!REGION_PATTERN.test(values.region)) errors[LOGIN_BLOCKS.region] = e.regionFormat;
  if (!ZONE_PATTERN.test(values.zone)) errors[LOGIN_BLOCKS.zone] = e.zoneFormat;
  if (values.projectId !== undefined && !PROJECT_PATTERN.test(values.projectId)) {
    errors[LOGIN_BLOCKS.projectId] = e.projectFormat;
  }
  return errors;
}

/** Maps a failed verification call to the field the user should fix. */
function verificationErrors(m: Messages, error: unknown): FieldErrors {
  const e = m.login.errors;
  if (error instanceof CompShareApiError) {
    if (error.retCode === 171 || error.retCode === 170) return { [LOGIN_BLOCKS.privateKey]: e.signature };
    if (error.retCode === 172) return { [LOGIN_BLOCKS.publicKey]: e.unknownUser };
    if (error.retCode === 292) return { [LOGIN_BLOCKS.projectId]: e.projectNotFound };
    if (error.retCode === 230 && error.apiMessage.includes("[Zone]")) return { [LOGIN_BLOCKS.zone]: e.zoneNotInRegion };
    const reason = knownRetCodeWords(m, error.retCode, error.apiMessage) ?? `RetCode ${error.retCode}`;
    return { [LOGIN_BLOCKS.privateKey]: e.rejected(reason.replaceAll("`", "")) };
  }
  return { [LOGIN_BLOCKS.publicKey]: e.unreachable };
}

/**
 * Checks the pair with one cheap signed read before storing it; every refusal goes back into
 * the modal as an inline error, so the user fixes the field instead of starting over.
 */
export async function handleLoginSubmit({ args, services, turn }: Call<SubmitArgs>): Promise<CommandOutcome> {
  const { ack, view, client } = args;
  const { teamId } = turn;
  const values = readValues(view);

  const formatErrors = validateLoginValues(turn.m, values);
  if (Object.keys(formatErrors).length > 0) {
    await ack({ response_action: "errors", errors: formatErrors });
    return "user_error";
  }
  try {
    await services.compshare
      .forAccount({
        publicKey: values.publicKey,
        privateKey: values.privateKey,
        region: values.region,
        zone: values.zone,
        ...(values.projectId ? { projectId: values.projectId } : {}),
      })
      // Zone on purpose: this action does not need it, but the gateway refuses a zone outside the
      // region (230 "Params [Zone] not available"), and the stored zone is where writes will go.
      .describeImages({ Limit: 1, Zone: values.zone }, { deadlineMs: VERIFY_DEADLINE_MS });
  } catch (error) {
    if (!(error instanceof CompShareError)) throw error;
    turn.log.info({ errCode: error.code, requestId: error.requestId }, "key verification refused");
    await ack({ response_action: "errors", errors: verificationErrors(turn.m, error) });
    await services.store.audit.append({
      teamId,
      actorId: turn.userId,
      action: "keys.verify",
      result: error instanceof CompShareApiError ? `retcode ${error.retCode}` : error.code,
    });
    return error instanceof CompShareApiError ? "user_error" : "upstream";
  }
  await services.store.credentials.upsert({
    teamId,
    userId: turn.userId,
    publicKey: values.publicKey,
    privateKey: values.privateKey,
    region: values.region,
    zone: values.zone,
    ...(values.projectId ? { projectId: values.projectId } : {}),
  });
  await ack({ response_action: "update", view: loginSavedModal(turn.view, values) });
  turn.log.info("keys linked");
  await services.store.audit.append({ teamId, actorId: turn.userId, action: "keys.link", result: "ok" });
  await publishHome(services, turn, client);
  return "ok";
}
