import type { BlockAction, ViewSubmitAction } from "@slack/bolt";
import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN } from "../../compshare/schemas.ts";
import { accountFor, type LinkedAccount, NotLinkedError } from "../../domain/accounts.ts";
import { hasControlCharacters } from "../../domain/free-text.ts";
import { MAX_TARGETS, type Operation } from "../../domain/operations/index.ts";
import type { ActionPolicy } from "../../domain/policy/index.ts";
import { instanceCountProblem, reasonProblem } from "../../domain/policy/request-rules.ts";
import { CredentialDecryptError } from "../../store/errors.ts";
import { postCardOnce } from "../card-delivery.ts";
import { publishHome } from "../flows/home-tab.ts";
import { targetOf } from "../flows/instance-targets.ts";
import { seeImage, seeInstances } from "../flows/reinstall-lookups.ts";
import type { Messages } from "../i18n/messages.ts";
import type { Call } from "../listener-frame.ts";
import type { CommandOutcome } from "../metrics.ts";
import { channelViewContext } from "../operation-announcer.ts";
import type { ClickArgs, SubmitArgs } from "../surfaces.ts";
import { LIMITS } from "../views/blocks.ts";
import { noticeMessage } from "../views/help.ts";
import { statusLabel } from "../views/image-format.ts";
import { operationCard } from "../views/operation-card.ts";
import {
  decodeFormMetadata,
  defaultSnapshotName,
  INSTANCE_ID_MAX,
  PLAN_OPTIONS,
  REASON_MAX,
  REINSTALL_ACTIONS,
  REINSTALL_BLOCKS,
  reinstallRequestModal,
  requestSubmittedModal,
  SNAPSHOT_NAME_PATTERN,
} from "../views/reinstall-modal.ts";
import { RUN_AT_BLOCK, readRunAt, runAtFieldError } from "../views/run-time.ts";
import { runTimeContext } from "./schedule.ts";

/**
 * The request form of journey 4: what the requester's keys can see of the instances and the
 * image, the checks on submit, the engine's request, and posting its card once.
 */

/** A view_submission must be answered within 3 s; the checks get this much of it. */
const SUBMIT_CHECK_DEADLINE_MS = 1500;

export interface RequestValues {
  instanceIds: string[];
  imageId: string;
  stopFirst: boolean;
  startAfter: boolean;
  snapshot: boolean;
  snapshotName: string;
  reason: string;
}

type FieldErrors = Partial<Record<string, string>>;
type StateValues = NonNullable<ViewSubmitAction["view"]["state"]>["values"];

function readValues(values: StateValues | undefined): RequestValues {
  const all = values ?? {};
  const planBlock = Object.keys(all).find((id) => id.startsWith(REINSTALL_BLOCKS.plan));
  const chosen = new Set(
    (planBlock ? (all[planBlock]?.[REINSTALL_ACTIONS.plan]?.selected_options ?? []) : []).map((o) => o.value),
  );
  const raw = (all[REINSTALL_BLOCKS.instance]?.[REINSTALL_ACTIONS.instance]?.value ?? "").trim();
  return {
    instanceIds: [...new Set(raw.split(/[\s,，]+/).filter((id) => id !== ""))],
    imageId: all[REINSTALL_BLOCKS.image]?.[REINSTALL_ACTIONS.image]?.selected_option?.value ?? "",
    stopFirst: chosen.has(PLAN_OPTIONS.stopFirst),
    startAfter: chosen.has(PLAN_OPTIONS.startAfter),
    snapshot: chosen.has(PLAN_OPTIONS.snapshot),
    snapshotName: (all[REINSTALL_BLOCKS.snapshotName]?.[REINSTALL_ACTIONS.snapshotName]?.value ?? "").trim(),
    reason: (all[REINSTALL_BLOCKS.reason]?.[REINSTALL_ACTIONS.reason]?.value ?? "").trim(),
  };
}

