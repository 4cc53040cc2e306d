/**
 * `webrtc-close-shim/playwright`: a Playwright suite over the engine emulations (docs/emulate.md)
 * in one line of config. Test tooling that runs in Node: the only module of the package that
 * imports `@playwright/test` (an optional peer dependency), and never part of the browser builds.
 *
 * @module playwright
 */
import {
  test as base,
  type BrowserContext,
  type PlaywrightTestArgs,
  type PlaywrightTestOptions,
  type PlaywrightTestProject,
  type PlaywrightWorkerArgs,
  type PlaywrightWorkerOptions,
  type TestType,
} from '@playwright/test';
import { fileURLToPath } from 'node:url';

export { expect } from '@playwright/test';

/**
 * A WebKit whose `RTCPeerConnection.close()` an emulation reproduces on Chromium or Firefox:
 * `safari-before-304859` (no event, `readyState` never changes) or `webkit-trunk` (every channel
 * reads `closed` at once and fires one `close` later).
 */
export type EmulatedEngine = 'safari-before-304859' | 'webkit-trunk';

const ENGINES: readonly EmulatedEngine[] = ['safari-before-304859', 'webkit-trunk'];

/** The option {@link test} adds, set per project in the config's `use` or per file with `test.use()`. */
export interface EmulateOptions {
  /** The emulation every page of the test's browser context loads before its own scripts; `null` (the default) for none. */
  emulate: EmulatedEngine | null;
}

/** The leak check {@link test} adds, off unless set (in the config's `use` or with `test.use()`). */
export interface LeakCheckOptions {
  /**
   * When `true`, a test fails if, at its end, the pages of its browser context still hold open
   * connections, as the installed shim's `stats()` counts them in each frame (frames without the
   * shim count none). The message says how many. Default: `false`.
   */
  failOnOpenConnections: boolean;
}

/** Open connections in every frame of `context`'s pages, by the installed shim's `stats()`. */
async function openConnections(context: BrowserContext): Promise<number> {
  let open = 0;
  for (const page of context.pages()) {
    for (const frame of page.frames()) {
      open += await frame
        .evaluate(() => {
          const installed = (window as unknown as Record<symbol, { stats?(): { open: number } } | undefined>)[
            Symbol.for('webrtc-close-shim')
          ];
          return installed && installed.stats ? installed.stats().open : 0;
        })
        // A frame that went away or navigated in the meantime holds nothing any more.
        .catch(() => 0);
    }
  }
  return open;
}

/** Options of {@link withEmulatedSafari}. */
export interface EmulatedSafariOptions {
  /** Names of the projects to run over each emulation. Default: every project whose browser is not WebKit. */
  on?: readonly string[];
  /**
   * Settings for every copy, over the project's own: `{ testMatch: '**\/webrtc/**' }`, say, to run
   * only some specs over the emulations (a copy gets the rest of the project's settings, `use`
   * aside, as they are).
   */
  project?: Omit<PlaywrightTestProject, 'name' | 'use'>;
}

const error = (message: string) => new TypeError(`webrtc-close-shim/playwright: ${message}`);
const quote = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');

// Typed with @playwright/test's names: the inferred type would name the `playwright` package,
// which the consumer's @playwright/test depends on but this package does not.
/**
 * Playwright's `test` with the {@link EmulateOptions.emulate | emulate} option: when set, every page
 * of the browser context gets the emulation with `context.addInitScript()`, in every frame before
 * the page's scripts; and the leak check {@link LeakCheckOptions.failOnOpenConnections |
 * failOnOpenConnections}. Use it in the specs in place of `@playwright/test`'s (or `mergeTests()`
 * it with your own).
 *
 * @throws TypeError (failing the test) when `emulate` is neither an {@link EmulatedEngine} nor `null`.
 * @example
 * ```ts
 * import { test, expect } from 'webrtc-close-shim/playwright';
 * test.use({ emulate: 'webkit-trunk' }); // or per project: withEmulatedSafari()
 * test.use({ failOnOpenConnections: true }); // a test that leaves a connection open fails
 * ```
 */
export const test: TestType<
  PlaywrightTestArgs & PlaywrightTestOptions & EmulateOptions & LeakCheckOptions,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions
