import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import type { CompShareClient } from "../../compshare/client.ts";
import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN } from "../../compshare/schemas.ts";
import { reinstallEnabled } from "../../config.ts";
import { accountFor, type LinkedAccount, NotLinkedError } from "../../domain/accounts.ts";
import { type ApprovalHousekeeping, createApprovalHousekeeping } from "../../domain/approval-housekeeping.ts";
import { findImage } from "../../domain/image-search.ts";
import { WITHDRAWN_NOTE } from "../../domain/reinstall-outcome.ts";
import { CredentialDecryptError } from "../../store/errors.ts";
import type { ApprovalRequest } from "../../store/types.ts";
import { publishHome } from "../events/home.ts";
import type { Messages } from "../i18n/messages.ts";
import { messagesFor } from "../i18n/messages.ts";
import type { CommandOutcome } from "../metrics.ts";
import { type ModalTrigger, openModal } from "../modal-trigger.ts";
import type { BotServices } from "../services.ts";
import { tracked } from "../tracked.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { APPROVAL_ACTIONS, approvalCard, requestSummary } from "../views/approval-card.ts";
import { noticeMessage } from "../views/help.ts";
import { HOME_ACTIONS } from "../views/home.ts";
import { statusLabel } from "../views/image-format.ts";
import {
  decodeFormMetadata,
  type FormMetadata,
  type ImageInfo,
  type InstanceInfo,
  REASON_MAX,
  REINSTALL_ACTIONS,
  REINSTALL_BLOCKS,
  REINSTALL_CALLBACK,
  REJECT_CALLBACK,
  reinstallRequestModal,
  requestSubmittedModal,
} from "../views/reinstall-modal.ts";
import type { MessagePayload } from "../views/view-context.ts";
import { approvalAnnouncer, channelViewContext } from "./approval-announcer.ts";
import { handleDecisionClick, handleRejectSubmit } from "./approval-decisions.ts";
import { answerImageOptions, type OptionsArgs } from "./image-picker-options.ts";
import { type ReinstallKit, reinstallKit } from "./reinstall-kit.ts";

/**
 * Journey 4: ask for a reinstall. Entry points: `/compshare reinstall [uhost-id] [image-id]`,
 * "Reinstall with this image" on any image, and "Request a reinstall" on Home. The request is
 * posted as a card in APPROVAL_CHANNEL, where journey 5 (approval-decisions.ts) takes over.
 */

/** A view_submission must be answered within 3 s; the checks get this much of it. */
const SUBMIT_CHECK_DEADLINE_MS = 1500;

export async function startReinstallRequest(
  services: BotServices,
  turn: Turn,
  client: webApi.WebClient,
  trigger: ModalTrigger,
  prefill: { instanceId?: string; imageId?: string },
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
  if (!reinstallEnabled(services.config)) {
    await notify(noticeMessage(turn.view, turn.m.reinstall.notConfigured));
    return;
  }
  const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  const kit = reinstallKit(services);
  const known = prefill.imageId
    ? kit.catalogue.peek(turn.teamId, turn.userId)?.find((image) => image.id === prefill.imageId)
    : undefined;
  const meta: FormMetadata = { ...prefill, ...(known ? { imageName: known.name } : {}) };
  const opened = await openModal(client, trigger, reinstallRequestModal(turn.view, { prefill: meta }));
  // Warm the type-ahead's cache while the person reads the form.
  kit.catalogue
    .load(turn.teamId, turn.userId, account.client)
    .catch((error: unknown) => turn.log.info({ err: error }, "could not list images for the picker"));
  if (!prefill.instanceId && !prefill.imageId) return;
  const [instance, image] = await Promise.all([
    prefill.instanceId ? lookUpInstance(turn, account, prefill.instanceId) : undefined,
    prefill.imageId ? lookUpImage(turn, kit, account.client, prefill.imageId) : undefined,
  ]);
  await client.views
    .update({
      view_id: opened.viewId,
      ...(opened.hash ? { hash: opened.hash } : {}),
      view: reinstallRequestModal(turn.view, {
        prefill: meta,
        ...(instance ? { instance: instance.info } : {}),
        ...(image ? { image: image.info } : {}),
      }),
    })
    .catch((error: unknown) => turn.log.info({ err: error }, "request form changed or closed before its details came"));
}

