import type { CompShareInstance } from "../../compshare/schemas.ts";
import type { LinkedAccount } from "../../domain/accounts.ts";
import type { Target } from "../../domain/operations/index.ts";

/** What the requester's own keys see of the instances they named (DescribeCompShareInstance). */
export interface InstanceLookup {
  found: CompShareInstance[];
  /** Ids their keys cannot see: unknown, deleted, another account's or in another zone. */
  missing: string[];
}

export async function lookUpInstances(
  account: LinkedAccount,
  instanceIds: readonly string[],
  options: { deadlineMs?: number } = {},
): Promise<InstanceLookup> {
  if (instanceIds.length === 0) return { found: [], missing: [] };
  const page = await account.client.describeInstances(
    { UHostIds: [...instanceIds], Limit: instanceIds.length },
    options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {},
  );
  const byId = new Map(page.UHostSet.map((instance) => [instance.UHostId, instance]));
  const found: CompShareInstance[] = [];
  const missing: string[] = [];
  for (const id of instanceIds) {
    const instance = byId.get(id);
    if (instance) found.push(instance);
    else missing.push(id);
  }
  return { found, missing };
}

/** The instance as the request records it (language-neutral; the views put it into words). */
export function targetOf(instance: CompShareInstance): Target {
  const gpu = instance.GpuType ? (instance.GPU ? `${instance.GPU}× ${instance.GpuType}` : instance.GpuType) : undefined;
  return {
    instanceId: instance.UHostId,
    ...(instance.Name ? { name: instance.Name.slice(0, 256) } : {}),
    ...(gpu ? { gpu: gpu.slice(0, 128) } : {}),
    ...(instance.State ? { stateBefore: instance.State.slice(0, 64) } : {}),
    ...(instance.CompShareImageId ? { imageBeforeId: instance.CompShareImageId.slice(0, 128) } : {}),
    ...(instance.CompShareImageName ? { imageBeforeName: instance.CompShareImageName.slice(0, 256) } : {}),
  };
}
