import { expect, type Page, type TestInfo } from '@playwright/test';

export type ShimMode = 'none' | 'iife' | 'min' | 'esm';

export interface Mode {
  /** Shown in test titles. */
  name: string;
  shim: ShimMode;
  /** A test-only engine profile applied before the shim (tests/profiles/profiles.js). */
  profile?: string;
  /** Boolean shim options turned on (data- attributes for the IIFE, install() options for ESM). */
  options?: string[];
  /** webrtc-adapter's script-tag build loaded before or after the shim (tests/server.mjs). */
  adapter?: 'before' | 'after';
}

export const NATIVE: Mode = { name: 'native', shim: 'none' };

/** Every way the shim is loaded, over the real engine and over the emulated engines. */
export const SHIMMED: Mode[] = [
  { name: 'iife', shim: 'iife' },
  { name: 'esm', shim: 'esm' },
  { name: 'min over safari-before-304859', shim: 'min', profile: 'safari-before-304859' },
  { name: 'esm over safari-trunk', shim: 'esm', profile: 'safari-trunk' },
  { name: 'iife over late-close', shim: 'iife', profile: 'late-close' },
  { name: 'iife over double-close', shim: 'iife', profile: 'double-close' },
  { name: 'iife after webrtc-adapter', shim: 'iife', adapter: 'before' },
  { name: 'esm before webrtc-adapter', shim: 'esm', adapter: 'after' },
];

/** Opens a fixture page with the shim (if any) loaded from dist/, and fails on any page error. */
export async function openFixture(page: Page, mode: Mode, pageErrors: string[] = []): Promise<void> {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const query = new URLSearchParams({ shim: mode.shim });
  if (mode.profile) query.set('profile', mode.profile);
  if (mode.options) query.set('options', mode.options.join(','));
  if (mode.adapter) query.set('adapter', mode.adapter);
  await page.goto(`/page?${query}`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  if (mode.shim !== 'none' && mode.profile !== 'no-webrtc') {
    const installed = await page.evaluate(() => Symbol.for('webrtc-close-shim') in window);
    expect(installed, 'the shim is installed in the fixture page').toBe(true);
  }
}

/** The engine's name and version, attached to the test so native records say what they were. */
export async function recordEngine(page: Page, testInfo: TestInfo, data: unknown): Promise<void> {
  const browser = page.context().browser();
  await testInfo.attach('native-behaviour', {
    body: JSON.stringify({ engine: testInfo.project.name, version: browser?.version(), data }, null, 2),
    contentType: 'application/json',
  });
}

/** Runs the page-side scenario `name` (tests/fixtures/*.js) and returns its result. */
export function runScenario(page: Page, name: string, ...args: unknown[]): Promise<any> {
  return page.evaluate(([scenario, rest]) => (window as any).harness.scenarios[scenario as string](...(rest as unknown[])), [
    name,
    args,
  ] as const);
}