/** The checks that need no network: formats, counts and lengths. */
export function validateRequestValues(
  m: Messages,
  values: RequestValues,
  rules: Pick<ActionPolicy, "maxInstances" | "reasonRequired">,
): FieldErrors {
  const e = m.reinstall.modal.errors;
  const errors: FieldErrors = {};
  if (values.instanceIds.length === 0) errors[REINSTALL_BLOCKS.instance] = e.instancesMissing;
  else if (instanceCountProblem(rules, values.instanceIds.length) || values.instanceIds.length > MAX_TARGETS) {
    // The policy's max_instances, never above the engine's own limit.
    errors[REINSTALL_BLOCKS.instance] = e.tooManyInstances(Math.min(rules.maxInstances, MAX_TARGETS));
  } else if (values.instanceIds.some((id) => id.length > INSTANCE_ID_MAX || !INSTANCE_ID_PATTERN.test(id))) {
    errors[REINSTALL_BLOCKS.instance] = e.instanceFormat;
  }
  if (!IMAGE_ID_PATTERN.test(values.imageId) || values.imageId.length > LIMITS.optionValue)
    errors[REINSTALL_BLOCKS.image] = e.imageFormat;
  if (values.snapshot && !SNAPSHOT_NAME_PATTERN.test(values.snapshotName)) {
    errors[REINSTALL_BLOCKS.snapshotName] = e.snapshotNameFormat;
  }
  // Checked here too, not only by the modal: anyone can submit any view state.
  if (reasonProblem(rules, values.reason)) errors[REINSTALL_BLOCKS.reason] = e.reasonMissing;
  else if (values.reason.length > REASON_MAX) errors[REINSTALL_BLOCKS.reason] = e.reasonTooLong(REASON_MAX);
  else if (hasControlCharacters(values.reason)) errors[REINSTALL_BLOCKS.reason] = m.update.problems.controlCharacters;
  return errors;
}

/**
 * Submit: checks formats, then (within Slack's window) that the requester's keys see every
 * instance, all in one zone, and the image; asks the engine for the request; answers with a
 * "posting" view; posts the card once and links the requester to it. A card that cannot be
 * posted withdraws the request.
 */