type InstanceLookup = { info: InstanceInfo; zone?: string };
type ImageLookup = { info: ImageInfo; missing: boolean };

/** The requester's own view of the instance (DescribeCompShareInstance); its zone is where the reinstall will go. */
async function lookUpInstance(
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

async function lookUpImage(
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
  if (!INSTANCE_ID_PATTERN.test(values.instanceId) || values.instanceId.length > 64) {
    errors[REINSTALL_BLOCKS.instance] = e.instanceFormat;
  }
  if (!IMAGE_ID_PATTERN.test(values.imageId) || values.imageId.length > 75)
    errors[REINSTALL_BLOCKS.image] = e.imageFormat;
  if (values.reason === "") errors[REINSTALL_BLOCKS.reason] = e.reasonMissing;
  else if (values.reason.length > REASON_MAX) errors[REINSTALL_BLOCKS.reason] = e.reasonTooLong(REASON_MAX);
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
async function handleRequestSubmit(services: BotServices, args: SubmitArgs): Promise<void> {
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
    const kit = reinstallKit(services);
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
async function handleFormRefresh(services: BotServices, args: FormActionArgs): Promise<void> {
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
    const kit = reinstallKit(services);
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

type HomeButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "Request a reinstall" on Home: no channel there, so anything to say goes into a modal. */
async function handleHomeRequest(services: BotServices, args: HomeButtonArgs): Promise<void> {
  const { ack, body, client } = args;
  await ack();
  const turn = await beginTurn(
    services,
    { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id, what: "home_reinstall" },
    { maxWaitMs: 800 },
  );
  const notice = async (payload: MessagePayload) => {
    await client.views.open({
      trigger_id: body.trigger_id,
      view: requestSubmittedModal(turn.view, payload.text),
    });
  };
  let outcome: CommandOutcome = "ok";
  try {
    await startReinstallRequest(services, turn, client, { triggerId: body.trigger_id, push: false }, {}, notice);
  } catch (error) {
    outcome = await reportError(turn, error, (reply) =>
      notice({ text: reply.footnote ? `${reply.text}\n${reply.footnote}` : reply.text, blocks: [] }),
    );
  }
  services.metrics.commandFinished("home_reinstall", outcome);
}

/** What app.ts starts after the app listens and stops before it drains. */
export interface ReinstallHandle {
  readonly housekeeping: ApprovalHousekeeping;
}

/** Registers the flow's listeners and returns the housekeeping the app starts and stops with itself. */
export function registerReinstall(app: App, services: BotServices): ReinstallHandle {
  const kit = reinstallKit(services);
  app.options(
    REINSTALL_ACTIONS.image,
    tracked(services, (s, args: OptionsArgs) =>
      // No waiting for users.info here: the options must be back within Slack's 3 s.
      answerImageOptions(s, kit.catalogue, args, messagesFor(s.locales.peek(args.body.user.id))),
    ),
  );
  app.action(REINSTALL_ACTIONS.instance, tracked(services, handleFormRefresh));
  app.action(REINSTALL_ACTIONS.image, tracked(services, handleFormRefresh));
  app.view(REINSTALL_CALLBACK, tracked(services, handleRequestSubmit));
  app.action(APPROVAL_ACTIONS.approve, tracked(services, handleDecisionClick(kit, "approve")));
  app.action(APPROVAL_ACTIONS.reject, tracked(services, handleDecisionClick(kit, "reject")));
  app.action(APPROVAL_ACTIONS.cancel, tracked(services, handleDecisionClick(kit, "cancel")));
  app.view(REJECT_CALLBACK, tracked(services, handleRejectSubmit(kit)));
  app.action(HOME_ACTIONS.reinstall, tracked(services, handleHomeRequest));

  const announcer = approvalAnnouncer(services, app.client);
  return {
    housekeeping: createApprovalHousekeeping({
      approvals: services.store.approvals,
      exclusiveStore: services.store.driver === "sqlite",
      clock: services.clock,
      logger: services.logger,
      announce: (request, reason) => announcer.announceSwept(request, reason),
      track: (work) => services.inFlight.track(work),
    }),
  };
}
