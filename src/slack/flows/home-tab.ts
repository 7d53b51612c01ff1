import type { webApi } from "@slack/bolt";
import { accountFor } from "../../domain/accounts.ts";
import type { Operation } from "../../domain/operations/index.ts";
import { actionConfigured } from "../../domain/policy/index.ts";
import type { BotServices } from "../services.ts";
import type { Turn } from "../turn.ts";
import { HOME_INSTANCES, type HomeInstances, type HomeRequests, homeView } from "../views/home.ts";
import type { KeySummary } from "../views/keys.ts";
import { fetchInstancePage } from "./instance-pages.ts";
import { groupMembers } from "./reinstall-kit.ts";

/** Enough to count what Home does not show; more than anyone keeps open at once. */
const OPEN_LIMIT = 50;
const RECENT_LIMIT = 5;

/** What the Home tab knows about the user's keys, without failing the tab when they cannot be read. */
async function keySummary(services: BotServices, turn: Turn): Promise<KeySummary | undefined> {
  try {
    const stored = await services.store.credentials.get(turn.teamId, turn.userId);
    if (!stored) return undefined;
    return {
      publicKey: stored.publicKey,
      region: stored.region,
      zone: stored.zone,
      since: stored.createdAt,
      ...(stored.projectId ? { projectId: stored.projectId } : {}),
    };
  } catch (error) {
    turn.log.warn({ err: error }, "stored keys unreadable while building the Home tab");
    return undefined;
  }
}

/** The user's requests, and (for approvers) what waits for them; the tab still opens if this fails. */
async function homeRequests(
  services: BotServices,
  turn: Turn,
  client: webApi.WebClient,
): Promise<HomeRequests | undefined> {
  if (!actionConfigured(services.policy, "reinstall")) return undefined;
  const approvals = services.operations;
  try {
    const check = await services.reinstall.approversFor("reinstall").check(turn.userId, groupMembers(client));
    const { allowSelfApproval: selfAllowed, approvalsRequired } = services.policy.actions.reinstall;
    const [mine, awaiting, recent, workspace] = await Promise.all([
      approvals.listForRequester(turn.teamId, turn.userId, {
        statuses: ["pending", "approved", "executing"],
        limit: OPEN_LIMIT,
      }),
      check === "approver"
        ? approvals.listPending(turn.teamId, {
            limit: OPEN_LIMIT,
            // The requester counts towards no quorum, and alone only where self-approval is allowed.
            ...(selfAllowed && approvalsRequired === 1 ? {} : { excludeRequester: turn.userId }),
          })
        : undefined,
      approvals.listRecent(turn.teamId, { involving: turn.userId, limit: RECENT_LIMIT }),
      workspaceUrl(client, turn),
    ]);
    // Stop, start and reboot are answered where they were asked; Home lists the requests that have cards.
    const carded = (operations: readonly Operation[]) =>
      operations.filter((operation) => operation.kind === "reinstall");
    return {
      mine: carded(mine),
      awaiting: awaiting && carded(awaiting),
      recent: carded(recent),
      linkTo: (request) => cardLink(workspace, request),
    };
  } catch (error) {
    turn.log.warn({ err: error }, "reinstall requests unavailable while building the Home tab");
    return undefined;
  }
}

/** auth.test names the workspace's URL: one call per Home instead of a chat.getPermalink per request. */
async function workspaceUrl(client: webApi.WebClient, turn: Turn): Promise<string | undefined> {
  try {
    return (await client.auth.test()).url;
  } catch (error) {
    turn.log.info({ err: error }, "no workspace URL for Home links");
    return undefined;
  }
}

/** Slack's message permalink shape: <workspace>/archives/<channel>/p<ts without the dot>. */
function cardLink(workspace: string | undefined, request: Operation): string | undefined {
  if (!workspace || !request.channelId || !request.messageTs) return undefined;
  const base = workspace.endsWith("/") ? workspace : `${workspace}/`;
  return `${base}archives/${request.channelId}/p${request.messageTs.replace(".", "")}`;
}

/** Home must not wait long on CompShare: the tab shows what it has. */
const HOME_INSTANCES_DEADLINE_MS = 2_000;

/** The first few of the user's instances; undefined without keys, "unavailable" when CompShare did not answer. */
async function homeInstances(services: BotServices, turn: Turn, linked: boolean): Promise<HomeInstances | undefined> {
  if (!linked) return undefined;
  try {
    const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
    const page = await fetchInstancePage(account, 0, { deadlineMs: HOME_INSTANCES_DEADLINE_MS, limit: HOME_INSTANCES });
    return { kind: "listed", instances: page.instances, total: page.total };
  } catch (error) {
    turn.log.info({ err: error }, "instances unavailable while building the Home tab");
    return { kind: "unavailable" };
  }
}

export async function publishHome(services: BotServices, turn: Turn, client: webApi.WebClient): Promise<void> {
  const keys = await keySummary(services, turn);
  const [requests, instances] = await Promise.all([
    homeRequests(services, turn, client),
    homeInstances(services, turn, keys !== undefined),
  ]);
  await client.views.publish({
    user_id: turn.userId,
    view: homeView(turn.view, { keys, ...(requests ? { requests } : {}), ...(instances ? { instances } : {}) }),
  });
}