export async function handleRequestSubmit(call: Call<SubmitArgs>): Promise<CommandOutcome> {
  const { args, services, turn } = call;
  const rules = services.policy.actions.reinstall;
  const { ack, view, client } = args;
  const e = turn.m.reinstall.modal.errors;
  const values = readValues(view.state.values);
  const refuse = async (errors: FieldErrors) => {
    await ack({ response_action: "errors", errors: errors as Record<string, string> });
    return "user_error" as const;
  };
  const formatErrors = validateRequestValues(turn.m, values, rules);
  // A time in the past or outside every change window: said at the field, before anything is looked up.
  const picked = readRunAt(view.state.values);
  const runAt = picked instanceof Date ? picked : undefined;
  const timeError = runAtFieldError(
    turn.view,
    picked,
    services.policy.actions.reinstall.windows,
    new Date(services.clock()),
    runTimeContext(services, turn.userId, "reinstall"),
  );
  if (timeError) formatErrors[RUN_AT_BLOCK] = timeError;
  if (Object.keys(formatErrors).length > 0) return refuse(formatErrors);

  let account: LinkedAccount;
  try {
    account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  } catch (error) {
    if (!(error instanceof NotLinkedError || error instanceof CredentialDecryptError)) throw error;
    return refuse({ [REINSTALL_BLOCKS.instance]: e.notLinked });
  }
  const [instances, image] = await Promise.all([
    seeInstances(turn, account, values.instanceIds, SUBMIT_CHECK_DEADLINE_MS),
    seeImage(turn, services.reinstall, account.client, values.imageId, SUBMIT_CHECK_DEADLINE_MS),
  ]);
  const found: FieldErrors = {};
  const missing = instances.lookup?.missing ?? [];
  const zones = [...new Set((instances.lookup?.found ?? []).map((i) => i.Zone ?? account.credentials.zone))];
  if (missing.length > 0) {
    found[REINSTALL_BLOCKS.instance] = e.instancesUnknown(
      missing.join(", ").slice(0, 1500),
      account.credentials.region,
    );
  } else if (zones.length > 1) found[REINSTALL_BLOCKS.instance] = e.mixedZones(zones.join(", ").slice(0, 500));
  if (image?.missing) found[REINSTALL_BLOCKS.image] = e.imageMissing;
  else if (image?.info.status && image.info.status !== "Available") {
    found[REINSTALL_BLOCKS.image] = e.imageUnavailable(statusLabel(turn.m, image.info.status));
  }
  if (Object.keys(found).length > 0) return refuse(found);

  // Unchecked (CompShare slow): the ids as typed; the engine's first read settles what they are.
  const targets = instances.lookup
    ? instances.lookup.found.map(targetOf)
    : values.instanceIds.map((instanceId) => ({ instanceId }));
  const operation = await services.operations.request({
    teamId: turn.teamId,
    requesterId: turn.userId,
    kind: "reinstall",
    region: account.credentials.region,
    zone: zones[0] ?? account.credentials.zone,
    ...(account.credentials.projectId ? { projectId: account.credentials.projectId } : {}),
    reason: values.reason,
    keyFingerprint: account.fingerprint,
    targets,
    options: {
      image: {
        id: values.imageId,
        ...(image?.info.name ? { name: image.info.name.slice(0, 256) } : {}),
        ...(image?.info.type ? { type: image.info.type.slice(0, 64) } : {}),
      },
      stopFirst: values.stopFirst,
      startAfter: values.startAfter,
      ...(values.snapshot ? { snapshotName: values.snapshotName } : {}),
    },
    approval: rules.needsApproval ? "required" : "none",
    approvalsRequired: rules.approvalsRequired,
    ttlMs: rules.ttlMs,
    ...(runAt ? { runAt } : {}),
  });
  const channel = rules.approvalChannel ?? "";
  const s = turn.m.reinstall.submitted;
  const approved = operation.status !== "pending";
  await ack({
    response_action: "update",
    view: requestSubmittedModal(turn.view, approved ? s.startingNow : s.posting(channel)),
  });
  const show = (text: string) =>
    client.views
      .update({ view_id: view.id, view: requestSubmittedModal(turn.view, text) })
      .catch((error: unknown) => turn.log.info({ err: error }, "request modal already closed"));
  call.tellErrorsIn((reply) => show(reply.footnote ? `${reply.text}\n${reply.footnote}` : reply.text));
  return approved ? followInDm(call, operation, show) : postCard(call, operation, channel, show);
}

/**
 * `approval: false`: the engine approved the request for its requester and runs it (or scheduled
 * it for its window). Its card goes to the requester's DM with the bot, where the announcer edits
 * it to the end like any card; it carries the scheduled buttons while it waits.
 */
async function followInDm(
  call: Call<SubmitArgs>,
  operation: Operation,
  show: (text: string) => Promise<unknown>,
): Promise<CommandOutcome> {
  const { services, turn } = call;
  const s = turn.m.reinstall.submitted;
  if (operation.status === "cancelled") {
    // The keys changed or went between the check and the start: nothing ran.
    await show(s.notStarted);
    return "user_error";
  }
  const posted = await postCardOnce(services.cardClient, {
    channel: turn.userId,
    requestId: operation.id,
    payload: operationCard(channelViewContext(services.config), operation),
    postedAfter: operation.createdAt,
  });
  if (posted.kind !== "posted") {
    // The plan runs on (it needs nobody's decision); only its progress has nowhere to show but Home.
    turn.log.warn({ operation: operation.id, posted: posted.kind }, "card of an unapproved reinstall not posted");
    await show(s.runningNoCard);
    return "ok";
  }
  await services.operations.setMessage(operation.id, posted.channel, posted.ts);
  // Whatever the plan did before the card had a place (it may even be over) is drawn now.
  const now = await services.operations.get(turn.teamId, operation.id);
  if (now) services.announcer.redraw({ ...now, channelId: posted.channel, messageTs: posted.ts });
  const link = await services.announcer.permalink({ ...operation, channelId: posted.channel, messageTs: posted.ts });
  await show(operation.runAt ? s.scheduledNoApproval(link) : s.runningNoApproval(link));
  await publishHome(services, turn, call.args.client).catch((error: unknown) =>
    turn.log.info({ err: error }, "Home tab refresh failed"),
  );
  return "ok";
}

