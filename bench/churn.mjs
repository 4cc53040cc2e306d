#!/usr/bin/env node
// npm run bench:churn — 2,000 create/close cycles, dropping each connection, native vs shimmed, in
// the same browser, fresh page per run, runs interleaved (native, shim, native, shim, …) to cancel
// machine drift. Two loops: back to back, and with a task (MessageChannel) between cycles.
// Prints constructor failures, wall time (median of the runs) and the page's peak JS heap
// (performance.memory, Chromium only), and writes bench/results/churn.{json,md}.
//
// NUDGE=EVERY:MB (e.g. NUDGE=100:64) instead runs only the native loop with a task between cycles,
// four times, the page itself allocating MB of short-lived buffers every EVERY closes: whether
// prompting collections ahead of the limit frees Chromium's slots reliably (README, limit section).
import { writeFileSync, mkdirSync } from 'node:fs';
import { chromium, firefox } from '@playwright/test';
import { resolveEngines } from '../tests/engines.mjs';
import { startServer } from '../tests/server.mjs';

const CYCLES = 2000;
const RUNS = Number(process.env.RUNS ?? 3);
const PORT = Number(process.env.PORT ?? 4175);
const types = { chromium, firefox };

async function churn(page, yieldBetween, nudge = null) {
  return page.evaluate(
    async ({ cycles, yieldBetween, nudge }) => {
      const channel = new MessageChannel();
      const nextTask = () =>
        new Promise((resolve) => {
          channel.port1.onmessage = resolve;
          channel.port2.postMessage(0);
        });
      const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : null);
      let failures = 0;
      let peak = heap();
      const start = performance.now();
      for (let i = 0; i < cycles; i++) {
        try {
          new RTCPeerConnection().close();
        } catch {
          failures++;
        }
        if (nudge && i % nudge.every === nudge.every - 1) for (let k = 0; k < nudge.mb / 8; k++) new ArrayBuffer(8 << 20);
        if (yieldBetween) await nextTask();
        if (i % 50 === 0 && peak !== null) peak = Math.max(peak, heap());
      }
      return { failures, ms: performance.now() - start, peakHeapMB: peak === null ? null : peak / 2 ** 20 };
    },
    { cycles: CYCLES, yieldBetween, nudge },
  );
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const server = await startServer(PORT);

if (process.env.NUDGE) {
  const [every, mb] = process.env.NUDGE.split(':').map(Number);
  const engine = resolveEngines().find((e) => e.name === 'chromium' && e.available);
  const browser = await chromium.launch({ ...engine.use.launchOptions, headless: true });
  for (let run = 0; run < 4; run++) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${PORT}/page?shim=none`);
    const { failures, ms } = await churn(page, true, { every, mb });
    console.log(`native, a task between cycles, ${mb} MB every ${every} closes: ${failures} of ${CYCLES} failed (${ms.toFixed(0)} ms)`);
    await page.close();
  }
  await browser.close();
  server.close();
  process.exit(0);
}
const results = [];
for (const engine of resolveEngines().filter((e) => e.available && types[e.name])) {
  const { launchOptions = {}, channel } = engine.use;
  const browser = await types[engine.name].launch({ ...launchOptions, channel, headless: true });
  for (const yieldBetween of [false, true]) {
    const runs = { none: [], iife: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const shim of ['none', 'iife']) {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${PORT}/page?shim=${shim}`);
        runs[shim].push(await churn(page, yieldBetween));
        await page.close();
      }
    }
    const row = (list) => ({
      failures: list.reduce((sum, r) => sum + r.failures, 0) / list.length,
      ms: median(list.map((r) => r.ms)),
      peakHeapMB: list[0].peakHeapMB === null ? null : Math.max(...list.map((r) => r.peakHeapMB)),
    });
    const native = row(runs.none);
    const shimmed = row(runs.iife);
    results.push({
      engine: `${engine.name} ${browser.version()}`,
      loop: yieldBetween ? 'a task between cycles' : 'back to back',
      native,
      shimmed,
      timeRatio: shimmed.ms / native.ms,
    });
  }
  await browser.close();
}
server.close();

const fmt = (n, digits = 0) => (n === null ? 'n/a' : n.toFixed(digits));
const lines = [
  `${CYCLES} create/close cycles per run, ${RUNS} interleaved runs per mode; failures are per run (mean), time the median, heap the peak.`,
  '',
  '| engine | loop | native failures | shimmed failures | native ms | shimmed ms | time ratio | native peak heap MB | shimmed peak heap MB |',
  '|---|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.engine} | ${r.loop} | ${fmt(r.native.failures)} | ${fmt(r.shimmed.failures)} | ${fmt(r.native.ms)} | ${fmt(r.shimmed.ms)} | ${fmt(r.timeRatio, 2)} | ${fmt(r.native.peakHeapMB, 1)} | ${fmt(r.shimmed.peakHeapMB, 1)} |`,
  ),
];
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/churn.json', JSON.stringify({ date: new Date().toISOString(), cycles: CYCLES, runs: RUNS, results }, null, 2));
writeFileSync('bench/results/churn.md', `# npm run bench:churn\n\n${lines.join('\n')}\n`);
