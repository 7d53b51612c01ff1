import type { BlockAction, ExternalSelectAction } from "@slack/bolt";
import { CompShareOutcomeUnknownError } from "../../compshare/errors.ts";
import { accountFor, NotLinkedError } from "../../domain/accounts.ts";
import { MAX_COVER_BYTES } from "../../domain/cover-image.ts";
import { type FormField, readSubmission } from "../../domain/image-changes.ts";
import { applyImageUpdate } from "../../domain/image-update.ts";
import { fillForm, ownImage, refusalText, sealFor } from "../flows/image-update-start.ts";
import type { Call } from "../listener-frame.ts";
import type { CommandOutcome } from "../metrics.ts";
import type { BotServices } from "../services.ts";
import { type ClickArgs, type OptionsArgs, onClick, onOptions, onSubmit, type SubmitArgs } from "../surfaces.ts";
import { option } from "../views/blocks.ts";
import { decodeUpdateMetadata } from "../views/image-update-metadata.ts";
import {
  imagePickerOptions,
  NO_CHOICE,
  nothingChangedModal,
  savingModal,
  UPDATE_BLOCKS,
  updatedModal,
} from "../views/image-update-modal.ts";
import { loadingModal, noticeModal } from "../views/modals.ts";
import { bold } from "../views/text.ts";
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

/** The edit flow's own listeners (type-ahead, pick, submit), sharing one cache of each user's images. */
export function imageUpdateListeners(services: BotServices) {
  const choices = new ImageChoiceCache({
    clock: services.clock,
    ttlMs: PICKER_CACHE_TTL_MS,
    maxUsers: PICKER_CACHE_USERS,
  });
  return {
    options: onOptions(
      services,
      {
        what: "update_suggest",
        localeWaitMs: 300,
        fallback: (m, error) =>
          option(error instanceof NotLinkedError ? m.update.pickerNotLinked : m.update.pickerUnavailable, NO_CHOICE),
      },
      (call) => handlePickerOptions(call, choices),
    ),
    pick: onClick<BlockAction<ExternalSelectAction>>(
      services,
      { what: "update_pick", localeWaitMs: 800, errors: { kind: "log" } },
      handlePickerChoice,
    ),
    submit: onSubmit(services, { what: "update_submit", title: (m) => m.update.title }, (call) =>
      handleUpdateSubmit(call, choices),
    ),
  };
}

/** Type-ahead over the user's own images; failures become a one-line option, since a menu has nowhere else to speak. */
async function handlePickerOptions({ args, services, turn }: Call<OptionsArgs>, choices: ImageChoiceCache) {
  const { ack, body } = args;
  const { teamId, userId } = turn;
  const { credentials, client } = await accountFor(services.store, services.compshare, teamId, userId);
  const images = await choices.get({ teamId, userId, publicKey: credentials.publicKey }, () =>
    listOwnImages(client, { deadlineMs: PICKER_DEADLINE_MS, maxImages: PICKER_MAX_IMAGES }),
  );
  await ack({ options: imagePickerOptions(turn.m, images, body.value ?? "") });
}

/** An image chosen in the picker: the same modal turns into that image's form. */
async function handlePickerChoice(call: Call<ClickArgs<BlockAction<ExternalSelectAction>>>) {
  const { args, services, turn } = call;
  const { body, action, client } = args;
  const imageId = action.selected_option?.value;
  if (!body.view || imageId === undefined || imageId === NO_CHOICE) return "ok";
  const viewId = body.view.id;
  // The modal may have changed or closed meanwhile; then there is nowhere left to answer.
  const loading = await client.views.update({
    view_id: viewId,
    hash: body.view.hash,
    view: loadingModal(turn.view, turn.m.update.title),
  });
  return fillForm(call, client, { viewId, hash: loading.view?.hash }, imageId, sealFor(services, turn), async () => {
    const { client: compshare } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
    return compshare;
  });
}

/**
 * The submission. Everything that can be wrong with a field is found before the ack, so it shows
 * inline and the user keeps their edits: the form itself, then the cover file (files.info and
 * the download, under a deadline that leaves room in Slack's 3 s). Then the ack turns the modal
 * into "saving…", and UpdateCompShareImage gets its full deadline: it is never retried, so a
 * deadline tight enough for the ack would turn slow successes into "outcome unknown". The
 * outcome replaces the modal with views.update.
 */
