// The package's metadata as tools read it (issue #19): the `npm pack` tarball, checked by
// @arethetypeswrong/cli (every entry point resolves, to declarations of the right module format,
// under TypeScript's node10, node16 from CommonJS and from ESM, and bundler resolution) and by
// publint (package.json fields, exports and the files they point at). Both are dev dependencies,
// run offline from node_modules/.bin; neither has problems to ignore (no .attw.json). Uses dist/ as
// it is (npm test builds it first).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { command } from './command.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Runs a CLI of node_modules/.bin; resolves to its exit code and output, whatever the code.
 * NO_COLOR: with CI set, publint's colours would wrap the words the assertions look for.
 */
const cli = (name, args) => command(join(root, 'node_modules/.bin', name), args, { env: { ...process.env, NO_COLOR: '1' } });

let work; // temporary directory holding the tarball
let tarball;

before(async () => {
  // Without the settings of an enclosing `npm run` that would change what pack does.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_config_(dry_run|json|workspaces?|pack_destination)$/i.test(key)),
  );
  work = mkdtempSync(join(tmpdir(), 'lint-package-'));
  const { stdout } = await promisify(execFile)('npm', ['pack', '--pack-destination', work, '--json', '--ignore-scripts'], {
    cwd: root,
    env,
    maxBuffer: 16 << 20,
  });
  tarball = join(work, JSON.parse(stdout)[0].filename);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('arethetypeswrong: every entry point resolves and is typed, in every resolution mode', async () => {
  // Text, not --format json: attw exits before a long JSON report is flushed to a pipe.
  const { code, stdout, stderr } = await cli('attw', [tarball, '--format', 'ascii', '--no-color', '--no-emoji']);
  assert.equal(code, 0, `attw exited with ${code}:\n${stdout}${stderr}`);
  assert.match(stdout, /No problems found/, stdout);
  // Every subpath of "exports" was analysed, OK in all four modes: one block per entry point,
  //   "webrtc-close-shim/iife"\n\nnode10: OK \nnode16 (from CJS): OK (CJS)\n...
  const results = {};
  for (const block of stdout.split(/^\*+$/m)) {
    const entry = /^"([^"]+)"$/m.exec(block);
    if (entry)
      results[entry[1]] = [...block.matchAll(/^(node10|node16 \(from CJS\)|node16 \(from ESM\)|bundler): (.*)$/gm)].map(
        (m) => `${m[1]}: ${m[2].trim()}`,
      );
  }
  const expected = Object.keys(pkg.exports).map((subpath) => pkg.name + subpath.slice(1));
  assert.deepEqual(Object.keys(results).sort(), expected.sort(), stdout);
  for (const [entry, modes] of Object.entries(results)) {
    assert.equal(modes.length, 4, `${entry}: ${modes.join('; ')}`);
    for (const mode of modes) assert.match(mode, /: OK\b/, `${entry} ${mode}`);
  }
});

test('publint: All good', async () => {
  const { code, stdout, stderr } = await cli('publint', [tarball]);
  assert.equal(code, 0, `publint exited with ${code}:\n${stdout}${stderr}`);
  // Not even a suggestion: publint exits 0 on those too.
  assert.match(stdout, /^All good!$/m, stdout);
});
