import type { LinkedAccount } from "../../domain/accounts.ts";
import { INSTANCES_PAGE_SIZE, type InstancePageData } from "../views/instances.ts";

/** One page of the user's instances in their zone (DescribeCompShareInstance, Offset/Limit). */
export async function fetchInstancePage(
  account: LinkedAccount,
  offset: number,
  options: { deadlineMs?: number; limit?: number } = {},
): Promise<InstancePageData> {
  const page = await account.client.describeInstances(
    { Offset: offset, Limit: options.limit ?? INSTANCES_PAGE_SIZE },
    options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {},
  );
  return { instances: page.UHostSet, offset, total: page.TotalCount, region: account.credentials.region };
}
