#!/usr/bin/env node
// npm run bench:churn — create/close cycles, dropping each connection, with Chromium's 500-connection
// limit in the way: how many constructions fail, how long the loop takes, and what memory the
// renderer uses, natively, with the shim's core and with the shim plus its connection-limit
// recovery (which, when the constructor fails, allocates short-lived buffers to make the engine
// collect and tries again).
//
// Three loop shapes: back to back (one task), `await null` each cycle (microtasks only, still one
// task) and a task each cycle (a MessageChannel message). Each run is a fresh page of the tests'
// fixture server; the modes alternate run by run (the order rotating) to cancel machine drift.
// Memory, Chromium: the resident set (RSS) of the browser's renderer processes (the descendants
// of this script with --type=renderer, read from /proc), summed and sampled every 25 ms during the
// loop, its peak over the loop minus its value before the loop, and the largest VmHWM (the kernel's
// peak RSS of one process, which catches a spike between samples); plus the page's usedJSHeapSize
// (performance.memory), peak of the loop. (VmPeak, the virtual size, says nothing here: V8 reserves
// terabytes of address space up front.)
// Firefox has no connection limit; it is run for failures and time only.
//
// Modes are fixture-page queries, so a build with other options is one flag away:
//   --mode native=shim=none --mode core=shim=min --mode recovery=shim=min&options=recoverConnectionLimit
// (the defaults; repeat --mode to replace them). Other options: --cycles N (2000), --runs N (2 per
// mode and loop), --engine NAME (repeatable), --port N (PORT, else any free port).
// Writes bench/results/churn.{json,md} and the churn block of docs/performance.md.
//
// NUDGE=EVERY:MB (e.g. NUDGE=100:64) instead runs only the native loop with a task each cycle,
// four times, the page itself allocating MB of short-lived buffers every EVERY closes: whether
// prompting collections ahead of the limit frees Chromium's slots reliably
// (docs/connection-limit.md). It prints its results and writes nothing.
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, firefox } from '@playwright/test';
import { resolveEngines } from '../tests/engines.mjs';
import { startServer } from '../tests/server.mjs';
import { gitDescribe, machine as machineNow, median, stamp, updateDoc } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', multiple: true },
    cycles: { type: 'string', default: '2000' },
    runs: { type: 'string', default: process.env.RUNS ?? '2' },
    engine: { type: 'string', multiple: true },
    port: { type: 'string', default: process.env.PORT ?? '0' },
  },
});
const CYCLES = Number(args.cycles);
const RUNS = Number(args.runs);
const MODES = (args.mode ?? ['native=shim=none', 'core=shim=min', 'recovery=shim=min&options=recoverConnectionLimit']).map((m) => {
  const at = m.indexOf('=');
  if (at < 1) throw new Error(`--mode must be name=query, got ${m}`);
  return { name: m.slice(0, at), query: m.slice(at + 1) };
});
const LOOPS = [
  { id: 'sync', label: 'back to back' },
  { id: 'microtask', label: '`await null` each cycle' },
  { id: 'task', label: 'a task each cycle' },
];
const types = { chromium, firefox };
const wanted = args.engine && args.engine.flatMap((e) => e.split(','));

// ---- renderer memory, from /proc ----

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null; // the process ended
  }
}

/** The renderer processes among this script's descendants (the browsers it launched). */
function rendererPids() {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(entry, 'stat');
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  const found = [];
  const queue = [process.pid];
  while (queue.length) {
    const pid = queue.pop();
    for (const child of children.get(pid) ?? []) {
      queue.push(child);
      if ((readProc(child, 'cmdline') ?? '').includes('--type=renderer')) found.push(child);
    }
  }
  return found;
}

