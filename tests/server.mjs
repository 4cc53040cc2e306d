// Static server for the tests and the demo: serves the repository (dist/, tests/) from 127.0.0.1,
// and builds fixture pages at /page?shim=none|iife|min|esm&profile=NAME, so that every test loads
// the built files exactly the way a site would. &options=a,b turns on extras (by export name;
// endFailedConnections=2000 passes its disconnectedMs). &adapter=before|after loads
// webrtc-adapter's browser build (/vendor/adapter.js) before or after the shim;
// &library=simple-peer|peerjs loads that library's browser build after it (tests/libraries.spec.ts);
// &bundle=NAME loads /bundle/NAME.js (tests/fixtures/hostile/bundle-NAME.js bundled with
// esbuild on request; minified when NAME ends in -min) where the shim would go. Every fixture
// page saves the engine's constructor and close() before the shim, as window.beforeShim.
// /csp?shim=iife|min|esm is a fixture page served with a real Content-Security-Policy header
// (tests/hostile.spec.ts).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const demo = join(root, 'demo/');
const types = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.map': 'application/json',
  '.css': 'text/css',
  '.json': 'application/json',
};

/**
 * The shim as a site loads it. Extras (`options`, by export name) switch the script tag to the
 * extras file with its data- attributes, or are imported and passed to install() (esm).
 */
const shimTags = {
  none: () => '',
  iife: (options) => `<script src="/dist/webrtc-close-shim${options.length ? '.extras' : ''}.js"${attributes(options)}></script>`,
  min: (options) => `<script src="/dist/webrtc-close-shim${options.length ? '.extras' : ''}.min.js"${attributes(options)}></script>`,
  esm: (options) =>
    `<script type="module">import { install${options.map(([key]) => `, ${key}`).join('')} } from '/dist/index.mjs'; window.shimStatus = install(${options.length ? `{ extras: [${options.map(extraOf).join(', ')}] }` : ''});</script>`,
};

/** An option is an extra's export name, with a value for endFailedConnections (its disconnectedMs). */
const extraOf = ([key, value]) => (value === undefined ? key : `${key}({ disconnectedMs: ${value} })`);
const attributes = (options) =>
  options
    .map(([key, value]) => ` data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${value === undefined ? '' : `="${value}"`}`)
    .join('');

/**
 * webrtc-adapter's script-tag build, right before or right after the shim's tag, each followed by
 * a script of the same kind recording whether the shim was already installed when adapter ran
 * (`window.adapterRanAfterShim`). For the ESM shim (a module script, so deferred) "after" loads
 * adapter as a module script too, so that it really runs after install().
 */
function adapterTags(shim, where) {
  const kind = where === 'after' && shim === 'esm' ? ' type="module"' : '';
  return (
    `<script${kind} src="/vendor/adapter.js"></script>` +
    `<script${kind}>window.adapterRanAfterShim = Symbol.for('webrtc-close-shim') in window;</script>`
  );
}

/** The WebKit profiles are the shipped emulations (docs/emulate.md); the others, tests/profiles/profiles.js. */
const EMULATIONS = { 'safari-before-304859': 'safari-before-304859', 'safari-trunk': 'webkit-trunk' };
const profileTags = (profile) =>
  Object.hasOwn(EMULATIONS, profile)
    ? `<script src="/dist/emulate/${EMULATIONS[profile]}.js"></script>`
    : `<script src="/tests/profiles/profiles.js"></script><script>engineProfiles.apply(${JSON.stringify(profile)})</script>`;

export function fixturePage(params) {
  const shim = params.get('shim') ?? 'none';
  if (!(shim in shimTags)) throw new Error(`unknown shim mode ${shim}`);
  const options = (params.get('options') ?? '')
    .split(',')
    .filter(Boolean)
    .map((option) => option.split('='));
  for (const [key, value] of options)
    if (!/^[a-zA-Z]+$/.test(key) || !/^\d*$/.test(value ?? '')) throw new Error(`bad option ${key}=${value}`);
  const profile = params.get('profile');
  if (profile && !/^[a-z0-9-]+$/.test(profile)) throw new Error(`bad profile name ${profile}`);
  const bundleName = params.get('bundle');
  if (bundleName && !/^[a-z0-9-]+$/.test(bundleName)) throw new Error(`bad bundle name ${bundleName}`);
  const adapter = params.get('adapter');
  if (adapter && adapter !== 'before' && adapter !== 'after') throw new Error(`adapter must be before or after, got ${adapter}`);
  const library = params.get('library');
  if (library && !LIBRARIES.includes(library)) throw new Error(`library must be one of ${LIBRARIES.join(', ')}, got ${library}`);
  return `<!doctype html><meta charset="utf-8"><title>webrtc-close-shim fixture</title>
<script>window.pageErrors = []; addEventListener('error', (e) => pageErrors.push(String(e.message)));</script>
${profile ? profileTags(profile) : ''}
${adapter === 'before' ? adapterTags(shim, adapter) : ''}
<script>window.beforeShim = window.RTCPeerConnection && { RTCPeerConnection, close: RTCPeerConnection.prototype.close };</script>
${shimTags[shim](options)}
${bundleName ? `<script src="/bundle/${bundleName}.js"></script>` : ''}
${adapter === 'after' ? adapterTags(shim, adapter) : ''}
${library ? `<script src="/vendor/${library}.js"></script><script src="/tests/fixtures/libraries.js"></script>` : ''}
<script src="/tests/fixtures/harness.js"></script><script src="/tests/fixtures/connection.js"></script>
<script src="/tests/fixtures/stress.js"></script>
<script src="/tests/fixtures/load.js"></script>
<script src="/tests/fixtures/far.js"></script>
<script src="/tests/fixtures/behind.js"></script>
<script src="/tests/fixtures/worker.js"></script>
<script type="module">window.harnessReady = true;</script>
<body>${shim} ${profile ?? ''}</body>`;
}