> = base.extend<EmulateOptions & LeakCheckOptions>({
  // Options, so that each project of the config can set them.
  emulate: [null, { option: true }],
  failOnOpenConnections: [false, { option: true }],
  context: async ({ context, emulate, failOnOpenConnections }, use) => {
    if (emulate !== null) {
      if (!ENGINES.includes(emulate)) throw error(`emulate must be one of ${quote(ENGINES)} or null, not ${JSON.stringify(emulate)}`);
      // The script next to this file (dist/emulate/), not one the project's own resolution finds.
      await context.addInitScript({ path: fileURLToPath(new URL(`emulate/${emulate}.js`, import.meta.url)) });
    }
    await use(context);
    // The leak check, after the test and before the context closes its pages.
    const open = failOnOpenConnections === true ? await openConnections(context) : 0;
    if (open) {
      throw new Error(
        `webrtc-close-shim/playwright: ${open} RTCPeerConnection${open === 1 ? ' is' : 's are'} still open at the end of the test ` +
          "(the shim's stats() in the test's pages): close them before the test ends (failOnOpenConnections)",
      );
    }
  },
});

/** Whether a project runs WebKit, where an emulation of WebKit has nothing to show. */
const runsWebKit = ({ use }: { use?: { browserName?: string; defaultBrowserType?: string } }) =>
  (use?.browserName ?? use?.defaultBrowserType) === 'webkit';

/**
 * The `projects` of a Playwright config, followed by one copy of each project named in
 * `options.on` per {@link EmulatedEngine}: named `'<project> over <engine>'`, with `use.emulate`
 * set to the engine, the settings of `options.project`, and everything else the project's own.
 * The option takes effect in the specs that use {@link test}.
 *
 * @throws TypeError when `projects` is not an array of projects, an option is unknown, `on`
 *   names a project that is not there (or one without a name), or `project` sets `name` or `use`.
 * @example
 * ```ts
 * // playwright.config.ts: chromium, firefox, then "chromium over safari-before-304859",
 * // "chromium over webkit-trunk", "firefox over safari-before-304859", "firefox over webkit-trunk"
 * import { defineConfig, devices } from '@playwright/test';
 * import { withEmulatedSafari } from 'webrtc-close-shim/playwright';
 *
 * export default defineConfig({
 *   projects: withEmulatedSafari([
 *     { name: 'chromium', use: { ...devices['Desktop Chrome'] } },
 *     { name: 'firefox', use: { ...devices['Desktop Firefox'] } },
 *   ]),
 * });
 * ```
 */
export function withEmulatedSafari<T extends object = object, W extends object = object>(
  projects: readonly PlaywrightTestProject<T, W>[],
  options: EmulatedSafariOptions = {},
): PlaywrightTestProject<T & EmulateOptions, W>[] {
  if (!Array.isArray(projects) || projects.some((project) => typeof project !== 'object' || project === null)) {
    throw error('withEmulatedSafari() takes the array of projects of a config');
  }
  if (typeof options !== 'object' || options === null) throw error('withEmulatedSafari() takes an options object as its second argument');
  for (const key of Object.keys(options))
    if (key !== 'on' && key !== 'project') throw error(`unknown option "${key}"; the options are "on" and "project"`);
  const settings = options.project ?? {};
  if (typeof settings !== 'object' || settings === null || 'name' in settings || 'use' in settings) {
    throw error('"project" must be an object of project settings other than "name" and "use"');
  }
  const names = projects.map((project) => project.name);
  const on = options.on ?? projects.filter((project) => !runsWebKit(project)).map((project) => project.name);
  if (!Array.isArray(on)) throw error('"on" must be an array of project names');
  for (const name of on) {
    if (typeof name !== 'string') {
      throw error(
        options.on ? '"on" must be an array of project names' : 'a project to copy has no name: name it, or choose with { on: [...] }',
      );
    }
    if (!names.includes(name)) throw error(`no project named "${name}" to copy (there are ${quote(names.filter((n) => n !== undefined))})`);
  }
  const copies: PlaywrightTestProject<T & EmulateOptions, W>[] = [];
  for (const project of projects) {
    if (!on.includes(project.name as string)) continue;
    for (const emulate of ENGINES)
      copies.push({ ...project, ...settings, name: `${project.name} over ${emulate}`, use: { ...project.use, emulate } });
  }
  return [...projects, ...copies];
}
