import { describe, expect, it } from "vitest";
import {
  CompShareAbortedError,
  CompShareApiError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareRequestError,
  CompShareTimeoutError,
} from "../../src/compshare/errors.ts";
import type { CompShareInstance } from "../../src/compshare/schemas.ts";
import type { Operation, Step } from "../../src/domain/operations/api.ts";
import { nextPollDelay } from "../../src/domain/operations/backoff.ts";
import { judgeMutation, judgeWait } from "../../src/domain/operations/evidence.ts";
import { instanceOutcomes, planSteps } from "../../src/domain/operations/index.ts";
import { isSettled } from "../../src/domain/operations/plan-driver.ts";
import { definiteRefusal } from "../../src/domain/operations/step-context.ts";

/** The engine's pure parts: the plan, the evidence table, what counts as a refusal, the outcome summary. */

const IMAGE = "compshareImage-new";
const instance = (fields: Partial<CompShareInstance>): CompShareInstance => ({ UHostId: "uhost-1", ...fields });

describe("planSteps", () => {
  it("orders a reinstall: stop and wait, snapshot, reinstall and wait for it to land, start and wait", () => {
    const plan = planSteps("reinstall", [{ instanceId: "uhost-1" }], {
      image: { id: IMAGE, name: "CUDA 12" },
      stopFirst: true,
      startAfter: true,
      snapshotName: "keep",
    });
    expect(plan.map((s) => s.action)).toEqual([
      { kind: "stop" },
      { kind: "wait-for-state", state: "Stopped" },
      { kind: "snapshot", imageName: "keep" },
      { kind: "reinstall", imageId: IMAGE, imageName: "CUDA 12" },
      { kind: "wait-for-state", state: "Stopped", imageId: IMAGE },
      { kind: "start" },
      { kind: "wait-for-state", state: "Running" },
    ]);
  });

  it("leaves out what was not asked for, and names each instance's copy apart", () => {
    const plan = planSteps("reinstall", [{ instanceId: "uhost-1" }, { instanceId: "uhost-2" }], {
      image: { id: IMAGE },
      snapshotName: "keep",
    });
    expect(plan.map((s) => `${s.instanceId} ${s.action.kind}`)).toEqual([
      "uhost-1 snapshot",
      "uhost-1 reinstall",
      "uhost-1 wait-for-state",
      "uhost-2 snapshot",
      "uhost-2 reinstall",
      "uhost-2 wait-for-state",
    ]);
    expect(plan.filter((s) => s.action.kind === "snapshot").map((s) => s.action)).toEqual([
      { kind: "snapshot", imageName: "keep-1" },
      { kind: "snapshot", imageName: "keep-2" },
    ]);
  });

  it("plans stop, start and reboot as the write and a wait for its end state", () => {
    expect(planSteps("stop", [{ instanceId: "u" }], {}).map((s) => s.action)).toEqual([
      { kind: "stop" },
      { kind: "wait-for-state", state: "Stopped" },
    ]);
    expect(planSteps("reboot", [{ instanceId: "u" }], {}).map((s) => s.action)).toEqual([
      { kind: "reboot" },
      { kind: "wait-for-state", state: "Running" },
    ]);
  });
});

describe("evidence", () => {
  it("settles a reinstall only when the image is on the instance and it has left the transitional states", () => {
    const action = { kind: "reinstall", imageId: IMAGE } as const;
    expect(judgeMutation(action, instance({ State: "Initializing", CompShareImageId: IMAGE })).settled).toBe(false);
    expect(judgeMutation(action, instance({ State: "Stopped", CompShareImageId: "compshareImage-old" })).settled).toBe(
      false,
    );
    expect(judgeMutation(action, instance({ State: "Stopped", CompShareImageId: IMAGE }))).toMatchObject({
      settled: "done",
      result: { reconciled: true, observedImageId: IMAGE, observedState: "Stopped" },
    });
    expect(judgeMutation(action, instance({ State: "Install Fail", CompShareImageId: IMAGE }))).toMatchObject({
      settled: "failed",
      result: { problem: { code: "instance_failed", state: "Install Fail" } },
    });
    expect(judgeMutation(action, undefined)).toMatchObject({
      settled: "failed",
      result: { problem: { code: "instance_gone" } },
    });
  });

  it("does not take an image the instance already had as proof, unless it was seen reinstalling", () => {
    const action = { kind: "reinstall", imageId: IMAGE } as const;
    const landed = instance({ State: "Stopped", CompShareImageId: IMAGE });
    expect(judgeMutation(action, landed, { imageBefore: IMAGE }).settled).toBe(false);
    expect(judgeMutation(action, landed, { imageBefore: IMAGE, sawTransition: true }).settled).toBe("done");
    expect(judgeMutation(action, landed, { imageBefore: "compshareImage-old" }).settled).toBe("done");
  });

  it("settles stop and start by state, and a reboot only by seeing it reboot", () => {
    expect(judgeMutation({ kind: "stop" }, instance({ State: "Stopping" })).settled).toBe("done");
    expect(judgeMutation({ kind: "stop" }, instance({ State: "Running" })).settled).toBe(false);
    expect(judgeMutation({ kind: "start" }, instance({ State: "Running" })).settled).toBe("done");
    expect(judgeMutation({ kind: "start" }, instance({ State: "Stopped" })).settled).toBe(false);
    expect(judgeMutation({ kind: "reboot" }, instance({ State: "Rebooting" })).settled).toBe("done");
    expect(judgeMutation({ kind: "reboot" }, instance({ State: "Running" })).settled).toBe(false);
  });

  it("waits for the state and, after a reinstall, for the image", () => {
    const wait = { kind: "wait-for-state", state: "Stopped", imageId: IMAGE } as const;
    expect(judgeWait(wait, instance({ State: "Stopped", CompShareImageId: "compshareImage-old" })).settled).toBe(false);
    expect(judgeWait(wait, instance({ State: "Stopped", CompShareImageId: IMAGE })).settled).toBe("done");
    expect(judgeWait({ kind: "wait-for-state", state: "Running" }, instance({ State: "Starting" }))).toMatchObject({
      settled: false,
      lastState: "Starting",
    });
  });
});

