// The package as consumers get it (issue #9, item 4; issue #19): `npm pack` makes the tarball that
// would be published, a throw-away consumer project in a temporary directory installs it (offline:
// the package has no dependencies), and that project is bundled, type-checked and run from there,
// so a file missing from "files", a wrong "exports" target or a broken declaration shows up here.
// Nothing is downloaded; the bundlers, tsc and Playwright are this repository's dev dependencies
// (@playwright/test and @types/node are linked into the consumer's node_modules, as a project
// using webrtc-close-shim/playwright has them). Uses dist/ as it is (npm test builds it first).
// KEEP_CONSUMER=1 keeps the temporary project and prints where it is.
//
//   (a) rollup, esbuild and Vite: importing install() without calling it bundles none of the shim
//       (tree-shaken); calling it bundles the shim, and nothing of Playwright; the script-tag build
//       imported for its side effect is kept.
//   (b) tsc --strict on tests/consumers/*.ts: moduleResolution bundler, node16 and nodenext,
//       through the import condition (.mts) and the require condition (.cts): the main entry, the
//       script-tag and emulation entries (noUncheckedSideEffectImports; window.webrtcCloseShim),
//       and webrtc-close-shim/playwright.
//   (c) Node: require() gets the CommonJS build, import gets the ES module; neither touches a global
//       nor loads Playwright. Every other entry point resolves for both, and Node runs the classic
//       scripts as the classic scripts they are (CommonJS scope, not ES modules).
//   (d) the script-tag build: exports["./iife"] is the installed dist/webrtc-close-shim.min.js, which
//       a plain HTML page loads, and it parses as ES2017.
//   (e) Playwright: a config using withEmulatedSafari() and a spec using `test`, both from the
//       installed webrtc-close-shim/playwright, run in Chromium (the spec as an ES module and as
//       CommonJS, so through both builds): each page has its project's emulation, and a wrong
//       `emulate` fails with its TypeError.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { resolveEngines } from '../engines.mjs';
import { EXPORTS } from './exports.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'tests/consumers');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

const SHIM = 'webrtc-close-shim';
/** The package's entry points besides the main one: iife, iife/extras, emulate/…, playwright. */
const SUBPATHS = Object.keys(rootPkg.exports)
  .filter((key) => key !== '.' && key !== './package.json')
  .map((key) => key.slice(2));
const CLASSIC_SCRIPTS = SUBPATHS.filter((subpath) => subpath !== 'playwright');
/** The Chromium that tests/engines.mjs resolves (Playwright's own, else the system one). */
const chromium = resolveEngines().find((engine) => engine.name === 'chromium');

/**
 * The string literals (and template parts) of a bundle, comments left out. The shim's code is
 * recognised by the strings in it: 'webrtc-close-shim' is the Symbol.for() key of the installation
 * and the prefix of every error message; no consumer entry contains it, and no bundle of the shim
 * lacks it. (Comments are no evidence either way: rollup keeps the shim's, Vite adds file paths.)
 */
async function stringsOf(code) {
  const { parse } = await import('acorn');
  const strings = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'Literal' && typeof node.value === 'string') strings.push(node.value);
    if (node.type === 'TemplateElement') strings.push(node.value.cooked ?? node.value.raw);
    for (const [key, value] of Object.entries(node)) if (key !== 'type' && value && typeof value === 'object') visit(value);
  };
  visit(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }));
  return strings;
}

/** The top-level statements of a bundle, as source text. */
async function statementsOf(code) {
  const { parse } = await import('acorn');
  return parse(code, { ecmaVersion: 'latest', sourceType: 'module' }).body.map((node) => code.slice(node.start, node.end));
}

/** Whether a bundle contains any of the shim's code. */
async function hasShim(code) {
  return (
    (await stringsOf(code)).some((s) => s.includes(SHIM)) ||
    /\bRTCPeerConnection\b|\bcreateDataChannel\b/.test(code.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))
  );
}

