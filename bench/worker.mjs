#!/usr/bin/env node
// node bench/worker.mjs — the message path in a dedicated worker (issue #28): synthetic `message`
// events dispatched at a data channel the page transferred to a worker with the shim's script tag
// (importScripts) against one transferred to a worker without it, and the floor beside it: a
// worker without the shim whose channel has one empty capturing listener. One page per engine
// (the fixture page with the core script tag), three workers, each given one channel; every round
// times a batch in each worker in an order rotated from round to round, each batch the fastest of
// `reps` runs (bench/fixtures/worker-message.js). Reported: the median over rounds of the ratio to
// the worker without the shim, with its p10-p90 spread, and the median µs per message.
//
// Options: --rounds N (default 30), --size N (default 2000), --reps N (default 5), --engine NAME
// (repeatable), --port N (default PORT or any free port). Prints a Markdown table.
import { parseArgs } from 'node:util';
import { chromium, firefox } from '@playwright/test';
import { resolveEngines } from '../tests/engines.mjs';
import { startServer } from '../tests/server.mjs';
import { quantile } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    size: { type: 'string', default: '2000' },
    reps: { type: 'string', default: '5' },
    engine: { type: 'string', multiple: true },
    port: { type: 'string', default: process.env.PORT ?? '0' },
  },
});
const types = { chromium, firefox };
const wanted = args.engine && args.engine.flatMap((e) => e.split(','));
const VARIANTS = ['native', 'shim', 'floor'];

/** Runs in the page: per variant, the µs per message of each round. */
async function measure({ rounds, size, reps, variants }) {
  const url = { native: 'shim=none', shim: 'shim=min', floor: 'shim=none&floor=1' };
  const pc = new RTCPeerConnection();
  const workers = {};
  for (const v of variants) {
    const worker = new Worker(`/bench/fixtures/worker-message.js?${url[v]}`);
    const ready = new Promise((resolve) => (worker.onmessage = ({ data }) => resolve(data)));
    const dc = pc.createDataChannel(v);
    worker.postMessage({ dc }, [dc]);
    const { installed } = await ready;
    if (installed !== (v === 'shim')) throw new Error(`${v}: the shim is ${installed ? '' : 'not '}installed in the worker`);
    workers[v] = worker;
  }
  const batch = (v) =>
    new Promise((resolve) => {
      workers[v].onmessage = ({ data }) => resolve(data.us);
      workers[v].postMessage({ size, reps });
    });
  const out = Object.fromEntries(variants.map((v) => [v, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(round + i) % variants.length];
      out[v].push(await batch(v));
    }
  }
  pc.close();
  Object.values(workers).forEach((w) => w.terminate());
  return out;
}

const server = await startServer(Number(args.port));
const port = server.address().port;
const rows = [];
for (const engine of resolveEngines().filter((e) => e.available && types[e.name] && (!wanted || wanted.includes(e.name)))) {
  const { launchOptions = {}, channel } = engine.use;
  // Firefox rounds performance.now() unless told not to (as bench/bench.mjs does).
  const prefs = engine.name === 'firefox' ? { firefoxUserPrefs: { 'privacy.reduceTimerPrecision': false } } : {};
  const browser = await types[engine.name].launch({ ...launchOptions, ...prefs, channel, headless: true });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/page?shim=min`);
  const out = await page.evaluate(measure, {
    rounds: Number(args.rounds),
    size: Number(args.size),
    reps: Number(args.reps),
    variants: VARIANTS,
  });
  const version = browser.version();
  await browser.close();
  for (const v of ['shim', 'floor']) {
    const ratios = out[v].map((us, i) => us / out.native[i]);
    rows.push(
      `| ${engine.name} ${version} | ${v === 'shim' ? 'worker with the shim (script tag)' : 'floor: no shim, 1 empty capturing listener'} | ` +
        `${quantile(out.native, 0.5).toFixed(3)} | ${quantile(out[v], 0.5).toFixed(3)} | ×${quantile(ratios, 0.5).toFixed(2)} ` +
        `(p10–p90 ${quantile(ratios, 0.1).toFixed(2)}–${quantile(ratios, 0.9).toFixed(2)}) |`,
    );
  }
}
server.close();
console.log('| engine | transferred channel in a worker | µs/message, no shim | µs/message | ratio (median per round) |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
