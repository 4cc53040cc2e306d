// Run with node from the consumer project: import of the package resolves to the ES module build
// and touches no global.
const names = () => [...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis).map(String)];
const before = names();
const shim = await import('webrtc-close-shim');
const after = names();

process.stdout.write(
  JSON.stringify({
    resolved: import.meta.resolve('webrtc-close-shim'),
    keys: Object.keys(shim).sort(),
    version: shim.version,
    status: shim.install(),
    added: after.filter((name) => !before.includes(name)),
    removed: before.filter((name) => !after.includes(name)),
    mark: Symbol.for('webrtc-close-shim') in globalThis,
  }),
);