/** Files served from outside the served tree, by explicit route only. */
const vendor = {
  '/vendor/adapter.js': join(root, 'node_modules/webrtc-adapter/out/adapter.js'),
  // The libraries of tests/libraries.spec.ts, as their script-tag builds.
  '/vendor/simple-peer.js': join(root, 'node_modules/simple-peer/simplepeer.min.js'),
  '/vendor/peerjs.js': join(root, 'node_modules/peerjs/dist/peerjs.min.js'),
};
const LIBRARIES = ['simple-peer', 'peerjs'];

/** The header of the /csp page: no inline script, no eval, and (where supported) Trusted Types. */
export const CSP = "script-src 'self'; require-trusted-types-for 'script'";

/**
 * A fixture page under the CSP above: external scripts only (an inline one would be blocked), the
 * first of them recording every securitypolicyviolation and page error.
 */
export function cspPage(params) {
  const shim = params.get('shim') ?? 'none';
  const tags = {
    none: '',
    iife: '<script src="/dist/webrtc-close-shim.js"></script>',
    min: '<script src="/dist/webrtc-close-shim.min.js"></script>',
    esm: '<script type="module" src="/tests/fixtures/hostile/csp-esm.js"></script>',
  };
  if (!(shim in tags)) throw new Error(`unknown shim mode ${shim}`);
  return `<!doctype html><meta charset="utf-8"><title>webrtc-close-shim under CSP</title>
<script src="/tests/fixtures/hostile/csp-watch.js"></script>
${tags[shim]}
<script src="/tests/fixtures/harness.js"></script><script src="/tests/fixtures/hostile/csp-probe.js"></script>
<script type="module" src="/tests/fixtures/hostile/ready.js"></script>
<body>${shim} under CSP</body>`;
}

/** tests/fixtures/hostile/bundle-NAME.js bundled with esbuild, built per request (so never older than dist/). */
async function bundle(name) {
  if (!/^[a-z0-9-]+$/.test(name)) throw Object.assign(new Error(`bad bundle name ${name}`), { code: 'ENOENT' });
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, 'tests/fixtures/hostile', `bundle-${name}.js`)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2017',
    minify: name.endsWith('-min'),
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Serves the fixtures, demo/ and dist/ on `port` of `host` (default 127.0.0.1: this machine only). */
export function startServer(port, host = '127.0.0.1') {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (url.pathname === '/page') {
        // &cacheable=1: without no-store, which keeps Chromium from putting a page in its back/forward cache.
        const cache = url.searchParams.get('cacheable') === '1' ? 'no-cache' : 'no-store';
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': cache });
        return res.end(fixturePage(url.searchParams));
      }
      if (Object.hasOwn(vendor, url.pathname)) {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        return res.end(await readFile(vendor[url.pathname]));
      }
      if (url.pathname.startsWith('/bundle/') && url.pathname.endsWith('.js')) {
        const code = await bundle(url.pathname.slice('/bundle/'.length, -'.js'.length));
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        return res.end(code);
      }
      if (url.pathname === '/csp') {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store', 'content-security-policy': CSP });
        return res.end(cspPage(url.searchParams));
      }
      const path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!path.startsWith(root) || path.includes('node_modules')) throw Object.assign(new Error('forbidden'), { code: 'ENOENT' });
      const file = path.endsWith('/') ? join(path, 'index.html') : path;
      const body = await readFile(file);
      // The demo's pages may be kept in the back/forward cache (demo/bfcache.js), which no-store prevents in Chromium.
      const cache = file.startsWith(demo) && extname(file) === '.html' ? 'no-cache' : 'no-store';
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': cache });
      res.end(body);
    } catch (error) {
      res.writeHead(error.code === 'ENOENT' || error.code === 'EISDIR' ? 404 : 400, { 'content-type': 'text/plain' });
      res.end(String(error.message));
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 4173);
  await startServer(port);
  console.log(`webrtc-close-shim test server on http://127.0.0.1:${port}/`);
}
