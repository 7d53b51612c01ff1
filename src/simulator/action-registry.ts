import type { ActionDefinition } from "./actions/action.ts";
import { createCompShareCustomImage } from "./actions/create-custom-image.ts";
import { describeCompShareCustomImages } from "./actions/describe-custom-images.ts";
import { describeCompShareImages } from "./actions/describe-images.ts";
import { describeCompShareInstance } from "./actions/describe-instance.ts";
import { describeCompShareSharingImages } from "./actions/describe-sharing-images.ts";
import { getCompShareImageCreateProgress } from "./actions/image-create-progress.ts";
import { rebootCompShareInstance, startCompShareInstance, stopCompShareInstance } from "./actions/power.ts";
import { reinstallCompShareInstance } from "./actions/reinstall-instance.ts";
import { updateCompShareImage } from "./actions/update-image.ts";

export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map([
  ["DescribeCompShareImages", describeCompShareImages],
  ["DescribeCompShareCustomImages", describeCompShareCustomImages],
  ["DescribeCompShareSharingImages", describeCompShareSharingImages],
  ["DescribeCompShareInstance", describeCompShareInstance],
  ["UpdateCompShareImage", updateCompShareImage],
  ["ReinstallCompShareInstance", reinstallCompShareInstance],
  ["StopCompShareInstance", stopCompShareInstance],
  ["StartCompShareInstance", startCompShareInstance],
  ["RebootCompShareInstance", rebootCompShareInstance],
  ["CreateCompShareCustomImage", createCompShareCustomImage],
  ["GetCompShareImageCreateProgress", getCompShareImageCreateProgress],
]);