// npm settings inherited from an `npm run`/`npm test` that must not reach the npm commands below.
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) =>
      !/^npm_config_(dry_run|global|location|prefix|workspaces?|include_workspace_root|json|pack_destination|save.*|package_lock.*)$/i.test(
        key,
      ),
  ),
);
const npm = (args, cwd) => run('npm', args, { cwd, env: npmEnv, maxBuffer: 16 << 20 });

let work; // temporary directory: the tarball and the consumer project
let consumer; // the consumer project
let installed; // node_modules/webrtc-close-shim in the consumer project
let tarball;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'consumer-of-shim-'));
  const { stdout } = await npm(['pack', '--pack-destination', work, '--json', '--ignore-scripts'], root);
  tarball = join(work, JSON.parse(stdout)[0].filename);
  consumer = join(work, 'consumer');
  cpSync(fixtures, consumer, { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '0.0.0', private: true, type: 'module' }, null, 2),
  );
  await npm(['install', tarball, '--no-save', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'], consumer);
  installed = join(consumer, 'node_modules', SHIM);
  // What a project using webrtc-close-shim/playwright has installed itself (the optional peer
  // dependency, and Node's types, which Playwright's declarations need).
  for (const dependency of ['@playwright/test', '@types/node']) {
    mkdirSync(dirname(join(consumer, 'node_modules', dependency)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dependency), join(consumer, 'node_modules', dependency), 'dir');
  }
  // The one line of config docs/emulate.md shows, over that Chromium; type-checked in (b), run in (e).
  writeFileSync(
    join(consumer, 'playwright.config.ts'),
    [
      "import { defineConfig } from '@playwright/test';",
      "import { withEmulatedSafari } from 'webrtc-close-shim/playwright';",
      '',
      'export default defineConfig({',
      '  testMatch: /emulate\\.pw\\.c?ts$/,',
      "  reporter: [['json', { outputFile: 'results.json' }]],",
      `  projects: withEmulatedSafari([{ name: 'chromium', use: ${JSON.stringify(chromium.use ?? {})} }]),`,
      '});',
      '',
    ].join('\n'),
  );
});

after(() => {
  if (!work) return;
  if (process.env.KEEP_CONSUMER) console.log(`consumer project kept in ${consumer}`);
  else rmSync(work, { recursive: true, force: true });
});

test('the consumer installed the packed tarball, not the working tree', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.name, rootPkg.name);
  assert.equal(pkg.version, rootPkg.version);
  assert.ok(existsSync(tarball));
  assert.ok(!existsSync(join(installed, 'tests')), 'tests/ is not in the tarball');
});

// --- (a) bundlers -----------------------------------------------------------------------------

/** The file an "exports" entry gives for these conditions (in the entry's order, as Node does). */
function exportTarget(entry, conditions) {
  if (typeof entry === 'string') return entry;
  for (const [condition, value] of Object.entries(entry ?? {})) {
    if (conditions.includes(condition)) {
      const target = exportTarget(value, conditions);
      if (target) return target;
    }
  }
  return null;
}

/**
 * Rollup has no node_modules resolution of its own (@rollup/plugin-node-resolve is not a dev
 * dependency): this resolves the package through its "exports" map with the conditions a bundler
 * uses for an `import`, from the consumer's node_modules. Unlike plugin-node-resolve it does not
 * pass package.json "sideEffects" on to rollup, so rollup's own analysis must find the module
 * free of side effects: a stricter check than a real setup.
 */
function exportsResolver() {
  const conditions = ['import', 'module', 'browser', 'default'];
  return {
    name: 'consumer-exports',
    resolveId(source) {
      if (source !== SHIM && !source.startsWith(`${SHIM}/`)) return null;
      const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
      const target = exportTarget(pkg.exports[`.${source.slice(SHIM.length)}`], conditions);
      assert.ok(target, `exports has no import target for ${source}`);
      return join(installed, target);
    },
  };
}

