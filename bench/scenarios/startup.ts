import type { BenchProfile } from "../profile.ts";
import type { Build, Rig } from "../rig.ts";
import { median, round } from "../stats.ts";

export interface StartupSide {
  runsMs: number[];
  medianMs: number;
}

export interface StartupRow {
  build: Build;
  bot: StartupSide;
  bare: StartupSide;
}

/**
 * From spawning the process (`node src/main.ts start`, or `node dist/main.js start` as the image
 * runs it: load, migrate a fresh SQLite file, auth.test against the fake Slack, listen) to the
 * first 200 on /readyz; the baseline is the bare Bolt app from spawn to its own /readyz. Bot and
 * baseline alternate, several runs each; the median counts.
 */
export async function measureStartup(rig: Rig, profile: BenchProfile): Promise<StartupRow[]> {
  const rows: StartupRow[] = [];
  for (const build of profile.startup.builds) {
    const runs = { bot: [] as number[], bare: [] as number[] };
    for (let i = 0; i < profile.startup.runs; i += 1) {
      const bot = await rig.startBot(build);
      runs.bot.push(round(bot.readyMs, 1));
      await bot.stop();
      const bare = await rig.startBare(build);
      runs.bare.push(round(bare.readyMs, 1));
      await bare.stop();
    }
    rows.push({
      build,
      bot: { runsMs: runs.bot, medianMs: median(runs.bot) },
      bare: { runsMs: runs.bare, medianMs: median(runs.bare) },
    });
  }
  return rows;
}
