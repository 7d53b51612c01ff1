import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores here; keep file-level parallelism modest so loopback servers do not starve each other.
    maxWorkers: 2,
    unstubEnvs: true,
  },
});
