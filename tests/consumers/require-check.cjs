// Run with node from the consumer project: require() of the package resolves to the CommonJS build,
// exposes the API and touches no global, before or after install() (Node has no WebRTC).
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

process.stdout.write(
  JSON.stringify({
    resolved: require.resolve('webrtc-close-shim'),
    iife: require.resolve('webrtc-close-shim/iife'),
    keys: Object.keys(shim).sort(),
    version: shim.version,
    status,
    stats: shim.stats() === undefined ? 'undefined' : 'defined',
    uninstall: shim.uninstall(),
    changedByRequire: changed(before, afterRequire),
    changedByInstall: changed(afterRequire, afterInstall),
    mark: Symbol.for('webrtc-close-shim') in globalThis,
  }),
);
