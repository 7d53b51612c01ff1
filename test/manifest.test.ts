import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("..", import.meta.url).pathname;
const manifest = parse(readFileSync(join(root, "manifest.yml"), "utf8")) as {
  features: { slash_commands: { command: string; url: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { request_url: string; message_menu_options_url: string };
  };
};

/** Slack's published schema is shared data, kept outside the project (DESIGN §2): ../shared, or SHARED_DIR. */
const schemaPath = join(
  process.env.SHARED_DIR ?? join(root, "../shared"),
  "fixtures/slack-manifest-schema/manifest.schema.1.0.0.json",
);
if (!existsSync(schemaPath)) {
  console.warn(
    `manifest.test.ts: Slack's manifest schema is not at ${schemaPath}; the schema check is SKIPPED. Set SHARED_DIR to the shared folder to run it.`,
  );
}

describe("manifest.yml", () => {
  it.skipIf(!existsSync(schemaPath))("validates against Slack's published manifest schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat("uri", (value: string) => URL.canParse(value));
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("points the command, interactivity, options and events at /slack/events", () => {
    const urls = [
      manifest.features.slash_commands[0]?.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(["/compshare"]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
  });

  it("asks for exactly the bot scopes the code uses", () => {
    const scopeOf: Record<string, string | string[] | null> = {
      "auth.test": null,
      "chat.postMessage": "chat:write",
      "chat.update": "chat:write",
      "chat.postEphemeral": "chat:write",
      "chat.delete": "chat:write",
      "chat.getPermalink": null,
      "views.open": null,
      "views.update": null,
      "views.push": null,
      "views.publish": null,
      "users.info": "users:read",
      "usergroups.users.list": "usergroups:read",
      "files.info": "files:read",
      "conversations.open": "im:write",
      // Finding a card whose post answered ambiguously, in a public or a private approvals channel.
      "conversations.history": ["channels:history", "groups:history"],
      "files.uploadV2": "files:write",
    };
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith(".ts")) {
          for (const [, method] of readFileSync(path, "utf8").matchAll(
            /\.((?:auth|apps|chat|conversations|files|usergroups|users|views)\.(?:[a-z]+\.)*[a-zA-Z][a-zA-Z0-9]*)\(/g,
          )) {
            if (method) used.add(method);
          }
        }
      }
    };
    walk(join(root, "src/slack"));
    expect([...used].filter((m) => !(m in scopeOf))).toEqual([]);
    const needed = new Set(["commands", ...[...used].flatMap((m) => scopeOf[m] ?? [])]);
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(needed);
  });
});
