import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import type { CompShareClient } from "../../compshare/client.ts";
import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN } from "../../compshare/schemas.ts";
import { accountFor, type LinkedAccount, NotLinkedError } from "../../domain/accounts.ts";
import { hasControlCharacters } from "../../domain/free-text.ts";
import { findImage } from "../../domain/image-search.ts";
import { WITHDRAWN_NOTE } from "../../domain/reinstall-outcome.ts";
import { CredentialDecryptError } from "../../store/errors.ts";
import type { ApprovalRequest } from "../../store/types.ts";
import { publishHome } from "../events/home.ts";
import type { Messages } from "../i18n/messages.ts";
import type { CommandOutcome } from "../metrics.ts";
import type { BotServices } from "../services.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { approvalCard, requestSummary } from "../views/approval-card.ts";
import { LIMITS } from "../views/blocks.ts";
import { noticeMessage } from "../views/help.ts";
import { statusLabel } from "../views/image-format.ts";
import {
  decodeFormMetadata,
  type ImageInfo,
  INSTANCE_ID_MAX,
  type InstanceInfo,
  REASON_MAX,
  REINSTALL_ACTIONS,
  REINSTALL_BLOCKS,
  reinstallRequestModal,
  requestSubmittedModal,
} from "../views/reinstall-modal.ts";
import { approvalAnnouncer, channelViewContext } from "./approval-announcer.ts";
import type { ReinstallKit } from "./reinstall-kit.ts";

/**
 * The request form of journey 4: what the requester's keys can see of the instance and the
 * image, the checks on submit, and posting the card that journey 5 starts from.
 */

/** A view_submission must be answered within 3 s; the checks get this much of it. */
const SUBMIT_CHECK_DEADLINE_MS = 1500;
type InstanceLookup = { info: InstanceInfo; zone?: string };
type ImageLookup = { info: ImageInfo; missing: boolean };

/** The requester's own view of the instance (DescribeCompShareInstance); its zone is where the reinstall will go. */
export async function lookUpInstance(
  turn: Turn,
  account: LinkedAccount,
  instanceId: string,
  deadlineMs?: number,
): Promise<InstanceLookup> {
  try {
    const page = await account.client.describeInstances({ UHostIds: [instanceId] }, { deadlineMs });
    const found = page.UHostSet.find((instance) => instance.UHostId === instanceId);
    if (!found) return { info: { kind: "missing", zone: account.credentials.zone } };
    const gpu = found.GpuType ? (found.GPU ? `${found.GPU}× ${found.GpuType}` : found.GpuType) : undefined;
    return {
      info: {
        kind: "found",
        ...(found.Name ? { name: found.Name } : {}),
        ...(gpu ? { gpu } : {}),
        ...(found.State ? { state: found.State } : {}),
      },
      ...(found.Zone ? { zone: found.Zone } : {}),
    };
  } catch (error) {
    turn.log.info({ err: error }, "instance lookup failed");
    return { info: { kind: "unchecked" } };
  }
}

export async function lookUpImage(
  turn: Turn,
  kit: ReinstallKit,
  client: CompShareClient,
  imageId: string,
  deadlineMs?: number,
): Promise<ImageLookup | undefined> {
  const cached = kit.catalogue.peek(turn.teamId, turn.userId)?.find((image) => image.id === imageId);
  if (cached) {
    return {
      info: { name: cached.name, type: cached.type, status: cached.status, source: cached.source },
      missing: false,
    };
  }
  try {
    const found = await findImage(client, imageId, { deadlineMs });
    if (!found) return { info: {}, missing: true };
    const { image, source } = found;
    return { info: { name: image.Name, type: image.ImageType, status: image.Status, source }, missing: false };
  } catch (error) {
    turn.log.info({ err: error }, "image lookup failed");
    return undefined;
  }
}

interface RequestValues {
  instanceId: string;
  imageId: string;
  reason: string;
}

type FieldErrors = Partial<Record<(typeof REINSTALL_BLOCKS)[keyof typeof REINSTALL_BLOCKS], string>>;