describe("what proves a write was refused", () => {
  const action = "StopCompShareInstance";

  it("an API answer with a RetCode: CompShare did nothing", () => {
    expect(definiteRefusal(new CompShareApiError(226603, "GPU not supported", { action }))).toEqual({
      code: "refused",
      retCode: 226603,
      message: "GPU not supported",
    });
  });

  it("a request that never left: not sent", () => {
    for (const error of [
      new CompShareNetworkError("ECONNREFUSED", { action, requestSent: false }),
      new CompShareTimeoutError("connect", { action, requestSent: false }),
      new CompShareAbortedError({ action, requestSent: false }),
      new CompShareRequestError([{ path: "UHostId", message: "bad" }], { action }),
    ]) {
      expect(definiteRefusal(error)).toEqual({ code: "not_sent" });
    }
  });

  it("anything else after sending proves nothing, HTTP 500 included (issue 12 item 17)", () => {
    const sent = new CompShareTimeoutError("headers", { action, requestSent: true });
    for (const error of [
      new CompShareOutcomeUnknownError(sent),
      sent,
      new CompShareHttpError(500, { action }),
      new CompShareHttpError(503, { action }),
      new CompShareInvalidResponseError("x", { action }),
      new TypeError("a bug"),
    ]) {
      expect(definiteRefusal(error)).toBeUndefined();
    }
  });
});

describe("polling backoff", () => {
  it("starts at 2 s and doubles to 20 s", () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let i = 0; i < 6; i += 1) {
      delay = nextPollDelay(delay);
      delays.push(delay);
    }
    expect(delays).toEqual([2000, 4000, 8000, 16000, 20000, 20000]);
  });
});

describe("outcomes", () => {
  const step = (position: number, instanceId: string, fields: Partial<Step>): Step => ({
    requestId: "req_x",
    position,
    instanceId,
    action: { kind: "stop" },
    status: "done",
    attempts: 0,
    sent: false,
    updatedAt: new Date(0),
    ...fields,
  });
  const operation = (steps: Step[]): Operation =>
    ({ targets: [{ instanceId: "a" }, { instanceId: "b" }], steps }) as unknown as Operation;

  it("gives each instance its state, image and snapshot, or the step that stopped it", () => {
    const op = operation([
      step(0, "a", { action: { kind: "snapshot", imageName: "k" }, result: { createdImageId: "compshareImage-copy" } }),
      step(1, "a", {
        action: { kind: "wait-for-state", state: "Running" },
        result: { observedState: "Running", observedImageId: IMAGE },
      }),
      step(2, "b", { status: "failed", result: { problem: { code: "instance_gone" } } }),
      step(3, "b", { status: "skipped" }),
    ]);
    expect(instanceOutcomes(op)).toEqual([
      {
        instanceId: "a",
        status: "done",
        finalState: "Running",
        imageId: IMAGE,
        snapshotImageId: "compshareImage-copy",
      },
      expect.objectContaining({ instanceId: "b", status: "failed", problem: { code: "instance_gone" } }),
    ]);
    expect(isSettled(op)).toBe(true);
  });

  it("is not settled while an instance still has a step to run", () => {
    expect(isSettled(operation([step(0, "a", {}), step(1, "b", { status: "pending" })]))).toBe(false);
    expect(isSettled(operation([step(0, "a", { status: "unknown" }), step(1, "a", { status: "pending" })]))).toBe(true);
  });
});
