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
import type { KeySummary } from "./keys.ts";
import { maskKey } from "./text.ts";
import { type ViewContext, withBanner } from "./view-context.ts";

export const HOME_ACTIONS = {
  login: "home_login",
  platform: "home_list_platform",
  custom: "home_list_custom",
  shared: "home_list_shared",
} as const;

export interface HomeData {
  keys: KeySummary | undefined;
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
    );
  }
  const blocks: Block[] = [
    header(home.title),
    section(keys ? home.keysLinked(maskKey(keys.publicKey), keys.region, keys.zone) : home.keysMissing),
    actions(buttons, "home_actions"),
    divider(),
    context(home.helpText),
  ];
  return { type: "home", blocks: withBanner(ctx, blocks) };
}
