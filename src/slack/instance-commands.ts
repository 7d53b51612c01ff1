import type { OperationKind } from "../domain/operations/index.ts";

/**
 * The instance power commands, one entry each: what the user types (in either language), the
 * engine operation it runs, and the states the instance must be in for its button to show.
 * Adding an operation here adds its command, its alias, its button and its dispatch; its words
 * live in the catalogues under `instances.ops[kind]`.
 */
export interface InstanceCommand {
  readonly kind: Extract<OperationKind, "stop" | "start" | "reboot">;
  readonly aliases: readonly string[];
  /** The states from which CompShare accepts it; other states hide the button and refuse the command. */
  readonly from: readonly string[];
}

export const INSTANCE_COMMANDS = {
  stop: { kind: "stop", aliases: ["stop", "关机", "停止"], from: ["Running"] },
  start: { kind: "start", aliases: ["start", "开机", "启动"], from: ["Stopped"] },
  reboot: { kind: "reboot", aliases: ["reboot", "restart", "重启"], from: ["Running"] },
} as const satisfies Record<string, InstanceCommand>;

export type InstanceCommandKind = keyof typeof INSTANCE_COMMANDS;

export function instanceCommand(kind: string): InstanceCommand | undefined {
  return Object.hasOwn(INSTANCE_COMMANDS, kind) ? INSTANCE_COMMANDS[kind as InstanceCommandKind] : undefined;
}
