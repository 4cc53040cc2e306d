import { defineConfig } from '@playwright/test';
import { resolveEngines } from './tests/engines.mjs';

const PORT = Number(process.env.PORT ?? 4173);

export default defineConfig({
  testDir: 'tests',
  testMatch: '*.spec.ts',
  globalSetup: './tests/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: { baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    command: `node tests/server.mjs`,
    url: `http://127.0.0.1:${PORT}/page`,
    env: { PORT: String(PORT) },
    reuseExistingServer: !process.env.CI,
  },
  projects: resolveEngines()
    .filter((engine) => engine.available)
    .map((engine) => ({ name: engine.name, use: engine.use })),
});
