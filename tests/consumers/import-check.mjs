// Run with node from the consumer project: import of the package resolves to the ES module build
// and touches no global. Then each subpath given as an argument: where import finds it, and the
// names it exports (a classic script run as CommonJS has only `default`, its module.exports).
const names = () => [...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis).map(String)];
const before = names();
const shim = await import('webrtc-close-shim');
const after = names();

const result = {
  resolved: import.meta.resolve('webrtc-close-shim'),
  keys: Object.keys(shim).sort(),
  version: shim.version,
  status: shim.install(),
  added: after.filter((name) => !before.includes(name)),
  removed: before.filter((name) => !after.includes(name)),
  mark: Symbol.for('webrtc-close-shim') in globalThis,
  entries: {},
};
for (const subpath of process.argv.slice(2)) {
  const namespace = await import(`webrtc-close-shim/${subpath}`);
  result.entries[subpath] = { resolved: import.meta.resolve(`webrtc-close-shim/${subpath}`), keys: Object.keys(namespace).sort() };
}

process.stdout.write(JSON.stringify(result));
