// The bundler builds in Node (no WebRTC): importing has no side effect, install() is a silent
// no-op, and the ESM, CJS and type builds expose the same API. Browser behaviour is tested in the
// Playwright specs, never here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import test from 'node:test';
import { EXPORTS } from './exports.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('importing the ESM build changes no global', async () => {
  const before = Object.getOwnPropertyNames(globalThis).concat(Object.getOwnPropertySymbols(globalThis).map(String));
  const esm = await import('../../dist/index.mjs');
  const after = Object.getOwnPropertyNames(globalThis).concat(Object.getOwnPropertySymbols(globalThis).map(String));
  assert.deepEqual(after, before);
  assert.deepEqual(Object.keys(esm).sort(), EXPORTS);
  assert.equal(esm.version, pkg.version);
});

test('install() without WebRTC returns "unsupported" and changes nothing; uninstall() returns false', async () => {
  const esm = await import('../../dist/index.mjs');
  assert.equal(esm.install(), 'unsupported');
  assert.equal(esm.install({}), 'unsupported');
  assert.equal(esm.uninstall(), false);
  assert.equal(esm.stats(), undefined);
  assert.throws(
    () => esm.install({ releaseHandlers: true }),
    /unknown option "releaseHandlers"; an extra is imported and passed as install\(\{ extras: \[releaseHandlers\] \}\)/,
  );
  assert.throws(() => esm.install({ extra: [] }), /unknown option "extra"; did you mean extras\?/);
  const accepted =
    'settlePendingOnClose, stopTracksOnClose, releaseHandlers, recoverConnectionLimit, endFailedConnections, closeOnPagehide';
  assert.throws(() => esm.install({ extras: [esm.releaseHandlers, 'yes'] }), {
    name: 'TypeError',
    message: `webrtc-close-shim: extras must be an array of extras: ${accepted}`,
  });
  assert.throws(() => esm.install({ extras: [(x) => x] }), {
    name: 'TypeError',
    message: `webrtc-close-shim: extras must be an array of extras: ${accepted}`,
  });
  // The CommonJS build is another copy of the package: its extras are accepted by their brand.
  const cjs = require('../../dist/index.cjs');
  assert.notEqual(cjs.releaseHandlers, esm.releaseHandlers);
  assert.equal(esm.install({ extras: [cjs.releaseHandlers, cjs.endFailedConnections({ disconnectedMs: 10 })] }), 'unsupported');
  assert.equal(esm.install({ extras: [esm.releaseHandlers, esm.recoverConnectionLimit] }), 'unsupported');
  await assert.rejects(esm.closed({}), /closed\(\) needs the shim \(0\.2 or later\) installed in this window/);
  assert.equal(Symbol.for('webrtc-close-shim') in globalThis, false);
});

test('the CJS build has the same API and version', () => {
  const cjs = require('../../dist/index.cjs');
  assert.deepEqual(
    Object.keys(cjs)
      .filter((k) => k !== '__esModule')
      .sort(),
    EXPORTS,
  );
  assert.equal(cjs.version, pkg.version);
  assert.equal(cjs.install(), 'unsupported');
});

test('the type declarations export the API', () => {
  const dts = readFileSync(new URL('../../dist/index.d.mts', import.meta.url), 'utf8');
  for (const name of [
    'install',
    'uninstall',
    'stats',
    'closed',
    'version',
    'InstallOptions',
    'InstallStatus',
    'Extra',
    'Stats',
    'settlePendingOnClose',
    'stopTracksOnClose',
    'releaseHandlers',
    'recoverConnectionLimit',
    'endFailedConnections',
    'EndFailedConnectionsOptions',
    'closeOnPagehide',
  ])
    assert.match(dts, new RegExp(`\\b${name}\\b`));
});

test('endFailedConnections: an extra as it is or called with options; bad options are a TypeError that says so', async () => {
  const esm = await import('../../dist/index.mjs');
  const cjs = require('../../dist/index.cjs');
  for (const { endFailedConnections, install } of [esm, cjs]) {
    for (const options of [undefined, {}, { disconnectedMs: 0 }, { disconnectedMs: 2000 }, { disconnectedMs: 0x7fffffff }]) {
      assert.equal(typeof endFailedConnections(options), 'function', JSON.stringify(options));
    }
    assert.equal(install({ extras: [endFailedConnections, endFailedConnections({ disconnectedMs: 5000 })] }), 'unsupported');
    const bad = [
      null,
      5000,
      'fast',
      { disconnectedMs: -1 },
      { disconnectedMs: '5000' },
      { disconnectedMs: NaN },
      { disconnectedMs: Infinity },
      { disconnectedMs: 0x80000000 },
      { disconnected: 5000 },
    ];
    for (const options of bad) {
      assert.throws(
        () => endFailedConnections(options),
        (error) =>
          error instanceof TypeError &&
          error.message.startsWith(
            'webrtc-close-shim: endFailedConnections() takes { disconnectedMs } with a number of milliseconds from 0 to 2147483647, got ',
          ),
        String(options && typeof options === 'object' ? JSON.stringify(options) : options),
      );
    }
  }
});

test('package.json points every entry at a built file', () => {
  const files = [pkg.unpkg, pkg.jsdelivr, pkg.main, pkg.module, pkg.types];
  for (const entry of ['.', './playwright']) {
    const exp = pkg.exports[entry];
    assert.deepEqual(Object.keys(exp), ['import', 'require'], entry);
    // Each condition has its own declarations (ESM .d.mts, CommonJS .d.cts), listed first.
    for (const condition of [exp.import, exp.require])
      assert.deepEqual(Object.keys(condition), ['types', 'default'], `${entry}: types first`);
    files.push(exp.import.types, exp.import.default, exp.require.types, exp.require.default);
  }
  for (const file of files) assert.ok(readFileSync(new URL(`../../${file}`, import.meta.url)).length > 0, file);
  assert.equal(pkg.devDependencies['@playwright/test'], '1.64.1', 'Playwright pinned exactly (1.65 breaks Firefox ESR over BiDi)');
  // Needed by webrtc-close-shim/playwright alone: an optional peer, never a dependency of the shim.
  assert.deepEqual(pkg.peerDependenciesMeta, { '@playwright/test': { optional: true } });
  assert.equal(pkg.dependencies, undefined);
});

test('every build parses as ES2017, the syntax level the support statement promises', async () => {
  const { parse } = await import('acorn');
  const files = {
    'dist/webrtc-close-shim.js': 'script',
    'dist/webrtc-close-shim.min.js': 'script',
    'dist/webrtc-close-shim.extras.js': 'script',
    'dist/webrtc-close-shim.extras.min.js': 'script',
    'dist/emulate/safari-before-304859.js': 'script',
    'dist/emulate/webkit-trunk.js': 'script',
    'dist/index.cjs': 'script',
    'dist/index.mjs': 'module',
  };
  for (const [file, sourceType] of Object.entries(files)) {
    const code = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    assert.doesNotThrow(() => parse(code, { ecmaVersion: 2017, sourceType }), `${file} uses syntax newer than ES2017`);
  }
  // The check itself can fail: nullish coalescing (ES2020) and optional catch binding (ES2019).
  assert.throws(() => parse('a ?? b', { ecmaVersion: 2017 }));
  assert.throws(() => parse('try {} catch {}', { ecmaVersion: 2017 }));
});
