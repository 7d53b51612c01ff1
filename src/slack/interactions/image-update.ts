import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ExternalSelectAction,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import type { CompShareClient } from "../../compshare/client.ts";
import { CompShareApiError, CompShareError, CompShareOutcomeUnknownError } from "../../compshare/errors.ts";
import { type CompShareImage, IMAGE_ID_PATTERN } from "../../compshare/schemas.ts";
import { accountFor, NotLinkedError } from "../../domain/accounts.ts";
import { MAX_COVER_BYTES } from "../../domain/cover-image.ts";
import { type FormField, formContentOf, readSubmission } from "../../domain/image-changes.ts";
import { findImage } from "../../domain/image-search.ts";
import type { CommandOutcome } from "../metrics.ts";
import { type ModalTrigger, openModal } from "../modal-trigger.ts";
import type { BotServices } from "../services.ts";
import { tracked } from "../tracked.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { option } from "../views/blocks.ts";
import { noticeMessage } from "../views/help.ts";
import { decodeUpdateMetadata } from "../views/image-update-metadata.ts";
import {
  imagePickerModal,
  imagePickerOptions,
  imageUpdateModal,
  NO_CHOICE,
  nothingChangedModal,
  PICKER_ACTION,
  savingModal,
  UPDATE_BLOCKS,
  UPDATE_CALLBACK,
  updatedModal,
} from "../views/image-update-modal.ts";
import { loadingModal, noticeModal } from "../views/modals.ts";
import { bold, code } from "../views/text.ts";
import type { MessagePayload } from "../views/view-context.ts";
import { type CoverUpload, CoverUploadError, readCoverUpload } from "./cover-upload.ts";
import { ImageChoiceCache, listOwnImages } from "./image-choices.ts";
import { coverProblemText, problemErrors, readSubmittedForm } from "./image-update-form.ts";

/** Type-ahead must answer inside Slack's 3 s, store read and locale lookup included. */
const PICKER_DEADLINE_MS = 1_500;
const PICKER_CACHE_TTL_MS = 60_000;
const PICKER_CACHE_USERS = 1_000;
const PICKER_MAX_IMAGES = 500;
/** files.info plus the download, before the submission's ack; the rest of the 3 s is margin. */
const COVER_DEADLINE_MS = 1_800;
const MAX_COVER_MB = MAX_COVER_BYTES / (1024 * 1024);

/**
 * Journey 3: edit an image's metadata in a modal. Entry points: `/compshare update [id]`, the
 * Edit button on an image's details and the Edit item in a list's menu.
 */
export async function startImageUpdate(
  services: BotServices,
  turn: Turn,
  client: webApi.WebClient,
  trigger: ModalTrigger,
  imageId: string | undefined,
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
  if (imageId !== undefined && !IMAGE_ID_PATTERN.test(imageId)) {
    await notify(noticeMessage(turn.view, turn.m.update.badImageId));
    return;
  }
  // A store read, no network: without keys there is nothing to edit, and the caller says so.
  const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  if (imageId === undefined) {
    await openModal(client, trigger, imagePickerModal(turn.view));
    return;
  }
  const opened = await openModal(client, trigger, loadingModal(turn.view, turn.m.update.title));
  await fillForm(turn, client, opened, imageId, sealFor(services, turn), async () => account.client);
}

/** Registers the flow's own listeners (view submissions, options, actions). */
export function registerImageUpdate(app: App, services: BotServices): void {
  const choices = new ImageChoiceCache({
    clock: services.clock,
    ttlMs: PICKER_CACHE_TTL_MS,
    maxUsers: PICKER_CACHE_USERS,
  });
  app.options(
    PICKER_ACTION,
    tracked(services, (s, args: OptionsArgs) => handlePickerOptions(s, choices, args)),
  );
  app.action(PICKER_ACTION, tracked(services, handlePickerChoice));
  app.view(
    UPDATE_CALLBACK,
    tracked(services, (s, args: SubmitArgs) => handleUpdateSubmit(s, choices, args)),
  );
}