function readValues(view: ViewSubmitAction["view"] | BlockAction["view"]): RequestValues {
  const values = view?.state.values ?? {};
  return {
    instanceId: (values[REINSTALL_BLOCKS.instance]?.[REINSTALL_ACTIONS.instance]?.value ?? "").trim(),
    imageId: values[REINSTALL_BLOCKS.image]?.[REINSTALL_ACTIONS.image]?.selected_option?.value ?? "",
    reason: (values[REINSTALL_BLOCKS.reason]?.[REINSTALL_ACTIONS.reason]?.value ?? "").trim(),
  };
}

/** The checks that need no network: formats and lengths. */
export function validateRequestValues(m: Messages, values: RequestValues): FieldErrors {
  const e = m.reinstall.modal.errors;
  const errors: FieldErrors = {};
  if (!INSTANCE_ID_PATTERN.test(values.instanceId) || values.instanceId.length > INSTANCE_ID_MAX) {
    errors[REINSTALL_BLOCKS.instance] = e.instanceFormat;
  }
  if (!IMAGE_ID_PATTERN.test(values.imageId) || values.imageId.length > LIMITS.optionValue)
    errors[REINSTALL_BLOCKS.image] = e.imageFormat;
  if (values.reason === "") errors[REINSTALL_BLOCKS.reason] = e.reasonMissing;
  else if (values.reason.length > REASON_MAX) errors[REINSTALL_BLOCKS.reason] = e.reasonTooLong(REASON_MAX);
  else if (hasControlCharacters(values.reason)) errors[REINSTALL_BLOCKS.reason] = m.update.problems.controlCharacters;
  return errors;
}

