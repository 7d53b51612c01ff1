import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParamValue } from "../../src/compshare/params.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { call, ZONE } from "./sim-client.ts";

describe("simulator param checks", () => {
  let sim: Simulator;
  let imageId: string;
  let uhostId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    imageId = sim.state.listCustomImages(sim.demoAccount.accountId)[1]?.CompShareImageId ?? "";
    uhostId = sim.state.listInstances(sim.demoAccount.accountId)[0]?.UHostId ?? "";
  });
  afterAll(() => sim.close());

  const missingCases: [string, string, () => Record<string, ParamValue>][] = [
    ["DescribeCompShareImages", "Region", () => ({ Region: undefined })],
    ["DescribeCompShareCustomImages", "Region", () => ({ Region: undefined, Zone: ZONE })],
    ["DescribeCompShareCustomImages", "Zone", () => ({})],
    ["DescribeCompShareSharingImages", "Region", () => ({ Region: undefined })],
    ["DescribeCompShareInstance", "Region", () => ({ Region: undefined })],
    ["UpdateCompShareImage", "Region", () => ({ Region: undefined, Zone: ZONE, CompShareImageId: imageId })],
    ["UpdateCompShareImage", "Zone", () => ({ CompShareImageId: imageId })],
    ["UpdateCompShareImage", "CompShareImageId", () => ({ Zone: ZONE })],
    [
      "ReinstallCompShareInstance",
      "Region",
      () => ({ Region: undefined, Zone: ZONE, UHostId: uhostId, CompShareImageId: imageId }),
    ],
    ["ReinstallCompShareInstance", "Zone", () => ({ UHostId: uhostId, CompShareImageId: imageId })],
    ["ReinstallCompShareInstance", "UHostId", () => ({ Zone: ZONE, CompShareImageId: imageId })],
    ["ReinstallCompShareInstance", "CompShareImageId", () => ({ Zone: ZONE, UHostId: uhostId })],
    ["StopCompShareInstance", "UHostId", () => ({})],
    ["StartCompShareInstance", "UHostId", () => ({})],
    ["RebootCompShareInstance", "UHostId", () => ({})],
    ["CreateCompShareCustomImage", "Zone", () => ({ UHostId: uhostId, Name: "n" })],
    ["CreateCompShareCustomImage", "UHostId", () => ({ Zone: ZONE, Name: "n" })],
    ["CreateCompShareCustomImage", "Name", () => ({ Zone: ZONE, UHostId: uhostId })],
    ["GetCompShareImageCreateProgress", "Zone", () => ({ CompShareImageId: imageId })],
    ["GetCompShareImageCreateProgress", "CompShareImageId", () => ({ Zone: ZONE })],
  ];

  it.each(missingCases)("%s without %s answers 230 naming it", async (action, param, params) => {
    const reply = await call(sim, sim.demoAccount, action, params());
    expect(reply.body).toMatchObject({
      Action: `${action}Response`,
      RetCode: 230,
      Message: `Missing params [${param}]`,
    });
  });

  it("treats an empty required value as missing", async () => {
    const reply = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", { Zone: "" });
    expect(reply.body).toMatchObject({ RetCode: 230, Message: "Missing params [Zone]" });
  });

  it("refuses a zone outside the region as UCloud does", async () => {
    const reply = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", { Zone: "cn-sh2-02" });
    expect(reply.body).toMatchObject({ RetCode: 230, Message: "Params [Zone] not available" });
  });

  const malformedCases: [string, string, Record<string, ParamValue>][] = [
    ["DescribeCompShareImages", "Limit", { Limit: "abc" }],
    ["DescribeCompShareImages", "Limit", { Limit: 101 }],
    ["DescribeCompShareImages", "Limit", { Limit: 0 }],
    ["DescribeCompShareImages", "Limit", { Limit: "2.5" }],
    ["DescribeCompShareImages", "Offset", { Offset: -1 }],
    ["DescribeCompShareImages", "Offset", { Offset: "x" }],
    ["DescribeCompShareImages", "ImageType", { ImageType: "Custom" }],
    ["DescribeCompShareSharingImages", "Limit", { Limit: 500 }],
    ["DescribeCompShareInstance", "Offset", { Offset: "-5" }],
  ];

  it.each(malformedCases)("%s with a bad %s answers 230 naming it", async (action, param, params) => {
    const reply = await call(sim, sim.demoAccount, action, params);
    expect(reply.body.RetCode).toBe(230);
    expect(reply.body.Message).toMatch(new RegExp(`^Params \\[${param}\\] not valid`));
  });

  const badUpdates: [string, Record<string, ParamValue>][] = [
    ["Visibility", { Visibility: 2 }],
    ["Price", { Price: -1 }],
    ["Price", { Price: "free" }],
    ["Price", { Price: "1e3" }],
    ["Tags", { Tags: ["a", "b", "c", "d"] }],
    ["AutoStart", { AutoStart: "yes" }],
    ["Name", { Name: "  " }],
    ["Cover", { Cover: "not base64!" }],
    ["Cover", { Cover: Buffer.from("plain text, not an image").toString("base64") }],
  ];

  it.each(badUpdates)(
    "UpdateCompShareImage with a bad %s answers 230 naming it and changes nothing",
    async (param, params) => {
      const before = sim.state.getImage(imageId);
      const reply = await call(sim, sim.demoAccount, "UpdateCompShareImage", {
        Zone: ZONE,
        CompShareImageId: imageId,
        Description: "should not be applied",
        ...params,
      });
      expect(reply.body.RetCode).toBe(230);
      expect(reply.body.Message).toMatch(new RegExp(`^Params \\[${param}\\] not valid`));
      expect(sim.state.getImage(imageId)).toEqual(before);
    },
  );
});
