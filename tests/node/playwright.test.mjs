// webrtc-close-shim/playwright in Node (docs/emulate.md): withEmulatedSafari() builds the projects
// a config gets, and says what is wrong with its arguments; the ES module and CommonJS builds are
// the same entry. Its `test` in a real Playwright run: tests/emulate.spec.ts (this repository's
// own emulation tests use it) and tests/node/consumers.test.mjs (from the packed tarball).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const esm = await import('../../dist/playwright.mjs');
const cjs = createRequire(import.meta.url)('../../dist/playwright.cjs');

const chromium = { name: 'chromium', use: { browserName: 'chromium', viewport: { width: 800, height: 600 } }, retries: 1 };
const firefox = { name: 'firefox', use: { browserName: 'firefox' }, dependencies: ['setup'] };
// devices['Desktop Safari'] names its browser with defaultBrowserType.
const safari = { name: 'safari', use: { defaultBrowserType: 'webkit' } };

test('both builds export test, expect and withEmulatedSafari', () => {
  for (const entry of [esm, cjs]) {
    assert.deepEqual(
      Object.keys(entry)
        .filter((key) => key !== '__esModule')
        .sort(),
      ['expect', 'test', 'withEmulatedSafari'],
    );
    assert.equal(typeof entry.test.extend, 'function');
    assert.equal(typeof entry.expect, 'function');
  }
});

test('withEmulatedSafari() appends a copy of each project per emulated engine, except WebKit ones', () => {
  for (const { withEmulatedSafari } of [esm, cjs]) {
    const projects = withEmulatedSafari([chromium, firefox, safari]);
    assert.deepEqual(
      projects.map((project) => project.name),
      [
        'chromium',
        'firefox',
        'safari',
        'chromium over safari-before-304859',
        'chromium over webkit-trunk',
        'firefox over safari-before-304859',
        'firefox over webkit-trunk',
      ],
    );
    // The projects given come back as they were; each copy is its project with `emulate` added.
    assert.equal(projects[0], chromium);
    assert.deepEqual(chromium, { name: 'chromium', use: { browserName: 'chromium', viewport: { width: 800, height: 600 } }, retries: 1 });
    assert.deepEqual(projects[3], {
      ...chromium,
      name: 'chromium over safari-before-304859',
      use: { ...chromium.use, emulate: 'safari-before-304859' },
    });
    assert.deepEqual(projects[6], {
      ...firefox,
      name: 'firefox over webkit-trunk',
      use: { browserName: 'firefox', emulate: 'webkit-trunk' },
    });
  }
});

test('withEmulatedSafari() copies the projects named in `on`, and only those', () => {
  const names = (projects) => projects.map((project) => project.name);
  assert.deepEqual(names(esm.withEmulatedSafari([chromium, firefox], { on: ['firefox'] })), [
    'chromium',
    'firefox',
    'firefox over safari-before-304859',
    'firefox over webkit-trunk',
  ]);
  assert.deepEqual(names(esm.withEmulatedSafari([chromium], { on: [] })), ['chromium']);
  assert.deepEqual(names(esm.withEmulatedSafari([{ use: {} }], { on: [] })), [undefined], 'an unnamed project not copied is fine');
  assert.deepEqual(names(esm.withEmulatedSafari([])), []);
});

test('withEmulatedSafari() sets the settings of `project` on every copy, and on the copies only', () => {
  const base = { name: 'chromium', testMatch: '*.spec.ts', grepInvert: /@emulated/, use: { browserName: 'chromium' } };
  const [original, copy] = esm.withEmulatedSafari([base], {
    project: { testMatch: 'webrtc.spec.ts', grep: /@emulated/, grepInvert: undefined },
  });
  assert.equal(original, base);
  assert.deepEqual(copy, {
    name: 'chromium over safari-before-304859',
    testMatch: 'webrtc.spec.ts',
    grep: /@emulated/,
    grepInvert: undefined,
    use: { browserName: 'chromium', emulate: 'safari-before-304859' },
  });
});

test('withEmulatedSafari() throws a TypeError that says what is wrong', () => {
  const cases = [
    [[undefined], /takes the array of projects of a config/],
    [[{ name: 'chromium' }], /takes the array of projects of a config/],
    [[[chromium, null]], /takes the array of projects of a config/],
    [[[chromium], null], /takes an options object as its second argument/],
    [[[chromium], { projects: ['chromium'] }], /unknown option "projects"; the options are "on" and "project"/],
    [[[chromium], { project: { name: 'x' } }], /"project" must be an object of project settings other than "name" and "use"/],
    [[[chromium], { project: { use: {} } }], /"project" must be an object of project settings other than "name" and "use"/],
    [[[chromium], { project: 'x' }], /"project" must be an object of project settings other than "name" and "use"/],
    [[[chromium], { on: 'chromium' }], /"on" must be an array of project names/],
    [[[chromium], { on: [1] }], /"on" must be an array of project names/],
    [[[chromium, firefox], { on: ['chrome'] }], /no project named "chrome" to copy \(there are "chromium", "firefox"\)/],
    [[[{ use: {} }]], /a project to copy has no name: name it, or choose with \{ on: \[\.\.\.\] \}/],
  ];
  for (const { withEmulatedSafari } of [esm, cjs]) {
    for (const [args, message] of cases) {
      assert.throws(
        () => withEmulatedSafari(...args),
        (error) => error instanceof TypeError && /^webrtc-close-shim\/playwright: /.test(error.message) && message.test(error.message),
        `withEmulatedSafari(${args.map((arg) => JSON.stringify(arg)).join(', ')})`,
      );
    }
  }
});