async function postCard(
  call: Call<SubmitArgs>,
  operation: Operation,
  channel: string,
  show: (text: string) => Promise<unknown>,
): Promise<CommandOutcome> {
  const { services, turn, args } = call;
  const s = turn.m.reinstall.submitted;
  const posted = await postCardOnce(services.cardClient, {
    channel,
    requestId: operation.id,
    payload: operationCard(channelViewContext(services.config), operation),
    postedAfter: operation.createdAt,
  });
  if (posted.kind !== "posted") {
    // Nobody can approve a request whose card is not in the channel: withdraw it rather than leave it pending unseen.
    await services.operations.withdraw(turn.teamId, operation.id, args.context.botUserId ?? turn.userId);
    turn.log.warn(
      { err: posted.kind === "failed" ? posted.error : undefined, operation: operation.id },
      "request card could not be posted; request withdrawn",
    );
    await show(
      posted.kind === "rate_limited"
        ? turn.m.operations.card.rateLimited(posted.retryAfterSeconds)
        : s.postFailed(channel),
    );
    return "upstream";
  }
  await services.operations.setMessage(operation.id, posted.channel, posted.ts);
  const placed: Operation = { ...operation, channelId: posted.channel, messageTs: posted.ts };
  const link = await services.announcer.permalink(placed);
  await show(s.posted(posted.channel, link));
  await args.client.chat
    .postMessage({
      channel: turn.userId,
      ...noticeMessage(turn.view, turn.m.operations.card.dmPosted(posted.channel, link)),
    })
    .catch((error: unknown) => turn.log.warn({ err: error }, "could not DM the requester their link"));
  await publishHome(services, turn, args.client).catch((error: unknown) =>
    turn.log.info({ err: error }, "Home tab refresh failed"),
  );
  return "ok";
}

/** Enter in the instance field, or a pick in the image select: show what the requester's keys see. */
export async function handleFormRefresh({ args, services, turn }: Call<ClickArgs<BlockAction>>): Promise<void> {
  const { body, client } = args;
  const view = body.view;
  if (!view) return;
  const values = readValues(view.state.values as StateValues);
  const prefill = decodeFormMetadata(view.private_metadata);
  try {
    const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
    const ids = values.instanceIds.filter((id) => INSTANCE_ID_PATTERN.test(id) && id.length <= INSTANCE_ID_MAX);
    const [instances, image] = await Promise.all([
      ids.length > 0 && ids.length <= MAX_TARGETS ? seeInstances(turn, account, ids) : undefined,
      IMAGE_ID_PATTERN.test(values.imageId)
        ? seeImage(turn, services.reinstall, account.client, values.imageId)
        : undefined,
    ]);
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: reinstallRequestModal(turn.view, {
        prefill: { ...prefill, ...(ids.length > 0 ? { instanceIds: ids } : {}) },
        snapshotName: values.snapshotName || defaultSnapshotName(ids, new Date(services.clock())),
        when: runTimeContext(services, turn.userId, "reinstall"),
        reasonOptional: !services.policy.actions.reinstall.reasonRequired,
        noApproval: !services.policy.actions.reinstall.needsApproval,
        ...(instances ? { instances: instances.infos } : {}),
        ...(image && !image.missing ? { image: image.info } : {}),
      }),
    });
  } catch (error) {
    // The form still works without the details; a newer edit (hash conflict) or a closed modal is no news.
    turn.log.info({ err: error }, "request form not refreshed");
  }
}
