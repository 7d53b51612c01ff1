import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runDoctorCommand } from "../../src/cli/doctor-command.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";

const world = useLoopbackWorld("doctor");

function capture() {
  const lines: string[] = [];
  const io: CliIo = { out: (t) => lines.push(t), err: (t) => lines.push(t) };
  return { io, text: () => lines.join("\n") };
}

const token = `xoxb-1-2-${randomBytes(8).toString("hex")}`;
const baseEnv = () => ({
  SLACK_BOT_TOKEN: token,
  SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
  CREDENTIALS_KEY: randomBytes(32).toString("base64"),
  SLACK_API_URL: world.slack.apiUrl,
  COMPSHARE_API_URL: world.sim.url,
  DATABASE_URL: `sqlite:${join(world.dir, "doctor.sqlite")}`,
});

it("passes every check when configuration, store, Slack and CompShare are fine", async () => {
  const c = capture();
  expect(await runDoctorCommand([], c.io, baseEnv())).toBe(0);
  expect(c.text()).toMatch(/ok {2}\s*configuration/);
  expect(c.text()).toMatch(/ok {2}\s*store\s+sqlite reachable, migrations applied/);
  expect(c.text()).toMatch(/ok {2}\s*slack\s+bot token works/);
  expect(c.text()).toMatch(/ok {2}\s*compshare\s+.*answers/);
  expect(c.text()).toContain("reinstall requests disabled");
  expect(c.text()).not.toContain(token);
});

it("says what to fix when Slack rejects the token and CompShare cannot be reached", async () => {
  world.slack.fail("auth.test", { kind: "error", error: "invalid_auth" });
  const c = capture();
  const code = await runDoctorCommand(
    [],
    c.io,
    { ...baseEnv(), COMPSHARE_API_URL: "http://127.0.0.1:1" },
    { timeoutMs: 2000 },
  );
  expect(code).toBe(1);
  expect(c.text()).toMatch(/FAIL\s+slack\s+Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
  expect(c.text()).toMatch(/FAIL\s+compshare\s+cannot reach http:\/\/127\.0\.0\.1:1/);
  expect(c.text()).toContain("2 checks failed.");
});

it("lists configuration problems first", async () => {
  const c = capture();
  expect(await runDoctorCommand([], c.io, {})).toBe(1);
  expect(c.text()).toContain("SLACK_BOT_TOKEN: is not set");
});

it("checks POLICY_FILE: every problem with its line, and nothing else is wrong", async () => {
  const path = join(world.dir, "bad-policy.yml");
  await writeFile(path, "restart: {}\nreinstall:\n  approvals: 0\n");
  const c = capture();
  expect(await runDoctorCommand([], c.io, { ...baseEnv(), POLICY_FILE: path })).toBe(1);
  expect(c.text()).toContain(`FAIL  policy         2 problems in POLICY_FILE ${path}:`);
  expect(c.text()).toContain(
    `      line 1: "restart" is not an action: use reinstall, stop, start, reboot, update, default`,
  );
  expect(c.text()).toContain("      line 3: reinstall.approvals must be at least 1");
  expect(c.text()).toMatch(/ok {2}\s*slack/);
  expect(c.text()).toContain("1 check failed.");
});

it("says what a good policy file asks for, and which variables it replaces", async () => {
  const path = join(world.dir, "good-policy.yml");
  await writeFile(
    path,
    "default:\n  approvers: [U0A1, U0B2]\n  approval_channel: C0APPROVE\nreinstall:\n  approvals: 2\nstop:\n  approval: true\n",
  );
  const c = capture();
  expect(await runDoctorCommand([], c.io, { ...baseEnv(), POLICY_FILE: path, APPROVERS: "U0A1" })).toBe(0);
  expect(c.text()).toMatch(
    new RegExp(`ok {2}\\s*policy\\s+POLICY_FILE ${path}: approval needed for reinstall \\(2 approvals\\), stop`),
  );
  expect(c.text()).toContain("not read, POLICY_FILE replaces them: APPROVERS");
});

it("says the policy comes from the environment without POLICY_FILE", async () => {
  const c = capture();
  expect(await runDoctorCommand([], c.io, { ...baseEnv(), APPROVERS: "U0A1", APPROVAL_CHANNEL: "C0A" })).toBe(0);
  expect(c.text()).toMatch(/ok {2}\s*policy\s+from the environment: approval needed for reinstall\n/);
});
