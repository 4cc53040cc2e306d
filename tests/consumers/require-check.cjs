// Run with node from the consumer project: require() of the package resolves to the CommonJS build,
// exposes the API and touches no global, before or after install() (Node has no WebRTC), and loads
// nothing of Playwright. Then each subpath given as an argument: where require() finds it, and what
// it returns (a classic script run as an ES module would return a module namespace).
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS consumer */
const process = require('node:process');

function snapshot() {
  const keys = [...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis)];
  return new Map(keys.map((key) => [key, Object.getOwnPropertyDescriptor(globalThis, key)]));
}

function changed(before, after) {
  const out = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    if (!a || !b || !Object.is(a.value, b.value) || a.get !== b.get || a.set !== b.set || a.writable !== b.writable) out.push(String(key));
  }
  return out;
}

const before = snapshot();
const shim = require('webrtc-close-shim');
const afterRequire = snapshot();
const status = shim.install();
const afterInstall = snapshot();

const result = {
  resolved: require.resolve('webrtc-close-shim'),
  keys: Object.keys(shim).sort(),
  version: shim.version,
  status,
  stats: shim.stats() === undefined ? 'undefined' : 'defined',
  uninstall: shim.uninstall(),
  changedByRequire: changed(before, afterRequire),
  changedByInstall: changed(afterRequire, afterInstall),
  mark: Symbol.for('webrtc-close-shim') in globalThis,
  playwright: Object.keys(require.cache).filter((file) => /playwright/i.test(file)),
  entries: {},
};
for (const subpath of process.argv.slice(2)) {
  const exports = require(`webrtc-close-shim/${subpath}`);
  result.entries[subpath] = {
    resolved: require.resolve(`webrtc-close-shim/${subpath}`),
    namespace: Object.prototype.toString.call(exports) === '[object Module]',
    keys: Object.keys(exports).sort(),
  };
}

process.stdout.write(JSON.stringify(result));