type OptionsArgs = SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs;
type PickArgs = SlackActionMiddlewareArgs<BlockAction<ExternalSelectAction>> & AllMiddlewareArgs;
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Type-ahead over the user's own images; failures become a one-line option, since a menu has nowhere else to speak. */
export async function handlePickerOptions(
  services: BotServices,
  choices: ImageChoiceCache,
  args: OptionsArgs,
): Promise<void> {
  const { ack, body } = args;
  const teamId = body.team?.id ?? body.user.team_id ?? "";
  const turn = await beginTurn(services, { teamId, userId: body.user.id, what: "update_suggest" }, { maxWaitMs: 300 });
  let outcome: CommandOutcome = "ok";
  try {
    const { credentials, client } = await accountFor(services.store, services.compshare, teamId, turn.userId);
    const images = await choices.get({ teamId, userId: turn.userId, publicKey: credentials.publicKey }, () =>
      listOwnImages(client, { deadlineMs: PICKER_DEADLINE_MS, maxImages: PICKER_MAX_IMAGES }),
    );
    await ack({ options: imagePickerOptions(turn.m, images, body.value ?? "") });
  } catch (error) {
    const text = error instanceof NotLinkedError ? turn.m.update.pickerNotLinked : turn.m.update.pickerUnavailable;
    outcome = await reportError(turn, error, () => ack({ options: [option(text, NO_CHOICE)] }));
  }
  services.metrics.commandFinished("update_suggest", outcome);
}

/** An image chosen in the picker: the same modal turns into that image's form. */
export async function handlePickerChoice(services: BotServices, args: PickArgs): Promise<void> {
  const { ack, body, action, client } = args;
  await ack();
  const imageId = action.selected_option?.value;
  if (!body.view || imageId === undefined || imageId === NO_CHOICE) return;
  const teamId = body.team?.id ?? body.user.team_id ?? "";
  const turn = await beginTurn(services, { teamId, userId: body.user.id, what: "update_pick" }, { maxWaitMs: 800 });
  const viewId = body.view.id;
  let hash: string | undefined;
  try {
    const loading = await client.views.update({
      view_id: viewId,
      hash: body.view.hash,
      view: loadingModal(turn.view, turn.m.update.title),
    });
    hash = loading.view?.hash;
  } catch (error) {
    // The modal changed or closed meanwhile; there is nowhere left to answer.
    services.metrics.commandFinished("update_pick", await reportError(turn, error, async () => undefined));
    return;
  }
  const outcome = await fillForm(turn, client, { viewId, hash }, imageId, sealFor(services, turn), async () => {
    const { client: compshare } = await accountFor(services.store, services.compshare, teamId, turn.userId);
    return compshare;
  });
  services.metrics.commandFinished("update_pick", outcome);
}

/**
 * Fetches the image by id (which is what returns its Readme) among the user's own images and
 * turns the open modal into its form; anything else becomes a notice in the same modal.
 */
async function fillForm(
  turn: Turn,
  slack: webApi.WebClient,
  modal: { viewId: string; hash: string | undefined },
  imageId: string,
  seal: (metadata: string) => string,
  compshare: () => Promise<CompShareClient>,
): Promise<CommandOutcome> {
  const { m } = turn;
  const notice = (text: string, footnote?: string) =>
    slack.views.update({ view_id: modal.viewId, view: noticeModal(turn.view, m.update.title, text, footnote) });
  try {
    if (!IMAGE_ID_PATTERN.test(imageId)) {
      await notice(m.update.badImageId);
      return "user_error";
    }
    const found = await ownImage(await compshare(), imageId);
    if (found.kind === "refused") {
      await notice(refusalText(turn, imageId, found));
      return "user_error";
    }
    await slack.views.update({
      view_id: modal.viewId,
      ...(modal.hash ? { hash: modal.hash } : {}),
      view: imageUpdateModal(turn.view, found.image, formContentOf(found.image), seal),
    });
    return "ok";
  } catch (error) {
    return reportError(turn, error, (reply) => notice(reply.text, reply.footnote));
  }
}

