// Type-checked by tests/node/consumers.test.mjs with tsc --strict against the installed package
// and this repository's @playwright/test, as playwright-api.ts (moduleResolution bundler) and
// copied to .mts and .cts (node16, nodenext): what docs/emulate.md shows of
// webrtc-close-shim/playwright compiles, and misuse does not. Each @ts-expect-error must stay an error.
import { defineConfig, devices } from '@playwright/test';
import { expect, test, withEmulatedSafari } from 'webrtc-close-shim/playwright';
import type { EmulatedEngine, EmulatedSafariOptions, EmulateOptions } from 'webrtc-close-shim/playwright';

export const config = defineConfig({
  projects: withEmulatedSafari([
    { name: 'chromium', use: { ...devices['Desktop Chrome'] } },
    { name: 'firefox', use: { ...devices['Desktop Firefox'] } },
  ]),
});
const options: EmulatedSafariOptions = { on: ['chromium'] };
export const some = defineConfig({ projects: withEmulatedSafari([{ name: 'chromium', use: { browserName: 'chromium' } }], options) });
// A project of one's own, and a config typed with the option.
export const typed = defineConfig<EmulateOptions>({ projects: [{ name: 'trunk', use: { emulate: 'webkit-trunk' } }] });

test.use({ emulate: 'safari-before-304859' });
test('a spec', async ({ page, emulate }) => {
  const engine: EmulatedEngine | null = emulate;
  await page.goto('about:blank');
  expect(engine).toBe('safari-before-304859');
});

// @ts-expect-error not an emulated engine
test.use({ emulate: 'safari' });
// @ts-expect-error `on` takes project names
withEmulatedSafari([{ name: 'chromium' }], { on: 'chromium' });
// @ts-expect-error the only option is `on`
withEmulatedSafari([{ name: 'chromium' }], { engines: ['webkit-trunk'] });
// @ts-expect-error the projects of a config, not one project
withEmulatedSafari({ name: 'chromium' });
