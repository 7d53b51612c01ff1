export {
  type CallEvent,
  type CallOptions,
  type CompShareAccount,
  type CompShareApi,
  type CompShareApiOptions,
  type CompShareClient,
  createCompShareApi,
  type ImagePage,
  type InstancePage,
} from "./client.ts";
export {
  CompShareAbortedError,
  CompShareApiError,
  CompShareError,
  type CompShareErrorCode,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  CompShareTimeoutError,
  type RequestIssue,
  type TimeoutPhase,
} from "./errors.ts";
export type { ParamValue } from "./params.ts";
export { RETCODES, type RetCodeInfo, type RetCodeKey, retCodeInfo, retCodeKey } from "./retcodes.ts";
export {
  type CompShareImage,
  type CompShareInstance,
  type DescribeCustomImagesRequest,
  type DescribeImagesRequest,
  type DescribeInstancesRequest,
  type DescribeSharingImagesRequest,
  IMAGE_ID_PATTERN,
  INSTANCE_ID_PATTERN,
  MAX_PAGE_LIMIT,
  MAX_TAGS,
  type ReinstallInstanceRequest,
  type UpdateImageRequest,
} from "./schemas.ts";