/** VmRSS and VmHWM of one process, in MB. */
function memoryOf(pid) {
  const status = readProc(pid, 'status');
  if (!status) return null;
  const kb = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm')) ?? [0, 0])[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** Samples the renderers every 25 ms until stopped; returns the peaks seen. */
function sampleRenderers() {
  let pids = rendererPids();
  const peaks = { rssSum: 0, hwm: 0 };
  const sample = () => {
    let sum = 0;
    for (const pid of pids) {
      const m = memoryOf(pid);
      if (!m) continue;
      sum += m.rss;
      peaks.hwm = Math.max(peaks.hwm, m.hwm);
    }
    peaks.rssSum = Math.max(peaks.rssSum, sum);
    return sum;
  };
  const before = sample();
  const timer = setInterval(sample, 25);
  const rescan = setInterval(() => {
    pids = rendererPids();
  }, 500);
  return {
    before,
    stop() {
      clearInterval(timer);
      clearInterval(rescan);
      sample();
      return { ...peaks, before, renderers: pids.length };
    },
  };
}

// ---- the page's loop ----

async function churn(page, loop, cycles, nudge = null) {
  return page.evaluate(
    async ({ cycles, loop, nudge }) => {
      const channel = new MessageChannel();
      const nextTask = () =>
        new Promise((resolve) => {
          channel.port1.onmessage = resolve;
          channel.port2.postMessage(0);
        });
      const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : null);
      let failures = 0;
      let firstFailure = null;
      let peak = heap();
      const start = performance.now();
      for (let i = 0; i < cycles; i++) {
        try {
          new RTCPeerConnection().close();
        } catch (error) {
          failures++;
          firstFailure ??= { cycle: i, error: `${error.name}: ${error.message}` };
        }
        if (nudge && i % nudge.every === nudge.every - 1) for (let k = 0; k < nudge.mb / 8; k++) new ArrayBuffer(8 << 20);
        if (loop === 'microtask') await null;
        else if (loop === 'task') await nextTask();
        if (i % 50 === 0 && peak !== null) peak = Math.max(peak, heap());
      }
      channel.port1.close();
      return { failures, firstFailure, ms: performance.now() - start, peakHeapMB: peak === null ? null : peak / 2 ** 20 };
    },
    { cycles, loop, nudge },
  );
}

// ---- main ----