/** The form is for the user who opened it; only they can submit it (see form-seal.ts). */
function sealFor(services: BotServices, turn: Turn): (metadata: string) => string {
  return (metadata) => services.updateFormSeal.seal({ teamId: turn.teamId, userId: turn.userId }, metadata);
}

type OwnImage =
  | { kind: "own"; image: CompShareImage }
  | { kind: "refused"; reason: "making"; image: CompShareImage }
  | { kind: "refused"; reason: "notYours"; source: "platform" | "shared" }
  | { kind: "refused"; reason: "notFound" };

/** Only the user's own custom images are editable; the other lists are asked only to explain a refusal. */
async function ownImage(client: CompShareClient, imageId: string): Promise<OwnImage> {
  const own = await client.describeCustomImages({ CompShareImageId: imageId, Limit: 1 });
  const image = own.ImageSet.find((candidate) => candidate.CompShareImageId === imageId);
  if (image) return image.Status === "Making" ? { kind: "refused", reason: "making", image } : { kind: "own", image };
  const elsewhere = await findImage(client, imageId);
  if (!elsewhere) return { kind: "refused", reason: "notFound" };
  if (elsewhere.source === "custom") return { kind: "own", image: elsewhere.image };
  return { kind: "refused", reason: "notYours", source: elsewhere.source };
}

function refusalText(turn: Turn, imageId: string, refusal: Extract<OwnImage, { kind: "refused" }>): string {
  const { m } = turn;
  switch (refusal.reason) {
    case "making":
      return m.update.stillMaking(bold(refusal.image.Name || imageId));
    case "notYours":
      return m.update.notYours(code(imageId), m.image.source[refusal.source]);
    case "notFound":
      return m.update.notFound(code(imageId));
  }
}

/**
 * The submission. Everything that can be wrong with a field is found before the ack, so it shows
 * inline and the user keeps their edits: the form itself, then the cover file (files.info and
 * the download, under a deadline that leaves room in Slack's 3 s). Then the ack turns the modal
 * into "saving…", and UpdateCompShareImage gets its full deadline: it is never retried, so a
 * deadline tight enough for the ack would turn slow successes into "outcome unknown". The
 * outcome replaces the modal with views.update.
 */