const bundlers = {
  async rollup(entry) {
    const { rollup } = await import('rollup');
    const warnings = [];
    const bundle = await rollup({ input: entry, plugins: [exportsResolver()], onwarn: (w) => warnings.push(w.message) });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    return output.map((chunk) => chunk.code ?? '').join('\n');
  },
  async esbuild(entry) {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: consumer,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2017',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles.map((file) => file.text).join('\n');
  },
  async vite(entry) {
    const { build } = await import('vite');
    const name = relative(consumer, entry).replace(/\.m?js$/, '');
    const result = await build({
      root: consumer,
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: name } },
    });
    const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
    return outputs.map((chunk) => chunk.code ?? '').join('\n');
  },
};

for (const [bundler, bundle] of Object.entries(bundlers)) {
  describe(`bundled with ${bundler}`, () => {
    test('importing install() without calling it leaves all of the shim out', async () => {
      const code = await bundle(join(consumer, 'unused.mjs'));
      assert.equal(await hasShim(code), false, `shim code in the bundle:\n${code.slice(0, 3000)}`);
      // Nothing but the entry's own statement: no top-level code of the package survives either.
      const statements = await statementsOf(code);
      assert.equal(statements.length, 1, `statements besides the entry's:\n${statements.join('\n')}`);
      assert.match(statements[0], /^console\.log\(["']consumer that never calls install\(\)["']\);?$/);
    });

    test('using only `version` bundles the version string and none of the shim', async () => {
      const code = await bundle(join(consumer, 'version-only.mjs'));
      assert.ok((await stringsOf(code)).includes(rootPkg.version), `version ${rootPkg.version} missing:\n${code}`);
      assert.equal(await hasShim(code), false, `shim code in the bundle:\n${code.slice(0, 3000)}`);
      // Besides the entry's console.log, only declarations (the version; esbuild also keeps an unused
      // constant of limit.ts, harmless): no top-level statement of the package that does anything.
      const others = (await statementsOf(code)).filter((statement) => !/^console\.log\(/.test(statement));
      assert.deepEqual(
        others.filter((statement) => !/^(const|let|var) \w+ = [\w"'. <>*+-]+;?$/.test(statement)),
        [],
      );
    });

    test('calling install() bundles the shim', async () => {
      const code = await bundle(join(consumer, 'install.mjs'));
      assert.ok((await stringsOf(code)).includes(SHIM), 'the installation mark Symbol.for("webrtc-close-shim") is missing');
      assert.equal(await hasShim(code), true);
      assert.match(code, /RTCPeerConnection/);
      assert.match(code, /createDataChannel/);
      assert.ok(code.length > 5000, `only ${code.length} bytes`);
      // Only webrtc-close-shim/playwright imports @playwright/test: the shim never brings it in.
      assert.doesNotMatch(code, /playwright/i);
    });

    test('install() without extras bundles none of their code; an imported extra is bundled', async () => {
      const core = await bundle(join(consumer, 'install.mjs'));
      const withExtra = await bundle(join(consumer, 'install-extra.mjs'));
      // A string of each extra's own code (its error message, its operations, its handlers).
      const markers = ['closed before the operation completed', 'closed connections are still referenced', 'getSenders()).includes'];
      for (const marker of markers) assert.ok(!core.includes(marker), `extra code "${marker}" in a core-only bundle`);
      assert.ok(withExtra.includes('closed before the operation completed'), 'the imported extra settlePendingOnClose is missing');
      assert.ok(!withExtra.includes('closed connections are still referenced'), 'an extra that was not imported is bundled');
      assert.doesNotMatch(withExtra, /playwright/i);
    });

    test('importing "webrtc-close-shim/iife" for its side effect keeps the script-tag build', async () => {
      const code = await bundle(join(consumer, 'iife-import.mjs'));
      assert.equal(await hasShim(code), true, 'the script-tag build was dropped');
      assert.match(code, /webrtcCloseShim/);
      assert.doesNotMatch(code, /playwright/i);
    });
  });
}

// --- (b) types ----------------------------------------------------------------------------------

/** Runs tsc on a tsconfig written into the consumer project; resolves to tsc's output on success. */
async function typecheck(name, compilerOptions, files) {
  const config = join(consumer, `tsconfig.${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2017',
        lib: ['ES2017'],
        types: [],
        skipLibCheck: false,
        noUnusedLocals: true,
        ...compilerOptions,
      },
      files,
    }),
  );
  try {
    await run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: consumer });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: `${error.stdout}${error.stderr}` };
  }
}

async function assertTypecheck(name, compilerOptions, files) {
  const { ok, output } = await typecheck(name, compilerOptions, files);
  assert.ok(ok, `tsc ${name} (${files.join(', ')}) failed:\n${output}`);
}

/** What the script-tag and emulation entries need: the DOM, and side-effect imports checked. */
const SCRIPT_TAG = { lib: ['ES2017', 'DOM'], noUncheckedSideEffectImports: true };
/** What webrtc-close-shim/playwright needs: Playwright's declarations, which use Node's types. */
const PLAYWRIGHT = { lib: ['ES2017', 'DOM'], types: ['node'] };

describe('types (tsc --strict, typescript from the dev dependencies)', { concurrency: true }, () => {
  before(() => {
    // The same source as an ES module (import condition) and as CommonJS (require condition).
    for (const name of ['consumer', 'script-tag', 'playwright-api', 'global-types', 'global-types-import']) {
      for (const ext of ['mts', 'cts']) cpSync(join(consumer, `${name}.ts`), join(consumer, `${name}.${ext}`));
    }
  });

  test('moduleResolution bundler', async () => {
    const bundler = { module: 'ESNext', moduleResolution: 'Bundler' };
    await assertTypecheck('bundler', bundler, ['consumer.ts']);
    await assertTypecheck('bundler-script-tag', { ...bundler, ...SCRIPT_TAG }, ['script-tag.ts']);
    // The global's types without the script in the bundle: a triple-slash reference, or import type.
    await assertTypecheck('bundler-global-types', { ...bundler, ...SCRIPT_TAG }, ['global-types.ts', 'global-types-import.ts']);
    await assertTypecheck('bundler-playwright', { ...bundler, ...PLAYWRIGHT }, [
      'playwright-api.ts',
      'playwright.config.ts',
      'emulate.pw.ts',
    ]);
  });

  for (const mode of ['Node16', 'NodeNext']) {
    for (const [condition, ext] of [
      ['import', 'mts'],
      ['require', 'cts'],
    ]) {
      test(`moduleResolution ${mode}, ${condition} condition (.${ext})`, async () => {
        const options = { module: mode, moduleResolution: mode };
        await assertTypecheck(`${mode}-${condition}`, options, [`consumer.${ext}`]);
        await assertTypecheck(`${mode}-${condition}-script-tag`, { ...options, ...SCRIPT_TAG }, [`script-tag.${ext}`]);
        await assertTypecheck(`${mode}-${condition}-global-types`, { ...options, ...SCRIPT_TAG }, [
          `global-types.${ext}`,
          `global-types-import.${ext}`,
        ]);
        await assertTypecheck(`${mode}-${condition}-playwright`, { ...options, ...PLAYWRIGHT }, [`playwright-api.${ext}`]);
      });
    }
  }

  test('the check can fail: a wrong option type is an error', async () => {
    writeFileSync(join(consumer, 'loose.ts'), "import { install } from 'webrtc-close-shim';\ninstall({ extras: 'all' });\n");
    const { ok, output } = await typecheck('loose', { module: 'ESNext', moduleResolution: 'Bundler' }, ['loose.ts']);
    assert.equal(ok, false);
    assert.match(output, /loose\.ts\(2,\d+\): error TS2322/);
  });

  test('the checks can fail: no window.webrtcCloseShim without the script tag, no subpath without declarations', async () => {
    writeFileSync(join(consumer, 'no-script-tag.ts'), 'export const v: string = window.webrtcCloseShim.version;\n');
    writeFileSync(join(consumer, 'no-declarations.ts'), "import 'webrtc-close-shim/iife/core';\n");
    const { ok, output } = await typecheck('no-script-tag', { module: 'ESNext', moduleResolution: 'Bundler', ...SCRIPT_TAG }, [
      'no-script-tag.ts',
      'no-declarations.ts',
    ]);
    assert.equal(ok, false);
    assert.match(output, /no-script-tag\.ts\(1,\d+\): error TS2339: Property 'webrtcCloseShim' does not exist/);
    assert.match(output, /no-declarations\.ts\(1,\d+\): error TS2882/);
  });
});

// --- (c) Node -----------------------------------------------------------------------------------

const node = async (script, args = []) => JSON.parse((await run(process.execPath, [script, ...args], { cwd: consumer })).stdout);

test('require() from the consumer gets the CommonJS build and touches no global', async () => {
  const result = await node('require-check.cjs');
  assert.equal(result.resolved, join(installed, exportTarget(rootPkg.exports['.'], ['node', 'require', 'default'])));
  assert.match(result.resolved, /\.cjs$/);
  assert.deepEqual(result.keys, EXPORTS);
  assert.equal(result.version, rootPkg.version);
  assert.equal(result.status, 'unsupported');
  assert.equal(result.stats, 'undefined');
  assert.equal(result.uninstall, false);
  assert.deepEqual(result.changedByRequire, [], 'require() changed globals');
  assert.deepEqual(result.changedByInstall, [], 'install() without WebRTC changed globals');
  assert.equal(result.mark, false);
  assert.deepEqual(result.playwright, [], 'require() of the shim loaded Playwright');
});

test('require() from the consumer finds every entry point, and runs the classic scripts as CommonJS', async () => {
  const { entries } = await node('require-check.cjs', SUBPATHS);
  for (const subpath of SUBPATHS) {
    assert.equal(entries[subpath].resolved, join(installed, exportTarget(rootPkg.exports[`./${subpath}`], ['node', 'require', 'default'])));
  }
  // A classic script taken for an ES module comes back from require() as a module namespace.
  for (const subpath of CLASSIC_SCRIPTS) assert.deepEqual(entries[subpath], { ...entries[subpath], namespace: false, keys: [] }, subpath);
  assert.match(entries.playwright.resolved, /\.cjs$/);
  assert.deepEqual(entries.playwright.keys, ['expect', 'test', 'withEmulatedSafari']);
});

test('import from the consumer gets the ES module build and touches no global', async () => {
  const result = await node('import-check.mjs');
  assert.equal(result.resolved, pathToFileURL(join(installed, exportTarget(rootPkg.exports['.'], ['node', 'import', 'default']))).href);
  assert.match(result.resolved, /\.mjs$/);
  assert.deepEqual(result.keys, EXPORTS);
  assert.equal(result.version, rootPkg.version);
  assert.equal(result.status, 'unsupported');
  assert.deepEqual(result.added, []);
  assert.deepEqual(result.removed, []);
  assert.equal(result.mark, false);
});

test('import from the consumer finds every entry point, and runs the classic scripts as CommonJS', async () => {
  const { entries } = await node('import-check.mjs', SUBPATHS);
  for (const subpath of SUBPATHS) {
    const target = exportTarget(rootPkg.exports[`./${subpath}`], ['node', 'import', 'default']);
    assert.equal(entries[subpath].resolved, pathToFileURL(join(installed, target)).href);
  }
  // Imported, CommonJS has a default export (its module.exports); an ES module of no exports has none.
  for (const subpath of CLASSIC_SCRIPTS) assert.deepEqual(entries[subpath].keys, ['default'], subpath);
  assert.match(entries.playwright.resolved, /\.mjs$/);
  assert.deepEqual(entries.playwright.keys, ['expect', 'test', 'withEmulatedSafari']);
});

// --- (d) script tag -----------------------------------------------------------------------------

test('the script-tag build: exports["./iife"] is the installed minified file, which a plain page loads', async () => {
  const file = join(installed, 'dist/webrtc-close-shim.min.js');
  assert.ok(existsSync(file), 'dist/webrtc-close-shim.min.js is in the tarball');
  const requireFromConsumer = createRequire(join(consumer, 'package.json'));
  assert.equal(requireFromConsumer.resolve(`${SHIM}/iife`), file);
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  for (const field of ['unpkg', 'jsdelivr']) assert.equal(join(installed, pkg[field]), file, `${field} is the minified build`);
  assert.ok(pkg.sideEffects.includes('./dist/webrtc-close-shim.min.js'), 'sideEffects lists the script-tag build');

  const html = readFileSync(join(consumer, 'index.html'), 'utf8');
  const src = /<script src="([^"]+)"/.exec(html)[1];
  assert.equal(join(consumer, src), file, 'index.html loads the installed file');

  const { parse } = await import('acorn');
  assert.doesNotThrow(() => parse(readFileSync(file, 'utf8'), { ecmaVersion: 2017, sourceType: 'script' }), 'ES2017 syntax');
  const map = join(dirname(file), /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'))[1]);
  assert.ok(existsSync(map), 'its source map is in the tarball');
});

// --- (e) Playwright -----------------------------------------------------------------------------

/** Every test of a Playwright JSON report: file, title, project and outcome. */
function testsOf(suite) {
  return [
    ...(suite.specs ?? []).flatMap((spec) => spec.tests.map((t) => ({ file: spec.file, title: spec.title, ...t }))),
    ...(suite.suites ?? []).flatMap(testsOf),
  ];
}

test(
  "webrtc-close-shim/playwright: a consumer's suite runs over the emulations",
  { skip: !chromium.available && chromium.why },
  async () => {
    // The spec as an ES module (the ES module build) and as CommonJS (the CommonJS build).
    cpSync(join(consumer, 'emulate.pw.ts'), join(consumer, 'emulate.pw.cts'));
    const cli = join(consumer, 'node_modules/@playwright/test/cli.js');
    try {
      await run(process.execPath, [cli, 'test', '-c', 'playwright.config.ts'], { cwd: consumer, maxBuffer: 16 << 20 });
    } catch (error) {
      const report = existsSync(join(consumer, 'results.json')) ? readFileSync(join(consumer, 'results.json'), 'utf8') : '';
      assert.fail(`the consumer's Playwright run failed:\n${error.stdout}${error.stderr}\n${report}`);
    }
    const tests = testsOf({ suites: JSON.parse(readFileSync(join(consumer, 'results.json'), 'utf8')).suites });
    const expected = [];
    for (const file of ['emulate.pw.ts', 'emulate.pw.cts']) {
      for (const project of ['chromium', 'chromium over safari-before-304859', 'chromium over webkit-trunk']) {
        expected.push(
          `${file}, ${project}: every page runs the emulation of its project: expected`,
          `${file}, ${project}: an emulate that is no engine fails the test with a TypeError: expected`,
          `${file}, ${project}: a test whose connections are closed passes: expected`,
          `${file}, ${project}: a test that leaves connections open fails, saying how many: expected`,
        );
      }
    }
    assert.deepEqual(tests.map((t) => `${t.file}, ${t.projectName}: ${t.title}: ${t.status}`).sort(), expected.sort());
    // The expected failures are the fixture's errors, not anything else.
    for (const t of tests.filter((t) => t.expectedStatus === 'failed')) {
      assert.match(
        t.results[0].error.message,
        /open/.test(t.title)
          ? /webrtc-close-shim\/playwright: 2 RTCPeerConnections are still open at the end of the test/
          : /TypeError: webrtc-close-shim\/playwright: emulate must be one of "safari-before-304859", "webkit-trunk" or null, not "safari"/,
      );
    }
  },
);
