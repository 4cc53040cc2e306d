// The extras' names are written in src/lib/extra.ts for install()'s errors, and in scripts/size.mjs
// for its table: both must be the package's extras, every one of them (the exports that carry the
// extra brand, Symbol.for('webrtc-close-shim.extra')). Reads the built dist/index.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const shim = await import('../../dist/index.mjs');
const branded = Object.keys(shim)
  .filter((name) => typeof shim[name] === 'function' && shim[name][Symbol.for('webrtc-close-shim.extra')] === true)
  .sort();

test('install() names every extra, and only the extras, when it refuses a function', () => {
  assert.ok(branded.length > 0, 'the build exports branded extras');
  let message = '';
  try {
    shim.install({ extras: [() => {}] });
  } catch (error) {
    message = String(error.message);
  }
  const listed = message
    .slice(message.indexOf(': ') + 2)
    .split(': ')
    .pop()
    .split(', ')
    .sort();
  assert.deepEqual(listed, branded, `install()'s error: ${message}`);
});

test("npm run size's table lists every extra", () => {
  const source = readFileSync(new URL('../../scripts/size.mjs', import.meta.url), 'utf8');
  const list = source.slice(source.indexOf('const EXTRAS = ['), source.indexOf('];', source.indexOf('const EXTRAS = [')));
  const names = [...list.matchAll(/'(\w+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(names, branded);
});