const engines = resolveEngines().filter((e) => e.available && types[e.name] && (!wanted || wanted.includes(e.name)));
if (!engines.length) throw new Error('no browser to run: install chromium or firefox-esr (see tests/engines.mjs)');
const server = await startServer(Number(args.port));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
if (process.env.NUDGE) {
  const [every, mb] = process.env.NUDGE.split(':').map(Number);
  if (!(every > 0 && mb > 0)) throw new Error(`NUDGE must be EVERY:MB, e.g. 100:64, got ${process.env.NUDGE}`);
  const engine = resolveEngines().find((e) => e.name === 'chromium' && e.available);
  if (!engine) throw new Error('NUDGE needs Chromium (see tests/engines.mjs)');
  const browser = await chromium.launch({ ...engine.use.launchOptions, headless: true });
  try {
    for (let run = 0; run < 4; run++) {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/page?shim=none`);
      await page.waitForFunction(() => window.harnessReady === true);
      const { failures, ms } = await churn(page, 'task', CYCLES, { every, mb });
      console.log(`native, a task each cycle, ${mb} MB every ${every} closes: ${failures} of ${CYCLES} failed (${ms.toFixed(0)} ms)`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(0);
}
const startedAt = new Date();
const machine = machineNow();
const results = [];
try {
  for (const engine of engines) {
    const { launchOptions = {}, channel } = engine.use;
    const browser = await types[engine.name].launch({ ...launchOptions, channel, headless: true });
    const version = `${engine.name} ${browser.version()}`;
    const withMemory = engine.name === 'chromium';
    for (const loop of LOOPS) {
      const runs = Object.fromEntries(MODES.map((m) => [m.name, []]));
      for (let run = 0; run < RUNS; run++) {
        const order = MODES.map((_, i) => MODES[(i + run) % MODES.length]);
        for (const mode of order) {
          const page = await browser.newPage();
          await page.goto(`${baseUrl}/page?${mode.query}`);
          await page.waitForFunction(() => window.harnessReady === true);
          const sampler = withMemory ? sampleRenderers() : null;
          const result = await churn(page, loop.id, CYCLES);
          if (sampler) result.memory = sampler.stop();
          await page.close();
          runs[mode.name].push(result);
        }
      }
      const summary = Object.fromEntries(
        Object.entries(runs).map(([name, list]) => {
          const memory = list[0].memory
            ? {
                rssBeforeMB: median(list.map((r) => r.memory.before)),
                rssPeakMB: Math.max(...list.map((r) => r.memory.rssSum)),
                rssGrowthMB: Math.max(...list.map((r) => r.memory.rssSum - r.memory.before)),
                hwmMB: Math.max(...list.map((r) => r.memory.hwm)),
              }
            : null;
          return [
            name,
            {
              failures: list.map((r) => r.failures),
              ms: median(list.map((r) => r.ms)),
              peakHeapMB: list[0].peakHeapMB === null ? null : Math.max(...list.map((r) => r.peakHeapMB)),
              memory,
              firstFailure: list.find((r) => r.firstFailure)?.firstFailure ?? null,
              runs: list,
            },
          ];
        }),
      );
      results.push({ engine: version, loop: loop.label, modes: summary });
      process.stderr.write(
        `${version}, ${loop.label}: ${MODES.map((m) => `${m.name} ${summary[m.name].failures.join('/')} failed`).join(', ')}\n`,
      );
    }
    await browser.close();
  }
} finally {
  server.close();
}

const commit = gitDescribe();
const minutes = (Date.now() - startedAt) / 60000;
const fmt = (n, digits = 0) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));
const lines = [
  `Commit ${commit}, ${stamp(startedAt)}; ${machine.cpus} × ${machine.cpu}, load average ${machine.load[0]} at start; ${minutes.toFixed(1)} min. Command: \`npm run bench:churn\` (\`node bench/churn.mjs ${process.argv.slice(2).join(' ')}\`).`,
  '',
  `${CYCLES.toLocaleString('en')} create/close cycles per run (\`new RTCPeerConnection().close()\`, dropped), ${RUNS} runs per mode and loop, a fresh page each, modes alternating. Modes: ${MODES.map((m) => `${m.name} = \`/page?${m.query}\``).join(', ')}.`,
  'Failures: per run. Time: median of the runs. Renderer memory (Chromium, /proc, all renderer processes of the browser): RSS before the loop, the most it grew during the loop (sum of renderers, sampled every 25 ms), the largest VmHWM (peak RSS of one renderer process); JS heap: peak `usedJSHeapSize` in the loop. Largest of the runs.',
  '',
  '| engine | loop | mode | failures | ms | renderer RSS before MB | RSS growth MB | VmHWM MB | JS heap peak MB |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const r of results) {
  for (const mode of MODES) {
    const m = r.modes[mode.name];
    const mem = m.memory ?? {};
    lines.push(
      `| ${r.engine} | ${r.loop} | ${mode.name} | ${m.failures.join(', ')} | ${fmt(m.ms)} | ${fmt(mem.rssBeforeMB)} | ${fmt(mem.rssGrowthMB)} | ${fmt(mem.hwmMB)} | ${fmt(m.peakHeapMB, 1)} |`,
    );
  }
}
const errors = [...new Set(results.flatMap((r) => Object.values(r.modes).map((m) => m.firstFailure?.error)).filter(Boolean))];
if (errors.length) lines.push('', `Errors seen: ${errors.map((e) => `\`${e}\``).join('; ')}.`);
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/churn.json',
  `${JSON.stringify({ date: startedAt.toISOString(), commit, cycles: CYCLES, runs: RUNS, modes: MODES, machine, minutes, results }, null, 2)}\n`,
);
writeFileSync('bench/results/churn.md', `# npm run bench:churn\n\n${lines.join('\n')}\n`);
updateDoc('churn', lines);
