import type { BotServices } from "./services.ts";

/** Wraps a listener so shutdown waits for it, and hands it the services. */
export function tracked<A>(services: BotServices, handler: (services: BotServices, args: A) => Promise<void>) {
  return (args: A): Promise<void> => services.inFlight.track(() => handler(services, args));
}
