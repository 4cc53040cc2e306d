// Static server for the tests and the demo: serves the repository (dist/, tests/) from 127.0.0.1,
// and builds fixture pages at /page?shim=none|iife|min|esm&profile=NAME, so that every test loads
// the built files exactly the way a site would. &options=a,b turns on boolean shim options.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.map': 'application/json', '.css': 'text/css', '.json': 'application/json' };

/** The shim's options as script-tag attributes (iife, min) or install() options (esm). */
const shimTags = {
  none: () => '',
  iife: (options) => `<script src="/dist/webrtc-close-shim.js"${attributes(options)}></script>`,
  min: (options) => `<script src="/dist/webrtc-close-shim.min.js"${attributes(options)}></script>`,
  esm: (options) => `<script type="module">import { install } from '/dist/index.mjs'; window.shimStatus = install(${JSON.stringify(options)});</script>`,
};

const attributes = (options) => Object.keys(options).map((key) => ` data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join('');

export function fixturePage(params) {
  const shim = params.get('shim') ?? 'none';
  if (!(shim in shimTags)) throw new Error(`unknown shim mode ${shim}`);
  const options = Object.fromEntries((params.get('options') ?? '').split(',').filter(Boolean).map((key) => {
    if (!/^[a-zA-Z]+$/.test(key)) throw new Error(`bad option name ${key}`);
    return [key, true];
  }));
  const profile = params.get('profile');
  if (profile && !/^[a-z0-9-]+$/.test(profile)) throw new Error(`bad profile name ${profile}`);
  return `<!doctype html><meta charset="utf-8"><title>webrtc-close-shim fixture</title>
<script>window.pageErrors = []; addEventListener('error', (e) => pageErrors.push(String(e.message)));</script>
${profile ? `<script src="/tests/profiles/profiles.js"></script><script>engineProfiles.apply(${JSON.stringify(profile)})</script>` : ''}
${shimTags[shim](options)}
<script src="/tests/fixtures/harness.js"></script><script src="/tests/fixtures/connection.js"></script>
<script type="module">window.harnessReady = true;</script>
<body>${shim} ${profile ?? ''}</body>`;
}

export function startServer(port) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (url.pathname === '/page') {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
        return res.end(fixturePage(url.searchParams));
      }
      const path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!path.startsWith(root) || path.includes('node_modules')) throw Object.assign(new Error('forbidden'), { code: 'ENOENT' });
      const body = await readFile(path.endsWith('/') ? join(path, 'index.html') : path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch (error) {
      res.writeHead(error.code === 'ENOENT' || error.code === 'EISDIR' ? 404 : 400, { 'content-type': 'text/plain' });
      res.end(String(error.message));
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 4173);
  await startServer(port);
  console.log(`webrtc-close-shim test server on http://127.0.0.1:${port}/`);
}
