import { z } from "zod";

/**
 * What the bot reads from each kind of Slack delivery, as zod schemas checked at the receiver
 * (receiver-guard.ts) before Bolt routes anything. A delivery that fails its schema is one Slack
 * would never send, so it is refused there and no handler ever meets a missing field. Fields the
 * bot does not read are let through untouched.
 */

const slackId = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);

const who = z.object({ id: slackId, team_id: slackId.optional() });
/** Enterprise Grid sends `team: null` for org-wide apps; the user's team_id then says where. */
const team = z.object({ id: slackId }).nullable().optional();

export const slashCommandSchema = z.object({
  command: z.string().min(1).max(64),
  text: text(4000),
  team_id: slackId,
  user_id: slackId,
  channel_id: slackId.optional(),
  response_url: z.url(),
  trigger_id: z.string().min(1).max(256),
});

const stateValues = z.record(z.string(), z.record(z.string(), z.object({}).loose()));

const viewInAction = z
  .object({
    id: slackId,
    hash: z.string().max(256).optional(),
    callback_id: z.string().max(255).optional(),
    private_metadata: z.string().max(3000).optional(),
    state: z.object({ values: stateValues }).optional(),
  })
  .loose();

const action = z
  .object({
    action_id: z.string().min(1).max(255),
    block_id: z.string().max(255).optional(),
    value: z.string().max(2000).optional(),
  })
  .loose();

export const blockActionsSchema = z
  .object({
    type: z.literal("block_actions"),
    user: who,
    team,
    trigger_id: z.string().min(1).max(256),
    actions: z.array(action).min(1).max(25),
    response_url: z.url().optional(),
    view: viewInAction.optional(),
  })
  .loose();

export const viewSubmissionSchema = z
  .object({
    type: z.literal("view_submission"),
    user: who,
    team,
    view: z
      .object({
        id: slackId,
        hash: z.string().min(1).max(256),
        callback_id: z.string().max(255),
        private_metadata: z.string().max(3000),
        state: z.object({ values: stateValues }),
      })
      .loose(),
  })
  .loose();

export const viewClosedSchema = z
  .object({
    type: z.literal("view_closed"),
    user: who,
    team,
    view: z.object({ id: slackId, callback_id: z.string().max(255) }).loose(),
  })
  .loose();

export const blockSuggestionSchema = z
  .object({
    type: z.literal("block_suggestion"),
    user: who,
    team,
    action_id: z.string().min(1).max(255),
    block_id: z.string().max(255),
    value: z.string().max(2000),
    view: viewInAction.optional(),
  })
  .loose();

export const eventCallbackSchema = z
  .object({
    type: z.literal("event_callback"),
    team_id: slackId,
    event_id: z.string().min(1).max(128),
    event: z.object({ type: z.string().min(1).max(64), user: slackId.optional() }).loose(),
  })
  .loose();

export const urlVerificationSchema = z.object({ type: z.literal("url_verification"), challenge: z.string().max(200) });

export type SlashCommandDelivery = z.infer<typeof slashCommandSchema>;
export type ViewSubmissionDelivery = z.infer<typeof viewSubmissionSchema>;
