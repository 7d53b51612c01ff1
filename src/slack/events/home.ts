import { publishHome } from "../flows/home-tab.ts";
import type { Call } from "../listener-frame.ts";
import type { HomeOpenedArgs } from "../surfaces.ts";

/** The Home tab, drawn fresh each time it is opened. */
export async function handleAppHomeOpened({ args, services, turn }: Call<HomeOpenedArgs>): Promise<void> {
  if (args.event.tab !== "home") return;
  await publishHome(services, turn, args.client);
}
