import { describe, expect, it } from "vitest";
import { flattenParams, ParamEncodingError } from "../../src/compshare/params.ts";
import { stringToSign } from "../../src/compshare/signature.ts";

describe("flattenParams", () => {
  it("drops the .0 of an integral float and keeps plain decimals", () => {
    expect(flattenParams({ A: 35.0, B: 0.1, C: 65.722, D: -2.5, E: 0, F: -0 })).toEqual({
      A: "35",
      B: "0.1",
      C: "65.722",
      D: "-2.5",
      E: "0",
      F: "0",
    });
  });

  it("refuses numbers that would print in exponent form instead of sending them", () => {
    expect(() => flattenParams({ Price: 1e-7 })).toThrow(ParamEncodingError);
    expect(() => flattenParams({ Price: 1e21 })).toThrow(/exponent/);
    expect(() => flattenParams({ Price: Number.NaN })).toThrow(/not finite/);
    expect(() => flattenParams({ Price: Number.POSITIVE_INFINITY })).toThrow(ParamEncodingError);
  });

  it("encodes booleans, bigints and unicode strings as given", () => {
    expect(flattenParams({ AutoStart: true, Off: false, Big: 12345678901234567890n, Name: "深度学习 🚀" })).toEqual({
      AutoStart: "true",
      Off: "false",
      Big: "12345678901234567890",
      Name: "深度学习 🚀",
    });
  });

  it("flattens arrays 0-based, objects by field and arrays of objects", () => {
    expect(
      flattenParams({
        Tags: ["a", "b"],
        Softwares: { CUDAVersion: "12.1", Applications: ["Jupyter"] },
        Disks: [
          { Type: "CLOUD_SSD", Size: 100 },
          { Type: "CLOUD_RSSD", Size: 200, IsBoot: false },
        ],
      }),
    ).toEqual({
      "Tags.0": "a",
      "Tags.1": "b",
      "Softwares.CUDAVersion": "12.1",
      "Softwares.Applications.0": "Jupyter",
      "Disks.0.Type": "CLOUD_SSD",
      "Disks.0.Size": "100",
      "Disks.1.Type": "CLOUD_RSSD",
      "Disks.1.Size": "200",
      "Disks.1.IsBoot": "false",
    });
  });

  it("drops null and undefined, including inside arrays and objects", () => {
    expect(flattenParams({ A: null, B: undefined, C: [null, "x"], D: { E: undefined, F: "y" } })).toEqual({
      "C.0": "x",
      "D.F": "y",
    });
  });

  it("closes up an array around null and undefined items instead of leaving an index gap", () => {
    expect(flattenParams({ Tags: ["a", null, "b", undefined, "c"] })).toEqual({
      "Tags.0": "a",
      "Tags.1": "b",
      "Tags.2": "c",
    });
    expect(flattenParams({ Disks: [null, { Size: 1 }, undefined, { Size: 2 }] })).toEqual({
      "Disks.0.Size": "1",
      "Disks.1.Size": "2",
    });
    expect(flattenParams({ Tags: [null, undefined] })).toEqual({});
    const signed = stringToSign(flattenParams({ Tags: ["a", null, "b"] }), "pub", "priv");
    expect(signed).toBe("PublicKeypubTags.0aTags.1bpriv");
  });

  it("sorts Tags.10 before Tags.2 when signing", () => {
    const tags = Array.from({ length: 11 }, (_, i) => `t${i}`);
    const text = stringToSign(flattenParams({ Tags: tags }), "pub", "priv");
    expect(text.indexOf("Tags.10t10")).toBeLessThan(text.indexOf("Tags.2t2"));
    expect(text.indexOf("Tags.1t1")).toBeLessThan(text.indexOf("Tags.10t10"));
    expect(text.endsWith("priv")).toBe(true);
  });

  it("signs unicode values unescaped", () => {
    expect(stringToSign({ Tag: "深度学习" }, "pub", "priv")).toBe("PublicKeypubTag深度学习priv");
  });
});
