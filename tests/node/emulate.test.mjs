// The engine emulations as published (docs/emulate.md): the `npm pack` tarball, unpacked where a
// consumer's node_modules would have it. Its `webrtc-close-shim/emulate/*` exports resolve to the
// emulation scripts, which are classic ES2017 scripts doing nothing without WebRTC, and none of
// their code is in the shim's own builds (core and extras). Browser behaviour: tests/emulate.spec.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const EMULATIONS = ['safari-before-304859', 'webkit-trunk'];
/** Every emulation names itself with this (its Symbol.for() key and error messages); the shim never does. */
const MARK = 'webrtc-close-shim/emulate';

let work; // temporary directory: the tarball and the unpacked package
let installed; // <work>/node_modules/webrtc-close-shim
let pkg; // its package.json

before(async () => {
  // Without the settings of an enclosing `npm run` that would change what pack does.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_config_(dry_run|json|workspaces?|pack_destination)$/i.test(key)),
  );
  work = mkdtempSync(join(tmpdir(), 'emulate-pack-'));
  const { stdout } = await run('npm', ['pack', '--pack-destination', work, '--json', '--ignore-scripts'], {
    cwd: root,
    env,
    maxBuffer: 16 << 20,
  });
  installed = join(work, 'node_modules', 'webrtc-close-shim');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', join(work, JSON.parse(stdout)[0].filename), '-C', installed, '--strip-components=1']);
  pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const read = (file) => readFileSync(join(installed, file), 'utf8');
const filesIn = (dir) => readdirSync(join(installed, dir)).map((name) => `${dir}/${name}`);

test('each emulation is exported, resolves to its script in dist/emulate/, and is listed as having side effects', () => {
  const require = createRequire(join(work, 'consumer.js'));
  for (const name of EMULATIONS) {
    const file = join(installed, 'dist', 'emulate', `${name}.js`);
    assert.equal(require.resolve(`webrtc-close-shim/emulate/${name}`), file);
    // The same file for import, require and any other condition, and declarations saying it is a module.
    assert.deepEqual(pkg.exports[`./emulate/${name}`], { types: `./dist/emulate/${name}.d.ts`, default: `./dist/emulate/${name}.js` });
    assert.equal(read(`dist/emulate/${name}.d.ts`), 'export {};\n');
    assert.ok(pkg.sideEffects.includes(`./dist/emulate/${name}.js`), `sideEffects lists ${name}`);
  }
  const scripts = filesIn('dist/emulate').filter((file) => file.endsWith('.js'));
  assert.deepEqual(scripts.sort(), EMULATIONS.map((name) => `dist/emulate/${name}.js`).sort(), 'every shipped emulation is exported');
});

test('each emulation is a classic ES2017 script that names itself and does nothing without WebRTC', async () => {
  const { parse } = await import('acorn');
  for (const name of EMULATIONS) {
    const code = read(`dist/emulate/${name}.js`);
    assert.doesNotThrow(() => parse(code, { ecmaVersion: 2017, sourceType: 'script' }), `${name}: not an ES2017 classic script`);
    assert.ok(code.includes(MARK), `${name} contains "${MARK}"`);
    const context = vm.createContext({});
    const globalsBefore = Object.getOwnPropertyNames(vm.runInContext('globalThis', context));
    vm.runInContext(code, context);
    const global = vm.runInContext('globalThis', context);
    assert.deepEqual(Object.getOwnPropertyNames(global), globalsBefore, `${name} changed a global without WebRTC`);
    assert.equal(Object.getOwnPropertySymbols(global).length, 0);
  }
  // The check can fail: module syntax is not a classic script.
  assert.throws(() => parse('export {};', { ecmaVersion: 2017, sourceType: 'script' }));
});

test('none of the emulation code is in the core or extras builds', () => {
  const builds = filesIn('dist').filter((file) => /^dist\/(?:webrtc-close-shim[^/]*\.js|index\.(?:mjs|cjs|js))$/.test(file));
  assert.ok(builds.includes('dist/webrtc-close-shim.min.js') && builds.includes('dist/index.mjs'), `builds found: ${builds}`);
  for (const build of builds) {
    assert.ok(!read(build).includes(MARK), `${build} contains emulation code ("${MARK}")`);
    const { sources } = JSON.parse(read(`${build}.map`));
    assert.deepEqual(
      sources.filter((source) => source.includes('emulate/')),
      [],
      `${build} is built from emulation sources`,
    );
  }
  // The checks can fail: an emulation's own script and map show both.
  for (const name of EMULATIONS) {
    assert.ok(read(`dist/emulate/${name}.js`).includes(MARK));
    assert.ok(JSON.parse(read(`dist/emulate/${name}.js.map`)).sources.some((source) => source.includes('src/emulate/')));
  }
});
