#!/usr/bin/env node
// npm run demo (after the build): serves the repository and prints the URL of the demo page.
import { existsSync } from 'node:fs';
import { startServer } from '../tests/server.mjs';

if (!existsSync('dist/webrtc-close-shim.min.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 4174);
await startServer(port);
console.log(`webrtc-close-shim demo: http://127.0.0.1:${port}/demo/  (Ctrl-C to stop)`);
