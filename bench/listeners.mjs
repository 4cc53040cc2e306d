#!/usr/bin/env node
// node bench/listeners.mjs — what capturing listeners cost per data channel, with no shim at all:
// the floor for a shim that listens on every channel it creates.
//
// In one page of each browser (the fixture page with no shim), batches of `pc.createDataChannel()`
// calls alternate with batches of the same calls each followed by K `addEventListener` calls
// (EventTarget.prototype.addEventListener, one shared listener function), for K = 1, 3, 6, 11, with
// capture true or false, on K distinct event types or K times the same type (which the engine
// dedupes after the first: same listener, same type, same capture). Distinct types are the
// channel's six (open, message, bufferedamountlow, closing, close, error) and then made-up ones.
// Every round runs every variant on a fresh connection (closed after the round), in an order
// rotated from round to round so that drift within a round hits every variant alike, each as
// `reps` batches of which the fastest counts (a busy machine only ever slows a batch down).
// Reported: µs per call (median over rounds), the median per-round ratio to the plain call with
// its p10–p90 spread, and the added µs per listener.
//
// Options: --rounds N (default 30), --batch N (default 50 channels per batch), --reps N (default 3
// batches per variant and round), --engine NAME
// (repeatable), --port N (default PORT or any free port). Writes bench/results/listeners.{json,md}
// and the listeners block of docs/performance.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, firefox } from '@playwright/test';
import { resolveEngines } from '../tests/engines.mjs';
import { startServer } from '../tests/server.mjs';
import { gitDescribe, machine as machineNow, quantile, stamp, updateDoc, isolate } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    batch: { type: 'string', default: '50' },
    reps: { type: 'string', default: '3' },
    engine: { type: 'string', multiple: true },
    port: { type: 'string', default: process.env.PORT ?? '0' },
  },
});
const ROUNDS = Number(args.rounds);
const BATCH = Number(args.batch);
const REPS = Number(args.reps);
const types = { chromium, firefox };
const wanted = args.engine && args.engine.flatMap((e) => e.split(','));

const KS = [1, 3, 6, 11];
const variants = [{ name: 'plain', k: 0, capture: false, sameType: false }];
for (const k of KS) {
  for (const capture of [true, false]) {
    for (const sameType of [false, true]) {
      variants.push({ name: `${k} ${sameType ? 'same type' : 'distinct types'}, capture ${capture}`, k, capture, sameType });
    }
  }
}

/** Runs in the page: returns, per variant, the µs per call of each round. */
async function measure({ variants, rounds, batch, reps }) {
  const addEventListener = EventTarget.prototype.addEventListener;
  const createDataChannel = RTCPeerConnection.prototype.createDataChannel;
  const channelTypes = ['open', 'message', 'bufferedamountlow', 'closing', 'close', 'error'];
  const typesFor = (v) => Array.from({ length: v.k }, (_, i) => (v.sameType ? 'close' : (channelTypes[i] ?? `made-up-${i}`)));
  const listener = () => {};
  const nextTask = () =>
    new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(0);
    });
  const perVariant = variants.map(() => []);
  const run = (v, pc, label) => {
    const list = typesFor(v);
    const capture = v.capture;
    const start = performance.now();
    for (let i = 0; i < batch; i++) {
      const dc = createDataChannel.call(pc, label + i);
      for (let j = 0; j < list.length; j++) addEventListener.call(dc, list[j], listener, capture);
    }
    return ((performance.now() - start) * 1000) / batch;
  };
  // Warm-up: every variant once, untimed.
  const warm = new RTCPeerConnection();
  variants.forEach((v, i) => run(v, warm, `w${i}-`));
  warm.close();
  for (let round = 0; round < rounds; round++) {
    const pc = new RTCPeerConnection();
    for (let n = 0; n < variants.length; n++) {
      const index = (n + round) % variants.length;
      let fastest = Infinity;
      for (let rep = 0; rep < reps; rep++) fastest = Math.min(fastest, run(variants[index], pc, `r${round}v${index}x${rep}-`));
      perVariant[index].push(fastest);
    }
    pc.close();
    if (typeof window.gc === 'function') window.gc();
    await nextTask();
  }
  return perVariant;
}

const engines = resolveEngines().filter((e) => e.available && types[e.name] && (!wanted || wanted.includes(e.name)));
const server = await startServer(Number(args.port));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const startedAt = new Date();
const machine = machineNow();
const out = [];
const lines = [];
try {
  for (const engine of engines) {
    const { launchOptions = {}, channel } = engine.use;
    const prefs = engine.name === 'firefox' ? { firefoxUserPrefs: { 'privacy.reduceTimerPrecision': false } } : {};
    const browser = await types[engine.name].launch({ ...launchOptions, ...prefs, channel, headless: true });
    const page = await browser.newPage();
    // Chromium's performance.now() has 5 µs steps only in a cross-origin-isolated page.
    if (engine.name === 'chromium') await isolate(page);
    await page.goto(`${baseUrl}/page?shim=none`);
    await page.waitForFunction(() => window.harnessReady === true);
    const perVariant = await page.evaluate(measure, { variants, rounds: ROUNDS, batch: BATCH, reps: REPS });
    const version = `${engine.name} ${browser.version()}`;
    await browser.close();
    const plain = perVariant[0];
    const rows = variants.map((v, i) => {
      const ratios = perVariant[i].map((us, round) => us / plain[round]);
      const us = quantile(perVariant[i], 0.5);
      return {
        ...v,
        usPerCall: us,
        ratio: quantile(ratios, 0.5),
        ratioP10: quantile(ratios, 0.1),
        ratioP90: quantile(ratios, 0.9),
        usPerListener: v.k ? (us - quantile(plain, 0.5)) / v.k : null,
        samples: perVariant[i],
      };
    });
    out.push({ engine: version, rows });
    lines.push(`### ${version}`, '');
    lines.push('| listeners per channel | µs per call | ratio to plain (p10–p90) | added µs per listener |', '|---|---|---|---|');
    for (const r of rows) {
      lines.push(
        `| ${r.name} | ${r.usPerCall.toFixed(1)} | ${r.ratio.toFixed(2)} (${r.ratioP10.toFixed(2)}–${r.ratioP90.toFixed(2)}) | ${r.usPerListener === null ? '' : r.usPerListener.toFixed(2)} |`,
      );
    }
    lines.push('');
  }
} finally {
  server.close();
}
const commit = gitDescribe();
const header = [
  `Commit ${commit}, ${stamp(startedAt)}; ${machine.cpus} × ${machine.cpu}, load average ${machine.load[0]} at start. Command: \`node bench/listeners.mjs ${process.argv.slice(2).join(' ')}\`; ${ROUNDS} rounds × the fastest of ${REPS} batches of ${BATCH} channels per variant. µs per call: median of the rounds; ratio: median of the rounds' ratios to the plain call (p10–p90); added µs per listener: (median − plain median) / K.`,
  '',
];
console.log([...header, ...lines].join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/listeners.json',
  `${JSON.stringify({ date: startedAt.toISOString(), commit, rounds: ROUNDS, batch: BATCH, machine, engines: out }, null, 2)}\n`,
);
writeFileSync('bench/results/listeners.md', `# node bench/listeners.mjs\n\n${[...header, ...lines].join('\n')}\n`);
updateDoc('listeners', [...header, ...lines]);