/** A field the store takes only when it has content, cut to the column's size. */
function text(value: string | undefined, max: number): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Submit: checks formats, then (within Slack's window) that the requester's keys can see the
 * instance and the image; records the pending request; answers with a "posting" view; posts
 * the card and links the requester to it. A card that cannot be posted withdraws the request.
 */
export async function handleRequestSubmit(services: BotServices, args: SubmitArgs): Promise<void> {
  const { ack, body, view, client, context } = args;
  const teamId = body.team?.id ?? body.user.team_id ?? "";
  const turn = await beginTurn(
    services,
    { teamId, userId: body.user.id, what: "reinstall_request" },
    { maxWaitMs: 300 },
  );
  const e = turn.m.reinstall.modal.errors;
  const values = readValues(view);
  const refuse = async (errors: FieldErrors) => {
    await ack({ response_action: "errors", errors });
    services.metrics.commandFinished("reinstall_request", "user_error");
  };
  const formatErrors = validateRequestValues(turn.m, values);
  if (Object.keys(formatErrors).length > 0) return refuse(formatErrors);

  let acked = false;
  const show = async (text: string, footnote?: string) => {
    const update = requestSubmittedModal(turn.view, footnote ? `${text}\n${footnote}` : text);
    if (!acked) {
      acked = true;
      await ack({ response_action: "update", view: update });
      return;
    }
    await client.views
      .update({ view_id: view.id, view: update })
      .catch((error: unknown) => turn.log.info({ err: error }, "request modal already closed"));
  };
  let outcome: CommandOutcome;
  try {
    let account: LinkedAccount;
    try {
      account = await accountFor(services.store, services.compshare, teamId, turn.userId);
    } catch (error) {
      if (!(error instanceof NotLinkedError || error instanceof CredentialDecryptError)) throw error;
      return refuse({ [REINSTALL_BLOCKS.instance]: e.notLinked });
    }
    const kit = services.reinstall;
    const [instance, image] = await Promise.all([
      lookUpInstance(turn, account, values.instanceId, SUBMIT_CHECK_DEADLINE_MS),
      lookUpImage(turn, kit, account.client, values.imageId, SUBMIT_CHECK_DEADLINE_MS),
    ]);
    const found: FieldErrors = {};
    if (instance.info.kind === "missing") found[REINSTALL_BLOCKS.instance] = e.instanceMissing(instance.info.zone);
    if (image?.missing) found[REINSTALL_BLOCKS.image] = e.imageMissing;
    else if (image?.info.status && image.info.status !== "Available") {
      found[REINSTALL_BLOCKS.image] = e.imageUnavailable(statusLabel(turn.m, image.info.status));
    }
    if (Object.keys(found).length > 0) return refuse(found);

    const seen = instance.info.kind === "found" ? instance.info : undefined;
    const request = await services.store.approvals.create({
      teamId,
      requesterId: turn.userId,
      instanceId: values.instanceId,
      ...definedOnly({
        instanceName: text(seen?.name, 256),
        instanceGpu: text(seen?.gpu, 128),
        instanceState: text(seen?.state, 64),
        imageName: text(image?.info.name, 256),
        imageType: text(image?.info.type, 64),
        projectId: text(account.credentials.projectId, 128),
      }),
      imageId: values.imageId,
      region: account.credentials.region,
      zone: instance.zone ?? account.credentials.zone,
      reason: values.reason,
      ttlMs: services.config.approval.ttlMs,
    });
    const channel = services.config.approval.channel ?? "";
    await show(turn.m.reinstall.submitted.posting(channel));
    outcome = await postCard(services, turn, client, request, channel, show, context.botUserId);
  } catch (error) {
    outcome = await reportError(turn, error, (reply) => show(reply.text, reply.footnote));
  }
  services.metrics.commandFinished("reinstall_request", outcome);
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

async function postCard(
  services: BotServices,
  turn: Turn,
  client: webApi.WebClient,
  request: ApprovalRequest,
  channel: string,
  show: (text: string, footnote?: string) => Promise<void>,
  botUserId: string | undefined,
): Promise<CommandOutcome> {
  const s = turn.m.reinstall.submitted;
  const audit = (result: string) =>
    services.store.audit.append({
      teamId: turn.teamId,
      actorId: turn.userId,
      action: "reinstall.request",
      target: request.instanceId,
      result,
      detail: { approval: request.id, image: request.imageId },
    });
  let posted: { channel: string; ts: string };
  try {
    const answer = await client.chat.postMessage({ channel, ...approvalCard(channelViewContext(services), request) });
    posted = { channel: answer.channel ?? channel, ts: answer.ts ?? "" };
  } catch (error) {
    // Nobody can approve a request whose card is not in the channel: withdraw it rather than leave it pending unseen.
    await services.store.approvals.transition(request.id, "pending", "cancelled", {
      decidedBy: botUserId ?? turn.userId,
      note: WITHDRAWN_NOTE,
    });
    await audit("withdrawn:card_not_posted");
    turn.log.warn({ err: error, approval: request.id }, "request card could not be posted; request withdrawn");
    await show(s.postFailed(channel));
    return "upstream";
  }
  await services.store.approvals.setMessage(request.id, posted.channel, posted.ts);
  await audit("pending");
  const placed = { ...request, channelId: posted.channel, messageTs: posted.ts };
  const link = await approvalAnnouncer(services, client).permalink(placed);
  await show(s.posted(posted.channel, link));
  await client.chat
    .postMessage({
      channel: turn.userId,
      ...noticeMessage(turn.view, s.dm(requestSummary(placed), posted.channel, link)),
    })
    .catch((error: unknown) => turn.log.warn({ err: error }, "could not DM the requester their link"));
  await publishHome(services, turn, client).catch((error: unknown) =>
    turn.log.info({ err: error }, "Home tab refresh failed"),
  );
  return "ok";
}

type FormActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Enter in the instance field, or a pick in the image select: show what the requester's keys see. */
export async function handleFormRefresh(services: BotServices, args: FormActionArgs): Promise<void> {
  const { ack, body, client } = args;
  await ack();
  const view = body.view;
  if (!view) return;
  const turn = await beginTurn(services, {
    teamId: body.team?.id ?? body.user.team_id ?? "",
    userId: body.user.id,
    what: "reinstall_form",
  });
  const values = readValues(view);
  const prefill = decodeFormMetadata(view.private_metadata);
  try {
    const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
    const kit = services.reinstall;
    const [instance, image] = await Promise.all([
      INSTANCE_ID_PATTERN.test(values.instanceId) ? lookUpInstance(turn, account, values.instanceId) : undefined,
      IMAGE_ID_PATTERN.test(values.imageId) ? lookUpImage(turn, kit, account.client, values.imageId) : undefined,
    ]);
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: reinstallRequestModal(turn.view, {
        prefill,
        ...(instance ? { instance: instance.info } : {}),
        ...(image && !image.missing ? { image: image.info } : {}),
      }),
    });
  } catch (error) {
    // The form still works without the details; a newer edit (hash conflict) or a closed modal is no news.
    turn.log.info({ err: error }, "request form not refreshed");
  }
}