async function handleUpdateSubmit(call: Call<SubmitArgs>, choices: ImageChoiceCache): Promise<CommandOutcome> {
  const { args, services, turn } = call;
  const { ack, view, client } = args;
  const { teamId, m } = turn;

  const opened = services.updateFormSeal.open({ teamId, userId: turn.userId }, view.private_metadata);
  if (!opened.ok) {
    turn.log.warn({ why: opened.why }, "edit form refused: not bound to the submitter");
    await ack({ response_action: "update", view: noticeModal(turn.view, m.update.title, m.update.formNotYours) });
    return "user_error";
  }
  const snapshot = decodeUpdateMetadata(opened.metadata);
  const form = readSubmittedForm(view.state.values);
  if (!snapshot || !form) {
    turn.log.info({ hasSnapshot: snapshot !== undefined, hasForm: form !== undefined }, "edit form not readable");
    await ack({ response_action: "update", view: noticeModal(turn.view, m.update.title, m.update.formExpired) });
    return "user_error";
  }
  const imageId = snapshot.imageId;
  const submission = readSubmission(snapshot, form.input);
  if (!submission.ok) {
    await ack({ response_action: "errors", errors: problemErrors(m, submission.problems) });
    return "user_error";
  }
  if (submission.changes.length === 0 && form.coverFileId === undefined) {
    turn.log.info({ imageId }, "edit submitted without changes; nothing sent");
    await ack({ response_action: "push", view: nothingChangedModal(turn.view) });
    return "ok";
  }

  const compshare = (await accountFor(services.store, services.compshare, teamId, turn.userId)).client;
  let cover: CoverUpload | undefined;
  if (form.coverFileId !== undefined) {
    try {
      cover = await readCoverUpload(
        { files: client.files, botToken: services.config.slack.botToken, slackApiUrl: services.config.slack.apiUrl },
        form.coverFileId,
        { signal: AbortSignal.timeout(COVER_DEADLINE_MS) },
      );
    } catch (error) {
      if (!(error instanceof CoverUploadError)) throw error;
      turn.log.info({ err: error, imageId }, "cover refused");
      await ack({
        response_action: "errors",
        errors: { [UPDATE_BLOCKS.Cover]: coverProblemText(m, error, MAX_COVER_MB) },
      });
      return error.code === "cover_unreadable" ? "upstream" : "user_error";
    }
  }

  const name = form.input.Name.trim() || imageId;
  await ack({ response_action: "update", view: savingModal(turn.view, name) });
  const fields: FormField[] = [
    ...submission.changes.map((change) => change.field),
    ...(cover ? ["Cover" as const] : []),
  ];
  let requestId: string | undefined;
  try {
    // The form was this user's, but the image must still be: keys relinked to another account
    // since the form opened, or an image handed over, would otherwise send the write anyway.
    const owned = await ownImage(compshare, imageId);
    if (owned.kind === "refused" && owned.reason !== "making") {
      turn.log.info({ imageId, reason: owned.reason }, "edit refused: the image is not the submitter's");
      await services.store.audit
        .append({
          teamId,
          actorId: turn.userId,
          action: "image.update",
          target: imageId,
          result: `refused ${owned.reason}`,
          detail: { fields: fields.join(",") },
        })
        .catch((error: unknown) => turn.log.error({ err: error, imageId }, "could not write the audit entry"));
      await client.views.update({
        view_id: view.id,
        view: noticeModal(turn.view, m.update.notSavedTitle, refusalText(turn, imageId, owned)),
      });
      return "user_error";
    }
    ({ requestId } = await applyImageUpdate(
      { audit: services.store.audit, logger: turn.log },
      {
        client: compshare,
        teamId,
        userId: turn.userId,
        request: { CompShareImageId: imageId, ...submission.request, ...(cover ? { Cover: cover.base64 } : {}) },
        fields,
      },
    ));
  } catch (error) {
    const unknown = error instanceof CompShareOutcomeUnknownError;
    call.tellErrorsIn((reply) =>
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
    throw error;
  }
  choices.forget(teamId, turn.userId);
  turn.log.info({ imageId, fields, requestId }, "image updated");
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
  return "ok";
}