export async function handleUpdateSubmit(
  services: BotServices,
  choices: ImageChoiceCache,
  args: SubmitArgs,
): Promise<void> {
  const { ack, body, view, client } = args;
  const teamId = body.team?.id ?? body.user.team_id ?? "";
  const turn = await beginTurn(services, { teamId, userId: body.user.id, what: "update_submit" }, { maxWaitMs: 300 });
  const { m } = turn;
  const finish = (outcome: CommandOutcome) => services.metrics.commandFinished("update_submit", outcome);

  const opened = services.updateFormSeal.open({ teamId, userId: turn.userId }, view.private_metadata);
  if (!opened.ok) {
    turn.log.warn({ why: opened.why }, "edit form refused: not bound to the submitter");
    await ack({ response_action: "update", view: noticeModal(turn.view, m.update.title, m.update.formNotYours) });
    return finish("user_error");
  }
  const snapshot = decodeUpdateMetadata(opened.metadata);
  const form = readSubmittedForm(view.state.values);
  if (!snapshot || !form) {
    turn.log.info({ hasSnapshot: snapshot !== undefined, hasForm: form !== undefined }, "edit form not readable");
    await ack({ response_action: "update", view: noticeModal(turn.view, m.update.title, m.update.formExpired) });
    return finish("user_error");
  }
  const imageId = snapshot.imageId;
  const submission = readSubmission(snapshot, form.input);
  if (!submission.ok) {
    await ack({ response_action: "errors", errors: problemErrors(m, submission.problems) });
    return finish("user_error");
  }
  if (submission.changes.length === 0 && form.coverFileId === undefined) {
    turn.log.info({ imageId }, "edit submitted without changes; nothing sent");
    await ack({ response_action: "push", view: nothingChangedModal(turn.view) });
    return finish("ok");
  }

  let compshare: CompShareClient;
  let cover: CoverUpload | undefined;
  try {
    compshare = (await accountFor(services.store, services.compshare, teamId, turn.userId)).client;
    if (form.coverFileId !== undefined) {
      cover = await readCoverUpload(
        { files: client.files, botToken: services.config.slack.botToken, slackApiUrl: services.config.slack.apiUrl },
        form.coverFileId,
        { signal: AbortSignal.timeout(COVER_DEADLINE_MS) },
      );
    }
  } catch (error) {
    if (error instanceof CoverUploadError) {
      turn.log.info({ err: error, imageId }, "cover refused");
      await ack({
        response_action: "errors",
        errors: { [UPDATE_BLOCKS.Cover]: coverProblemText(m, error, MAX_COVER_MB) },
      });
      return finish(error.code === "cover_unreadable" ? "upstream" : "user_error");
    }
    const outcome = await reportError(turn, error, (reply) =>
      ack({ response_action: "update", view: noticeModal(turn.view, m.update.title, reply.text, reply.footnote) }),
    );
    return finish(outcome);
  }

  const name = form.input.Name.trim() || imageId;
  await ack({ response_action: "update", view: savingModal(turn.view, name) });
  const fields: FormField[] = [
    ...submission.changes.map((change) => change.field),
    ...(cover ? ["Cover" as const] : []),
  ];
  // Recorded before the user is told; a failing audit write must not hide the outcome from them.
  const audit = (result: string) =>
    services.store.audit
      .append({
        teamId,
        actorId: turn.userId,
        action: "image.update",
        target: imageId,
        result,
        detail: { fields: fields.join(",") },
      })
      .catch((error: unknown) => turn.log.error({ err: error, imageId, result }, "could not write the audit entry"));

  let requestId: string | undefined;
  try {
    // The form was this user's, but the image must still be: keys relinked to another account
    // since the form opened, or an image handed over, would otherwise send the write anyway.
    const owned = await ownImage(compshare, imageId);
    if (owned.kind === "refused" && owned.reason !== "making") {
      turn.log.info({ imageId, reason: owned.reason }, "edit refused: the image is not the submitter's");
      await audit(`refused ${owned.reason}`);
      await client.views.update({
        view_id: view.id,
        view: noticeModal(turn.view, m.update.notSavedTitle, refusalText(turn, imageId, owned)),
      });
      return finish("user_error");
    }
    ({ requestId } = await compshare.updateImage({
      CompShareImageId: imageId,
      ...submission.request,
      ...(cover ? { Cover: cover.base64 } : {}),
    }));
  } catch (error) {
    await audit(auditResult(error));
    const unknown = error instanceof CompShareOutcomeUnknownError;
    const outcome = await reportError(turn, error, (reply) =>
      client.views.update({
        view_id: view.id,
        view: noticeModal(
          turn.view,
          unknown ? m.update.unknownTitle : m.update.notSavedTitle,
          unknown ? reply.text : `${m.update.notSaved(bold(name))}\n${reply.text}`,
          reply.footnote,
        ),
      }),
    );
    finish(outcome);
    return;
  }
  choices.forget(teamId, turn.userId);
  turn.log.info({ imageId, fields, requestId }, "image updated");
  await audit("ok");
  await client.views
    .update({
      view_id: view.id,
      view: updatedModal(turn.view, {
        imageId,
        name,
        changes: submission.changes,
        ...(cover ? { cover: { format: cover.format, bytes: cover.bytes } } : {}),
      }),
    })
    // The user may have closed the modal while it was saving; the change stands and is audited.
    .catch((error: unknown) => turn.log.warn({ err: error, imageId }, "could not show the update's confirmation"));
  finish("ok");
}

function auditResult(error: unknown): string {
  if (error instanceof CompShareApiError) return `retcode ${error.retCode}`;
  if (error instanceof CompShareError) return error.code;
  return "error";
}
