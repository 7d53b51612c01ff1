import type { CompShareClient } from "../../compshare/client.ts";
import type { LinkedAccount } from "../../domain/accounts.ts";
import { findImage } from "../../domain/image-search.ts";
import type { Turn } from "../turn.ts";
import type { ImageInfo, InstanceInfo } from "../views/reinstall-modal.ts";
import { type InstanceLookup, lookUpInstances } from "./instance-targets.ts";
import type { ReinstallKit } from "./reinstall-kit.ts";

/** What the requester's keys see of the instances and the image in the reinstall form. */

export interface InstancesSeen {
  infos: InstanceInfo[];
  /** Undefined when CompShare could not be asked in time. */
  lookup: InstanceLookup | undefined;
}

export async function seeInstances(
  turn: Turn,
  account: LinkedAccount,
  instanceIds: readonly string[],
  deadlineMs?: number,
): Promise<InstancesSeen> {
  try {
    const lookup = await lookUpInstances(account, instanceIds, deadlineMs !== undefined ? { deadlineMs } : {});
    const byId = new Map(lookup.found.map((instance) => [instance.UHostId, instance]));
    const infos = instanceIds.map((id): InstanceInfo => {
      const found = byId.get(id);
      if (!found) return { kind: "missing", id, region: account.credentials.region };
      const gpu = found.GpuType ? (found.GPU ? `${found.GPU}× ${found.GpuType}` : found.GpuType) : undefined;
      return {
        kind: "found",
        id,
        ...(found.Name ? { name: found.Name } : {}),
        ...(gpu ? { gpu } : {}),
        ...(found.State ? { state: found.State } : {}),
        ...(found.Zone ? { zone: found.Zone } : {}),
      };
    });
    return { infos, lookup };
  } catch (error) {
    turn.log.info({ err: error }, "instance lookup failed");
    return { infos: instanceIds.map((id) => ({ kind: "unchecked", id })), lookup: undefined };
  }
}

export interface ImageSeen {
  info: ImageInfo;
  missing: boolean;
}

export async function seeImage(
  turn: Turn,
  kit: ReinstallKit,
  client: CompShareClient,
  imageId: string,
  deadlineMs?: number,
): Promise<ImageSeen | undefined> {
  const cached = kit.catalogue.peek(turn.teamId, turn.userId)?.find((image) => image.id === imageId);
  if (cached) {
    return {
      info: { name: cached.name, type: cached.type, status: cached.status, source: cached.source },
      missing: false,
    };
  }
  try {
    const found = await findImage(client, imageId, { deadlineMs });
    if (!found) return { info: {}, missing: true };
    const { image, source } = found;
    return { info: { name: image.Name, type: image.ImageType, status: image.Status, source }, missing: false };
  } catch (error) {
    turn.log.info({ err: error }, "image lookup failed");
    return undefined;
  }
}
