import type { CompShareClient } from "../compshare/client.ts";
import { CompShareApiError, CompShareError } from "../compshare/errors.ts";
import type { UpdateImageRequest } from "../compshare/schemas.ts";
import type { Logger } from "../log.ts";
import type { AuditLog } from "../store/types.ts";

/**
 * Journey 3's one write: UpdateCompShareImage with the changed fields, sent once (the client
 * never retries it), and its audit row whatever the outcome. A failing audit write is logged and
 * must not hide the outcome from the person who asked.
 */
export async function applyImageUpdate(
  deps: { audit: AuditLog; logger: Logger },
  input: {
    client: CompShareClient;
    teamId: string;
    userId: string;
    request: UpdateImageRequest & { CompShareImageId: string };
    /** The form fields the request carries, for the audit row. */
    fields: readonly string[];
  },
): Promise<{ requestId: string | undefined }> {
  const imageId = input.request.CompShareImageId;
  const audit = (result: string) =>
    deps.audit
      .append({
        teamId: input.teamId,
        actorId: input.userId,
        action: "image.update",
        target: imageId,
        result,
        detail: { fields: input.fields.join(",") },
      })
      .catch((error: unknown) => deps.logger.error({ err: error, imageId, result }, "could not write the audit entry"));
  try {
    const { requestId } = await input.client.updateImage(input.request);
    await audit("ok");
    return { requestId };
  } catch (error) {
    await audit(auditResult(error));
    throw error;
  }
}

function auditResult(error: unknown): string {
  if (error instanceof CompShareApiError) return `retcode ${error.retCode}`;
  if (error instanceof CompShareError) return error.code;
  return "error";
}
