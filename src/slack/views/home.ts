import type { CompShareInstance } from "../../compshare/schemas.ts";
import type { Operation } from "../../domain/operations/index.ts";
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  context,
  divider,
  type HomeView,
  header,
  section,
} from "./blocks.ts";
import { instanceLine } from "./instances.ts";
import type { KeySummary } from "./keys.ts";
import { operationSummary, statusWord } from "./operation-card.ts";
import { maskKey } from "./text.ts";
import { type ViewContext, withBanner } from "./view-context.ts";

export const HOME_ACTIONS = {
  login: "home_login",
  platform: "home_list_platform",
  custom: "home_list_custom",
  shared: "home_list_shared",
  reinstall: "home_reinstall",
} as const;

/** How many requests each Home list shows; the rest are counted. */
const HOME_LIST_SIZE = 5;
/** How many instances Home shows; `/compshare instances` has them all, with their buttons. */
export const HOME_INSTANCES = 5;

export type HomeInstances =
  | { kind: "listed"; instances: readonly CompShareInstance[]; total: number }
  | { kind: "unavailable" };

export interface HomeRequests {
  /** The user's requests still open, newest first. */
  mine: readonly Operation[];
  /** Requests the user may decide; undefined when the user is not an approver. */
  awaiting: readonly Operation[] | undefined;
  /** Finished requests the user asked for or decided, newest first. */
  recent: readonly Operation[];
  /** A link to each request's card, when it has one. */
  linkTo(request: Operation): string | undefined;
}

export interface HomeData {
  keys: KeySummary | undefined;
  /** Absent when reinstall requests are not configured. */
  requests?: HomeRequests;
  /** Absent without keys. */
  instances?: HomeInstances;
}

export function homeView(ctx: ViewContext, data: HomeData): HomeView {
  const { home } = ctx.m;
  const keys = data.keys;
  const buttons: ButtonElement[] = [
    button({
      text: keys ? home.replaceKeys : home.linkKeys,
      actionId: HOME_ACTIONS.login,
      ...(keys ? {} : { style: "primary" as const }),
    }),
  ];
  if (keys) {
    buttons.push(
      button({ text: home.browse, actionId: HOME_ACTIONS.platform }),
      button({ text: home.custom, actionId: HOME_ACTIONS.custom }),
      button({ text: home.shared, actionId: HOME_ACTIONS.shared }),
      button({ text: ctx.m.reinstall.home.request, actionId: HOME_ACTIONS.reinstall }),
    );
  }
  const blocks: Block[] = [
    header(home.title),
    section(keys ? home.keysLinked(maskKey(keys.publicKey), keys.region, keys.zone) : home.keysMissing),
    actions(buttons, "home_actions"),
  ];
  if (data.instances) blocks.push(...instanceBlocks(ctx, data.instances));
  if (data.requests) blocks.push(...requestBlocks(ctx, data.requests));
  blocks.push(divider(), context(home.helpText));
  return { type: "home", blocks: withBanner(ctx, blocks) };
}

function requestBlocks(ctx: ViewContext, requests: HomeRequests): Block[] {
  const h = ctx.m.reinstall.home;
  const list = (title: string, items: readonly Operation[], none: string): Block[] => {
    const shown = items.slice(0, HOME_LIST_SIZE);
    const blocks: Block[] = [divider(), header(title)];
    if (shown.length === 0) blocks.push(context(none));
    for (const request of shown) {
      const link = requests.linkTo(request);
      const text = h.item(operationSummary(ctx.m, request), statusWord(ctx.m, request), request.requesterId);
      blocks.push(section(link ? `${text} · <${link}|${h.openCard}>` : text));
    }
    if (items.length > shown.length) blocks.push(context(h.more(items.length - shown.length)));
    return blocks;
  };
  return [
    ...list(h.mine, requests.mine, h.mineNone),
    ...(requests.awaiting ? list(h.awaiting, requests.awaiting, h.awaitingNone) : []),
    ...list(h.recent, requests.recent, h.recentNone),
  ];
}

function instanceBlocks(ctx: ViewContext, instances: HomeInstances): Block[] {
  const h = ctx.m.instances.home;
  const blocks: Block[] = [divider(), header(h.title)];
  if (instances.kind === "unavailable") return [...blocks, context(h.unavailable)];
  if (instances.instances.length === 0) return [...blocks, context(h.none)];
  const shown = instances.instances.slice(0, HOME_INSTANCES);
  for (const instance of shown) blocks.push(section(instanceLine(ctx.m, instance)));
  if (instances.total > shown.length) blocks.push(context(h.more(instances.total - shown.length)));
  return blocks;
}
