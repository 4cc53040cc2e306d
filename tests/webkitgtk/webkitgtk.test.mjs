// The built files in a real WebKit JavaScript engine (JavaScriptCore): Debian's WebKitGTK
// MiniBrowser driven through WebKitWebDriver (packages webkit2gtk-driver and xvfb). This WebKit is
// built without WebRTC, so what it shows is that each build parses and runs in JavaScriptCore,
// exposes its API, and that install() is a silent no-op there; the close() paths of Safari are
// covered by the engine profiles instead. Skipped, and said so, where the driver is missing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import test from 'node:test';
import { webDriver } from '../../scripts/lib/webdriver.mjs';
import { startServer } from '../server.mjs';

const DRIVER = '/usr/bin/WebKitWebDriver';
const MINIBROWSER = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser'].find(
  (path) => existsSync(path),
);
const missing = !existsSync(DRIVER)
  ? `${DRIVER} is not installed (apt-get install -y webkit2gtk-driver xvfb)`
  : !MINIBROWSER
    ? 'MiniBrowser is not installed (apt-get install -y webkit2gtk-driver)'
    : !process.env.DISPLAY && !existsSync('/usr/bin/xvfb-run')
      ? 'no display and no xvfb-run (apt-get install -y xvfb)'
      : undefined;

const SERVER_PORT = 4177;
const DRIVER_PORT = 4178;

test('the builds run in WebKitGTK (JavaScriptCore) without WebRTC', { skip: missing, timeout: 120000 }, async () => {
  const server = await startServer(SERVER_PORT);
  const command = process.env.DISPLAY ? [DRIVER] : ['xvfb-run', '-a', DRIVER];
  const child = spawn(command[0], [...command.slice(1), `--port=${DRIVER_PORT}`], { stdio: 'ignore', detached: true });
  const driver = webDriver(`http://127.0.0.1:${DRIVER_PORT}`);
  let session;
  try {
    await driver.ready({ child });
    session = await driver.session({ 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } });
    const run = (script) => session.execute(script);
    const version = `${session.capabilities.browserName} (WebKitGTK) ${session.capabilities.browserVersion}`;
    const results = {};
    // The core builds, and with every extra (the extras script-tag files; extras imported by the ESM build).
    const EXTRAS = 'settlePendingOnClose,stopTracksOnClose,releaseHandlers,recoverConnectionLimit';
    for (const shim of ['iife', 'min', 'esm', 'iife+extras', 'min+extras', 'esm+extras']) {
      const [mode, extras] = shim.split('+');
      const query = `shim=${mode}${extras ? `&options=${EXTRAS}` : ''}`;
      await session.navigate(`http://127.0.0.1:${SERVER_PORT}/page?${query}`);
      const deadline = Date.now() + 10000;
      while (!(await run('return window.harnessReady === true')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      results[shim] = await run(`
        const api = window.webrtcCloseShim;
        return {
          webrtc: typeof RTCPeerConnection,
          global: api ? Object.keys(api).sort() : null,
          version: api ? api.version : null,
          status: api ? api.install() : window.shimStatus,
          marked: Symbol.for('webrtc-close-shim') in window,
          errors: window.pageErrors,
        };`);
    }
    console.log(`webkitgtk: ran in ${version}`);
    const iife = {
      webrtc: 'undefined',
      global: ['closed', 'install', 'stats', 'uninstall', 'version'],
      version: results.iife.version,
      status: 'unsupported',
      marked: false,
      errors: [],
    };
    assert.match(results.iife.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(results.iife, iife);
    assert.deepEqual(results.min, iife);
    assert.deepEqual(results['iife+extras'], iife);
    assert.deepEqual(results['min+extras'], iife);
    const esm = { webrtc: 'undefined', global: null, version: null, status: 'unsupported', marked: false, errors: [] };
    assert.deepEqual(results.esm, esm);
    assert.deepEqual(results['esm+extras'], esm);
  } finally {
    if (session) await session.end().catch(() => {});
    try {
      process.kill(-child.pid);
    } catch {
      /* already gone */
    }
    server.close();
  }
});
