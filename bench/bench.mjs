#!/usr/bin/env node
// npm run bench — the shim's cost in time, native vs shimmed, in every available browser
// (Playwright, headless, the built dist/ files loaded as a site loads them). Two methods:
//
// Per call (construction, createDataChannel(), a readyState read) and per message (the message
// path), in ONE page per browser: an init script (bench/fixtures/natives.js) keeps the engine's own
// members that the shim replaces before the shim loads; then native and shimmed calls alternate in
// small batches over many rounds (bench/fixtures/per-call.js), so page-to-page and machine noise
// cancels. Each round gives one ratio shimmed/native; reported: the median ratio and the per-round
// spread (p10–p90, min–max). The close() breakdown uses the same page setup: connected pairs closed
// natively, through the shim, and by a timed replay of the shim's close() work, in rotation.
//
// Page pairs (negotiation, throughput, close() latency, which need connected pairs and long
// waits): the tests' fixture page (/page?shim=none natively, /page?shim=min… shimmed) with
// bench/fixtures/bench.js added; each round loads a fresh page per mode and per group, native and
// shimmed one after the other (the order alternating), and compares the round's two pages.
//
// Options: --only a,b (sections to run: per-call, messages, close-parts, pairs; default all;
// a partial run writes bench/results/bench-<sections>.* and leaves docs/performance.md alone),
// --quick (= --only per-call; writes bench/results/bench-quick.*), --rounds N (page pairs, default
// 4), --per-call-rounds N (per-call and message rows, default 40), --close-parts-rounds N (rounds of
// the close() breakdown at every channel count; default 20, 12 and 8 at 1, 100 and 1,000 channels),
// --engine chromium|firefox (repeatable; default every available one), --shim min|iife|esm
// (default min), --options a,b (the fixture page's shim options, e.g. recoverConnectionLimit),
// --port N (default PORT, else any free port). Prints one table per browser; a full run writes
// bench/results/bench.{json,md} and the results block of docs/performance.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, firefox } from '@playwright/test';
import { resolveEngines } from '../tests/engines.mjs';
import { startServer } from '../tests/server.mjs';
import { gitDescribe, machine as machineNow, median, quantile, stamp, updateDoc, isolate } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: process.env.ROUNDS ?? '4' },
    'per-call-rounds': { type: 'string', default: '40' },
    'close-parts-rounds': { type: 'string' },
    engine: { type: 'string', multiple: true },
    shim: { type: 'string', default: 'min' },
    options: { type: 'string', default: '' },
    port: { type: 'string', default: process.env.PORT ?? '0' },
  },
});
const SECTIONS = ['per-call', 'messages', 'close-parts', 'pairs'];
if (args.quick && args.only) throw new Error('--quick is --only per-call: give one of them');
const only = args.quick ? ['per-call'] : args.only ? args.only.split(',') : SECTIONS;
for (const name of only) if (!SECTIONS.includes(name)) throw new Error(`--only takes ${SECTIONS.join(', ')}, got ${name}`);
const runs = (section) => only.includes(section);
const PARTIAL = SECTIONS.some((section) => !runs(section));
const ROUNDS = Number(args.rounds);
const PER_CALL_ROUNDS = Number(args['per-call-rounds']);
const CLOSE_PARTS_CHANNELS = [1, 100, 1000];
/** Rounds of the close() breakdown per channel count (a round: three pairs made and closed). */
const CLOSE_PARTS_ROUNDS = Object.fromEntries(
  CLOSE_PARTS_CHANNELS.map((n, i) => [n, args['close-parts-rounds'] ? Number(args['close-parts-rounds']) : [20, 12, 8][i]]),
);
for (const [name, n] of [
  ['--rounds', ROUNDS],
  ['--per-call-rounds', PER_CALL_ROUNDS],
  ['--close-parts-rounds', CLOSE_PARTS_ROUNDS[1]],
]) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}`);
}
if (!['min', 'iife', 'esm'].includes(args.shim)) throw new Error(`--shim must be min, iife or esm, got ${args.shim}`);
if (!/^[a-zA-Z,]*$/.test(args.options)) throw new Error(`--options must be comma-separated option names, got ${args.options}`);
const SHIM_QUERY = `shim=${args.shim}${args.options ? `&options=${args.options}` : ''}`;
const types = { chromium, firefox };
const wanted = args.engine && args.engine.flatMap((e) => e.split(','));
for (const name of wanted ?? []) if (!types[name]) throw new Error(`--engine must be chromium or firefox, got ${name}`);

const COUNT_TIMERS = fileURLToPath(new URL('fixtures/count-timers.js', import.meta.url));
const NATIVES = fileURLToPath(new URL('fixtures/natives.js', import.meta.url));
const ENGINE_CLOSE = fileURLToPath(new URL('fixtures/engine-close.js', import.meta.url));
const PROFILE = 'safari-before-304859';
const CHANNELS = [1, 10, 100, 1000];
/** close() measurements per page for each channel count (the median of them is the page's value). */
const CLOSE_REPS = { 1: 3, 10: 3, 100: 2, 1000: 1 };
const SETTINGS = {
  negotiation: { reps: 4 },
  throughput: { totalMiB: 8, messageKiB: 64, highKiB: 1024, reps: 2 },
};

/**
 * The per-call benchmarks: batch size (calls per batch; reads for readyState, far cheaper), batches
 * per mode in a round (the round keeps each mode's fastest; short batches, so that on a busy
 * machine some of them run unpreempted), and the goal of issue #13 on the median ratio.
 */
const PER_CALL = [
  { id: 'construct', label: '`new RTCPeerConnection()`', unit: 'µs', size: 10, reps: 3, goal: 1.15 },
  { id: 'createChannel', label: '`pc.createDataChannel()`', unit: 'µs', size: 40, reps: 5, goal: 1.3 },
  // Measured even where the shim leaves the engine's getter alone (it pins 'closed' on closed
  // channels only, src/lib/pin.ts): the ratio then shows that a read on the shim's channel costs
  // what it costs natively.
  { id: 'readyState', label: '`dc.readyState` read', unit: 'ns', size: 10000, reps: 7, goal: 1.2, measuredUnreplaced: true },
];
const PER_CALL_WARMUP = 2;
/** A benchmark's rounds: its own number, if it has one, at most --per-call-rounds. */
const roundsOf = (bench) => Math.min(bench.rounds ?? Infinity, PER_CALL_ROUNDS);

/**
 * The message path (issue #23), measured like the per-call rows in the same kind of page. Every
 * channel has the page's `onmessage`. Synthetic: `new MessageEvent('message')` dispatched at a
 * channel made by the shim and at one made with the engine's own createDataChannel(); the floors
 * compare two native channels, with and without empty capturing listeners added at creation (what
 * any design that listens on the channel pays at least), the goal of issue #23 beside them. Real:
 * `size` messages sent in a burst between the two connections of a pair made through the shim and
 * of one made natively, timed end to end, or handled after queuing up on a busy page
 * (bench/fixtures/per-call.js realMessages()). The real rows make two pairs a round, hence fewer rounds.
 */
const synthetic = { unit: 'µs', size: 2000, reps: 5 };
const real = { unit: 'µs', size: 1000, reps: 3, rounds: 20 };
const MESSAGES = [
  {
    id: 'message',
    label: 'synthetic `message`: channel made by the shim vs by the engine',
    ...synthetic,
    goal: { chromium: 1.3, firefox: 1.25 },
  },
  { id: 'messageFloor', label: 'floor: native channel + 1 empty capturing `message` listener vs none', ...synthetic },
  { id: 'messageFloorAllTypes', label: 'floor: native channel + 1 empty capturing listener per event type (6) vs none', ...synthetic },
  { id: 'messageStateRead', label: 'native channel + 1 capturing `message` listener reading `pc.signalingState` vs none', ...synthetic },
  { id: 'receive32', label: '32 B messages, end to end: shimmed pair vs native pair', ...real },
  { id: 'receive1024', label: '1 KiB messages, end to end: shimmed pair vs native pair', ...real, size: 500 },
  { id: 'held32', label: '32 B messages queued on a busy page: shimmed pair vs native pair', ...real },
  { id: 'held1024', label: '1 KiB messages queued on a busy page: shimmed pair vs native pair', ...real },
];

/**
 * The pieces of the close() breakdown (bench/fixtures/bench.js replayClose()), in the shim's order:
 * read before the engine's close(), then pinned after it. The replay's own engine close() is left
 * out of the table: the engine's close() inside the shim's is measured directly.
 */
const CLOSE_PARTS = [
  { id: 'lists', label: '`getTransceivers()`, `getSenders()`, `getReceivers()`' },
  { id: 'channelReads', label: "channels: each one's `readyState` (which are open)" },
  { id: 'task', label: 'the task: one `MessagePort` `postMessage()`' },
  { id: 'transportReads', label: "`sctp`, each transceiver's sender and receiver `transport`, `iceGatheringState`" },
  { id: 'rtpReads', label: "each transceiver's `mid`, `sender`, `receiver`, each receiver's `track`" },
  { id: 'descriptionReads', label: 'the six description getters' },
  { id: 'channelPins', label: "pins: each channel's `readyState`" },
  { id: 'records', label: "the shim's records: one `WeakMap` set per channel, a `WeakMap` set, the channel set cleared" },
  { id: 'transportPins', label: "pins: `iceGatheringState`, each transport's `state` (SCTP → DTLS → ICE)" },
  { id: 'rtpPins', label: "pins: each sender's `track`, transceiver's `mid`, receiver track's `readyState`" },
  { id: 'descriptionPins', label: 'pins: the six descriptions' },
];

/**
 * The groups of benchmarks, each run in a fresh page per mode and round. `run(page)` returns
 * { metricId: number | null } (null: no event came) and, optionally, `details` kept in the JSON.
 */
const groups = [
  {
    name: 'negotiate',
    async run(page) {
      const { ms } = await page.evaluate((arg) => window.bench.negotiation(arg), SETTINGS.negotiation);
      return { negotiate: median(ms) };
    },
  },
  {
    name: 'throughput',
    async run(page) {
      const { mbps } = await page.evaluate((arg) => window.bench.throughput(arg), SETTINGS.throughput);
      return { throughput: median(mbps) };
    },
  },
  {
    name: 'close',
    async run(page) {
      const metrics = {};
      const details = {};
      for (const channels of CHANNELS) {
        const reps = [];
        for (let i = 0; i < CLOSE_REPS[channels]; i++) {
          reps.push(await page.evaluate((arg) => window.bench.closeConnection(arg), { channels, waitMs: 3000 }));
        }
        metrics[`closeCall${channels}`] = median(reps.map((r) => r.callMs));
        metrics[`closeLast${channels}`] = reps.some((r) => r.lastEventMs === null) ? null : median(reps.map((r) => r.lastEventMs));
        details[channels] = reps;
      }
      return { ...metrics, details };
    },
  },
  {
    // Native only: where a task queued at close() lands among the engine's own close events,
    // queued just before the engine's close() or right after it (where the shim queues its task).
    name: 'order',
    modes: ['none'],
    async run(page) {
      const details = {};
      for (const when of ['before', 'after']) {
        details[when] = [await page.evaluate((arg) => window.bench.taskOrder(arg), { channels: 1000, when })];
      }
      return { details };
    },
  },
  {
    name: 'profile',
    query: `&profile=${PROFILE}`,
    async run(page) {
      const metrics = {};
      const details = {};
      for (const channels of [1, 1000]) {
        const r = await page.evaluate((arg) => window.bench.closeConnection(arg), { channels, waitMs: channels === 1 ? 300 : 1000 });
        metrics[`profileLast${channels}`] = r.lastEventMs;
        details[channels] = [r];
      }
      return { ...metrics, details };
    },
  },
];

/**
 * The rows of the tables: metric id, label, unit, direction (a throughput is "higher is better":
 * its ratio is native/shimmed, so that every ratio reads as shimmed time over native time), and
 * the goal on the ratio, if the issue sets one.
 */
const rows = [
  { id: 'negotiate', label: 'negotiate (offer → channel open both sides)', unit: 'ms', goal: 1.05 },
  { id: 'throughput', label: '64 KiB messages, loopback throughput', unit: 'MB/s', higherIsBetter: true, goal: 1.02 },
  ...CHANNELS.map((n) => ({
    id: `closeCall${n}`,
    label: `\`close()\` call, ${n.toLocaleString('en')} channel${n > 1 ? 's' : ''}`,
    unit: 'ms',
  })),
  ...CHANNELS.map((n) => ({
    id: `closeLast${n}`,
    label: `\`close()\` → last \`close\` event, ${n.toLocaleString('en')} channel${n > 1 ? 's' : ''}`,
    unit: 'ms',
    latencyGoal: n === 1 || n === 1000,
  })),
  ...[1, 1000].map((n) => ({
    id: `profileLast${n}`,
    label: `engine fires none (${PROFILE} profile): \`close()\` → last \`close\`, ${n.toLocaleString('en')} channel${n > 1 ? 's' : ''}`,
    unit: 'ms',
  })),
];

function summarize(samples) {
  const values = samples.filter((v) => v !== null);
  if (!values.length) return { samples, median: null, min: null, max: null };
  return { samples, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * For a goal "ratio ≤ goal": "met" when the ratio of the medians and every round's ratio meet it;
 * "met on the medians (noisy)" when the medians do but some round does not; "not shown (within
 * noise)" when the medians miss it but some round meets it; "not met" when every round misses it.
 */
function verdict(ratio, roundRatios, goal) {
  if (ratio === null) return 'n/a';
  const finite = roundRatios.filter((r) => r !== null);
  const rounds = finite.filter((r) => r <= goal).length;
  if (ratio <= goal) return rounds === finite.length ? 'met' : 'met on the medians (noisy)';
  return rounds === 0 ? 'not met' : 'not shown (within noise)';
}

/**
 * The page of the one-page benchmarks: the shimmed fixture page, the engine's own members kept by
 * an init script before the shim loads, with bench/fixtures/bench.js.
 */
async function onePage(browser, baseUrl, version, pageErrors, what, initScripts = []) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${what}: ${error.message}`));
  // Chromium's performance.now() has 5 µs steps only in a cross-origin-isolated page.
  if (version.startsWith('chromium')) await isolate(page);
  await page.addInitScript({ path: NATIVES });
  for (const path of initScripts) await page.addInitScript({ path });
  await page.goto(`${baseUrl}/page?${SHIM_QUERY}`);
  await page.waitForFunction(() => window.harnessReady === true);
  await page.addScriptTag({ url: '/bench/fixtures/bench.js' });
  return page;
}

/**
 * The per-call and message benchmarks of `list` in one page. Returns, per benchmark, each round's
 * native and shimmed time per call and their ratio.
 */
async function runPerCall(browser, baseUrl, version, pageErrors, list) {
  const page = await onePage(browser, baseUrl, version, pageErrors, 'per-call');
  await page.addScriptTag({ url: '/bench/fixtures/per-call.js' });
  const replaced = await page.evaluate(() => window.benchPerCall.replaced());
  const collects = await page.evaluate(() => window.benchPerCall.collects);
  const isolated = await page.evaluate(() => window.crossOriginIsolated);
  const results = [];
  for (const bench of list) {
    const started = Date.now();
    const { native, shimmed } = await page.evaluate((arg) => window.benchPerCall.perCall(arg), {
      name: bench.id,
      rounds: roundsOf(bench),
      warmup: PER_CALL_WARMUP,
      reps: bench.reps,
      size: bench.size,
    });
    const ratios = native.map((n, i) => shimmed[i] / n).filter(Number.isFinite);
    const ratio = median(ratios);
    const spread = { p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9), min: Math.min(...ratios), max: Math.max(...ratios) };
    // Per engine where the issue sets one goal per engine.
    const goal = typeof bench.goal === 'object' ? bench.goal[version.split(' ')[0]] : bench.goal;
    const measured = replaced[bench.id] !== false || bench.measuredUnreplaced;
    results.push({
      ...bench,
      goal,
      replaced: replaced[bench.id],
      native: { median: median(native), samples: native },
      shimmed: { median: median(shimmed), samples: shimmed },
      ratio,
      spread,
      ratios,
      added: median(native.map((n, i) => shimmed[i] - n)),
      verdict: goal === undefined ? '' : perCallVerdict(ratio, spread, goal, measured),
    });
    process.stderr.write(`${version}: one page, ${bench.id} done (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  await page.close();
  return { collects, isolated, results };
}

/**
 * The close() breakdown in one page: per channel count, rounds of three connected pairs (an audio
 * transceiver each) closed natively, through the shim, and by the timed replay of the shim's
 * close() work, in an order rotated every round, after one untimed round.
 */
async function runCloseParts(browser, baseUrl, version, pageErrors) {
  const page = await onePage(browser, baseUrl, version, pageErrors, 'close-parts', [ENGINE_CLOSE]);
  const modes = ['native', 'shimmed', 'parts'];
  const out = {};
  const started = Date.now();
  for (const mode of modes) await page.evaluate((arg) => window.bench.closeParts(arg), { channels: 1, mode });
  for (const channels of CLOSE_PARTS_CHANNELS) {
    const rounds = { native: [], shimmed: [], parts: [] };
    for (let round = 0; round < CLOSE_PARTS_ROUNDS[channels]; round++) {
      for (let i = 0; i < modes.length; i++) {
        const mode = modes[(i + round) % modes.length];
        rounds[mode].push(await page.evaluate((arg) => window.bench.closeParts(arg), { channels, mode }));
      }
    }
    out[channels] = summarizeParts(rounds);
    process.stderr.write(`${version}: close() breakdown, ${channels} channels done (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  await page.close();
  return out;
}

const spreadOf = (values) => ({ median: median(values), p10: quantile(values, 0.1), p90: quantile(values, 0.9), samples: values });

/**
 * Per channel count: the native and shimmed close() calls, their per-round ratio and difference
 * (two pairs apart), how much of the difference is the engine's close() called by the shim and how
 * much the shim's own work around it (one call: the steadier measure of the shim's cost), and each
 * replayed piece with its share of that own work.
 */
function summarizeParts(rounds) {
  const nativeMs = rounds.native.map((r) => r.callMs);
  const shimmedMs = rounds.shimmed.map((r) => r.callMs);
  const ownWork = rounds.shimmed.map((r) => r.callMs - r.engineMs);
  const ownMedian = median(ownWork);
  const withShare = (values) => {
    const part = spreadOf(values);
    return { ...part, share: part.median / ownMedian };
  };
  const replayed = rounds.parts.map((r) => r.callMs - r.parts.engineClose);
  return {
    native: spreadOf(nativeMs),
    shimmed: spreadOf(shimmedMs),
    ratio: spreadOf(shimmedMs.map((ms, i) => ms / nativeMs[i])),
    added: spreadOf(shimmedMs.map((ms, i) => ms - nativeMs[i])),
    engineInside: spreadOf(rounds.shimmed.map((r, i) => r.engineMs - nativeMs[i])),
    ownWork: withShare(ownWork),
    parts: CLOSE_PARTS.map(({ id }) => ({ id, ...withShare(rounds.parts.map((r) => r.parts[id])) })),
    replayed: withShare(replayed),
    rest: withShare(ownWork.map((ms, i) => ms - replayed[i])),
    eventsMissing: Object.values(rounds)
      .flat()
      .reduce((sum, r) => sum + r.eventsMissing, 0),
  };
}

/** "met" when the median ratio and its p90 meet the goal, "met on the median" when only the median does. */
function perCallVerdict(ratio, spread, goal, measured) {
  if (!measured) return 'not replaced by this build (nothing measured)';
  if (ratio > goal) return spread.p10 > goal ? 'not met' : 'not met (within noise)';
  return spread.p90 <= goal ? 'met' : 'met on the median';
}

async function runEngine(engine, baseUrl) {
  const { launchOptions = {}, channel } = engine.use;
  // Firefox rounds performance.now() to 1 ms in a page that is not cross-origin isolated, too coarse
  // for close() (under a millisecond there); with this pref off its steps are 20 µs (measured: not
  // finer, even cross-origin isolated), so batches are timed whole. Chromium's 100 µs will do.
  const prefs = engine.name === 'firefox' ? { firefoxUserPrefs: { 'privacy.reduceTimerPrecision': false } } : {};
  const browser = await types[engine.name].launch({ ...launchOptions, ...prefs, channel, headless: true });
  const version = `${engine.name} ${browser.version()}`;
  const pageErrors = [];
  const result = { engine: version, executablePath: engine.executablePath, pageErrors };
  const list = [...(runs('per-call') ? PER_CALL : []), ...(runs('messages') ? MESSAGES : [])];
  if (list.length) {
    const { results, ...page } = await runPerCall(browser, baseUrl, version, pageErrors, list);
    const of = (benchmarks) => results.filter((r) => benchmarks.some((b) => b.id === r.id));
    if (runs('per-call')) result.perCall = { ...page, results: of(PER_CALL) };
    if (runs('messages')) result.messages = { ...page, results: of(MESSAGES) };
  }
  if (runs('close-parts')) result.closeParts = await runCloseParts(browser, baseUrl, version, pageErrors);
  if (!runs('pairs')) {
    await browser.close();
    return result;
  }
  const samples = { none: {}, shimmed: {} };
  const details = { none: {}, shimmed: {} };
  const started = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const group of groups) {
      const modes = (round % 2 ? ['shimmed', 'none'] : ['none', 'shimmed']).filter((m) => !group.modes || group.modes.includes(m));
      for (const mode of modes) {
        const page = await browser.newPage();
        page.on('pageerror', (error) => pageErrors.push(`${mode} ${group.name}: ${error.message}`));
        await page.addInitScript({ path: COUNT_TIMERS });
        await page.goto(`${baseUrl}/page?${mode === 'none' ? 'shim=none' : SHIM_QUERY}${group.query ?? ''}`);
        await page.waitForFunction(() => window.harnessReady === true);
        await page.addScriptTag({ url: '/bench/fixtures/bench.js' });
        const result = await group.run(page);
        await page.close();
        for (const [id, value] of Object.entries(result)) {
          if (id === 'details') {
            for (const [key, list] of Object.entries(value)) (details[mode][`${group.name}${key}`] ??= []).push(...list);
            continue;
          }
          (samples[mode][id] ??= []).push(value);
        }
      }
    }
    process.stderr.write(`${version}: page pairs, round ${round + 1}/${ROUNDS} done (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  await browser.close();

  const results = rows.map((row) => {
    const native = summarize(samples.none[row.id] ?? []);
    const shimmed = summarize(samples.shimmed[row.id] ?? []);
    const asTime = (n, s) => {
      if (n === null || s === null) return null;
      const r = row.higherIsBetter ? n / s : s / n;
      return Number.isFinite(r) ? r : null;
    };
    const ratio = asTime(native.median, shimmed.median);
    const roundRatios = native.samples.map((n, i) => asTime(n, shimmed.samples[i] ?? null));
    const out = { id: row.id, label: row.label, unit: row.unit, native, shimmed, ratio, roundRatios };
    if (row.goal) Object.assign(out, { goal: `ratio ≤ ${row.goal}`, verdict: verdict(ratio, roundRatios, row.goal) });
    if (row.latencyGoal) {
      // "The shim never makes it later than the engine's native event": shimmed median ≤ native median.
      Object.assign(out, { goal: 'shimmed ≤ native', verdict: verdict(ratio, roundRatios, 1) });
    }
    return out;
  });
  return { ...result, results, checks: checks(details), details };
}

/** What the per-close details show: tasks and timers queued, events fired, linearity, the profile's latency in tasks. */
function checks(details) {
  const out = {};
  const queuedBy = (mode, key) => (details[mode][key] ?? []).map((r) => r.queued ?? {});
  // Timers and tasks queued from close() until the last close event, per channel count.
  out.queuedPerClose = {};
  for (const n of CHANNELS) {
    const merge = (list) => {
      const all = {};
      for (const q of list) for (const [k, v] of Object.entries(q)) all[k] = Math.max(all[k] ?? 0, v);
      return all;
    };
    out.queuedPerClose[n] = { native: merge(queuedBy('none', `close${n}`)), shimmed: merge(queuedBy('shimmed', `close${n}`)) };
  }
  const shimQueued = CHANNELS.map((n) => out.queuedPerClose[n].shimmed);
  const same = shimQueued.every((q) => JSON.stringify(q) === JSON.stringify(shimQueued[0]));
  const timers = shimQueued.some((q) => q.setTimeout || q.setInterval || q.requestAnimationFrame || q.requestIdleCallback);
  out.noPerChannelTimer = { met: same && !timers, shimmed: shimQueued[0] };
  // Events: the shim's contract, seen in every close measured.
  out.events = {};
  for (const mode of ['none', 'shimmed']) {
    out.events[mode] = CHANNELS.map((n) => {
      const list = details[mode][`close${n}`] ?? [];
      return {
        channels: n,
        allFired: list.every((r) => r.eventsFired === n),
        closingEvents: Math.max(0, ...list.map((r) => r.closingEvents)),
        syncEvents: Math.max(0, ...list.map((r) => r.syncEvents)),
        tasksBeforeLastEvent: list.map((r) => r.tasksBeforeLastEvent),
      };
    });
  }
  // Linear: shimmed time from close() to the last event, per channel, at 1,000 vs 100 channels.
  const per = (n) => median((details.shimmed[`close${n}`] ?? []).map((r) => r.lastEventMs)) / n;
  out.linear = { usPerChannel100: per(100) * 1000, usPerChannel1000: per(1000) * 1000 };
  out.linear.met = out.linear.usPerChannel1000 <= 2 * out.linear.usPerChannel100;
  // Engine that fires none: every shimmed close delivered all events before a task queued right after close().
  out.profile = {};
  for (const n of [1, 1000]) {
    const list = (mode) => details[mode][`profile${n}`] ?? [];
    out.profile[n] = {
      nativeEvents: list('none').map((r) => r.eventsFired),
      shimmedTasksBeforeLastEvent: list('shimmed').map((r) => r.tasksBeforeLastEvent),
      shimmedLastEventMs: list('shimmed').map((r) => r.lastEventMs),
    };
    out.profile[n].met = list('shimmed').length > 0 && list('shimmed').every((r) => r.eventsFired === n && r.tasksBeforeLastEvent === 0);
  }
  // A task queued at close(), natively: before or after the engine's close() call.
  out.taskOrder = {};
  for (const when of ['before', 'after']) {
    const list = details.none[`order${when}`] ?? [];
    const med = (key) => (list.length && list.every((r) => r[key] !== null) ? median(list.map((r) => r[key])) : null);
    out.taskOrder[when] = {
      messageMs: med('messageMs'),
      firstEventMs: med('firstEventMs'),
      lastEventMs: med('lastEventMs'),
      eventsBefore: list.map((r) => r.eventsBefore),
    };
  }
  return out;
}

// ---- output ----

const fmt = (v, unit) => {
  if (v === null || v === undefined) return 'none';
  const digits =
    unit === 'ms' ? (v < 10 ? 1 : 0) : unit === 'MB/s' ? 1 : unit === 'µs' || unit === 'ns' ? (Math.abs(v) < 10 ? 2 : v < 100 ? 1 : 0) : 0;
  return v.toFixed(digits);
};
const ratioText = (r) => (r === null ? '—' : r.toFixed(2));
const spread = (s, unit) => (s.median === null ? '' : ` (${fmt(s.min, unit)}–${fmt(s.max, unit)})`);

/** The rows of one page's interleaved benchmarks; a floor row's "native" is the plain channel and its "shimmed" the one with listeners. */
function perCallTable(section, title, perUnit) {
  const lines = [
    `| ${title} | unit | native median | shimmed median | ratio | p10–p90 | min–max | added per ${perUnit} | goal | verdict |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of section.results) {
    const x = (v) => v.toFixed(2);
    lines.push(
      `| ${r.label}${r.replaced === false ? ", the engine's own getter" : ''} | ${r.unit} | ${fmt(r.native.median, r.unit)} | ${fmt(r.shimmed.median, r.unit)} | ${x(r.ratio)} | ${x(r.spread.p10)}–${x(r.spread.p90)} | ${x(r.spread.min)}–${x(r.spread.max)} | ${fmt(r.added, r.unit)} ${r.unit} | ${r.goal ? `ratio ≤ ${r.goal}` : ''} | ${r.verdict} |`,
    );
  }
  lines.push('', `Page cross-origin isolated (finer \`performance.now()\`): ${section.isolated ? 'yes' : 'no'}.`);
  if (section.collects !== undefined && section.results.some((r) => r.id === 'construct')) {
    lines[lines.length - 1] += ` \`gc()\` between construction batches: ${section.collects ? 'yes' : 'no (none exposed)'}.`;
  }
  return lines;
}

/** The close() breakdown: one column per channel count. */
function closePartsTable(closeParts) {
  const counts = Object.keys(closeParts).map(Number);
  const ms = (v) => (Math.abs(v) < 1 ? v.toFixed(3) : Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1));
  const cell = (s) => `${ms(s.median)} (${ms(s.p10)}–${ms(s.p90)})${s.share === undefined ? '' : `, ${Math.round(s.share * 100)} %`}`;
  const row = (label, cells) => `| ${label} | ${cells.join(' | ')} |`;
  const of = (key) => counts.map((n) => cell(closeParts[n][key]));
  const lines = [
    row(
      "`close()` call, one page: ms median (p10–p90), share of the shim's own work",
      counts.map((n) => `${n.toLocaleString('en')} channel${n > 1 ? 's' : ''}`),
    ),
    `|---|${counts.map(() => '---|').join('')}`,
    row("the engine's `close()`, native pair", of('native')),
    row('`close()` through the shim', of('shimmed')),
    row(
      'ratio shimmed/native (per round)',
      counts.map((n) => closeParts[n].ratio).map((r) => `${r.median.toFixed(2)} (${r.p10.toFixed(2)}–${r.p90.toFixed(2)})`),
    ),
    row('**added by the shim** (per round: shimmed − native)', of('added')),
    row("the engine's `close()` inside the shim's, minus the native pair's", of('engineInside')),
    row("the shim's own work: its `close()` minus the engine's inside it (same call)", of('ownWork')),
    ...CLOSE_PARTS.map((part, i) =>
      row(
        `replay: ${part.label}`,
        counts.map((n) => cell(closeParts[n].parts[i])),
      ),
    ),
    row("replay: the pieces together (the engine's `close()` left out)", of('replayed')),
    row("the rest: the shim's own work − the pieces together", of('rest')),
  ];
  const missing = counts.filter((n) => closeParts[n].eventsMissing);
  if (missing.length)
    lines.push(
      '',
      `- Channels whose \`close\` event never came: ${missing.map((n) => `${closeParts[n].eventsMissing} at ${n}`).join(', ')}.`,
    );
  return lines;
}

function table(engineResult) {
  const lines = [
    '| page pairs | unit | native median (min–max) | shimmed median (min–max) | ratio | per-round ratios | goal | verdict |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of engineResult.results) {
    const finite = r.roundRatios.filter((x) => x !== null);
    const rounds = finite.length ? `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}` : '—';
    lines.push(
      `| ${r.label} | ${r.unit} | ${fmt(r.native.median, r.unit)}${spread(r.native, r.unit)} | ${fmt(r.shimmed.median, r.unit)}${spread(r.shimmed, r.unit)} | ${ratioText(r.ratio)} | ${rounds} | ${r.goal ?? ''} | ${r.verdict ?? ''} |`,
    );
  }
  return lines;
}

function checkLines(engineResult) {
  const c = engineResult.checks;
  const q = (obj) =>
    Object.entries(obj)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ') || 'nothing';
  const lines = [];
  lines.push(
    `- Tasks and timers queued from \`close()\` to the last event (most seen in one close): ${CHANNELS.map((n) => `${n.toLocaleString('en')} ch.: native ${q(c.queuedPerClose[n].native)}, shimmed ${q(c.queuedPerClose[n].shimmed)}`).join('; ')}. No per-channel timer: **${c.noPerChannelTimer.met ? 'met' : 'NOT met'}**.`,
  );
  lines.push(
    `- Close cost linear in channels (shimmed, \`close()\` → last event): ${c.linear.usPerChannel100.toFixed(0)} µs per channel at 100, ${c.linear.usPerChannel1000.toFixed(0)} µs at 1,000 (linear if the second is at most twice the first): **${c.linear.met ? 'met' : 'NOT met'}**.`,
  );
  const ev = (mode) =>
    c.events[mode]
      .map(
        (e) =>
          `${e.channels.toLocaleString('en')}: ${e.allFired ? 'all' : 'NOT all'} fired, ${e.closingEvents} \`closing\`, tasks before last ${JSON.stringify(e.tasksBeforeLastEvent)}`,
      )
      .join('; ');
  lines.push(`- Events per close (native) ${ev('none')}.`);
  lines.push(`- Events per close (shimmed) ${ev('shimmed')}.`);
  for (const n of [1, 1000]) {
    const p = c.profile[n];
    lines.push(
      `- Engine that fires none (${PROFILE}), ${n.toLocaleString('en')} channel${n > 1 ? 's' : ''}: native events ${JSON.stringify(p.nativeEvents)}; shimmed, message tasks run before the last event ${JSON.stringify(p.shimmedTasksBeforeLastEvent)} (0 = delivered in the first task after \`close()\`): **${p.met ? 'met' : 'NOT met'}**.`,
    );
  }
  const o = c.taskOrder;
  const ms = (v) => (v === null ? 'never' : `${v.toFixed(1)} ms`);
  lines.push(
    `- Where a task queued at \`close()\` runs, natively, 1,000 channels (medians): queued just before the engine's \`close()\`, at ${ms(o.before.messageMs)}, after ${JSON.stringify(o.before.eventsBefore)} native \`closing\`/\`close\` events (first native \`close\` at ${ms(o.before.firstEventMs)}, last at ${ms(o.before.lastEventMs)}); queued right after it returns (where the shim queues its task), at ${ms(o.after.messageMs)}, after ${JSON.stringify(o.after.eventsBefore)} native events (first at ${ms(o.after.firstEventMs)}, last at ${ms(o.after.lastEventMs)}).`,
  );
  if (engineResult.pageErrors.length) lines.push(`- Page errors: ${engineResult.pageErrors.join('; ')}`);
  return lines;
}

// ---- main ----

const engines = resolveEngines().filter((e) => e.available && types[e.name] && (!wanted || wanted.includes(e.name)));
if (!engines.length) throw new Error('no browser to run: install chromium or firefox-esr (see tests/engines.mjs)');
const server = await startServer(Number(args.port));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const startedAt = new Date();
const machine = machineNow();
machine.loadAtStart = machine.load;
const all = [];
try {
  for (const engine of engines) all.push(await runEngine(engine, baseUrl));
} finally {
  server.close();
}
machine.loadAtEnd = machineNow().load;
delete machine.load;
const minutes = (Date.now() - startedAt) / 60000;
const commit = gitDescribe();
const build = `shim build \`${args.shim}\`${args.options ? ` with options \`${args.options}\`` : ''}`;

const batches = (list, what) => list.map((b) => `${b.id}: ${b.reps} × ${b.size.toLocaleString('en')} ${what}`).join(', ');
const header = [
  `Commit ${commit}, ${stamp(startedAt)}; ${build}; ${machine.cpus} × ${machine.cpu}, load average ${machine.loadAtStart[0]} at start, ${machine.loadAtEnd[0]} at end; ${minutes.toFixed(1)} min. Command: \`node bench/bench.mjs ${process.argv.slice(2).join(' ')}\` (\`npm run bench\` builds dist/ first).`,
];
if (runs('per-call')) {
  header.push(
    `**Per call**, one page per browser: ${PER_CALL_ROUNDS} rounds (after ${PER_CALL_WARMUP} untimed) per benchmark, each timing a few native and shimmed batches interleaved (${batches(PER_CALL, 'calls')}) and keeping each mode's fastest batch. Ratio: the median of the rounds' shimmed/native ratios, above 1 meaning the shim is slower; p10–p90 and min–max: their spread; added: the median of the rounds' differences. Verdict: "met" when the median and the p90 meet the goal, "met on the median" when only the median does; "not met (within noise)" when the median misses it but the p10 meets it.`,
  );
}
if (runs('messages')) {
  header.push(
    `**Message path**, measured the same way in one page per browser (${MESSAGES.map((b) => `${b.id}: ${roundsOf(b)} rounds of ${b.reps} × ${b.size.toLocaleString('en')} messages`).join(', ')}; ${PER_CALL_WARMUP} untimed rounds first); every channel has the page's \`onmessage\`. Synthetic: \`new MessageEvent('message')\` dispatched at a channel made by the shim (which listens on it from its creation) and at one made with the engine's own \`createDataChannel()\` kept before the shim loaded (no listener of the shim's), each on an unnegotiated connection made for the round: the shim's own cost per message, without the network. Floor rows: two native channels, one with empty capturing listeners added at its creation (as the shim adds its own), the other without: what any design that keeps a listener on the channel pays at least; their "native" column is the plain channel, their "shimmed" column the one with the listeners; the \`signalingState\` row's listener reads the connection's state, what asking the engine on every message would add. Real: messages sent in a burst from one connection of the page to the other over a reliable ordered channel, on a pair made through the shim and a pair made with the engine's own constructor (both made for the round, two untimed bursts each). End to end: from the first \`send()\` until the receiver's \`onmessage\` has counted the last (the engine's SCTP and threads included). Queued on a busy page: the page holds its main thread after the burst (twice the pair's untimed burst) so that the messages queue up as tasks, then handles them; a batch's value is the median over groups of 200 messages (a collection, a preemption or a late message stays out of it): what the page spends per real message. The p10–p90 of the per-round ratios is the spread to set against the effect.`,
  );
}
if (runs('close-parts')) {
  header.push(
    `**\`close()\` breakdown**, one page per browser: connected pairs with ${CLOSE_PARTS_CHANNELS.map((n) => n.toLocaleString('en')).join(', ')} open channels and an audio transceiver (${CLOSE_PARTS_CHANNELS.map((n) => `${CLOSE_PARTS_ROUNDS[n]} rounds at ${n.toLocaleString('en')}`).join(', ')}, after one untimed round at 1); each round makes and closes three pairs, in an order rotated every round: a pair made with the engine's own members closed with the engine's \`close()\`, a pair made through the shim closed with \`pc.close()\`, and a native pair closed by a replay of what the shim's \`close()\` does (\`replayClose()\` in bench/fixtures/bench.js: the reads before the engine's \`close()\`, the engine's \`close()\`, the pins after it), each piece timed with \`performance.now()\`. Added: per round, shimmed − native (two pairs apart, so with their noise); an init script (bench/fixtures/engine-close.js) times the engine's \`close()\` inside the shim's, which splits the shimmed call into the engine's part and the shim's own work around it (one call, the steadier measure); share: a piece's median over the own work's median. The rest: the shim's own work beyond the replayed pieces (its registry lookups, hook calls and closures), with the noise of two different pairs. Firefox's clock has 20 µs steps, Chromium's 5 µs: a piece under that reads as 0 or one step.`,
  );
}
if (runs('pairs')) {
  header.push(
    `**Page pairs**: ${ROUNDS} rounds, a fresh page per mode, native and shimmed interleaved. Ratio: shimmed median / native median, as time (for throughput, native MB/s / shimmed MB/s). Per-round ratios: each round's shimmed page against the native page next to it. Verdicts: "met" when the medians and every round meet the goal, "met on the medians (noisy)" when only the medians do, "not shown (within noise)" when the medians miss it but some round meets it, "not met" when every round misses it.`,
  );
}
const sections = [];
for (const r of all) {
  sections.push(`### ${r.engine}`, '');
  if (r.perCall) sections.push(...perCallTable(r.perCall, 'per call (one page)', 'call'), '');
  if (r.messages) sections.push(...perCallTable(r.messages, 'message path (one page)', 'message'), '');
  if (r.closeParts) sections.push(...closePartsTable(r.closeParts), '');
  if (r.results) sections.push(...table(r), '', ...checkLines(r), '');
  else if (r.pageErrors.length) sections.push(`- Page errors: ${r.pageErrors.join('; ')}`, '');
}
const body = [...header.flatMap((l) => [l, '']), ...sections];
const command = args.quick ? 'npm run bench -- --quick' : PARTIAL ? `npm run bench -- --only ${only.join(',')}` : 'npm run bench';
console.log([`# ${command}`, '', ...body].join('\n'));
const out = args.quick ? 'bench/results/bench-quick' : PARTIAL ? `bench/results/bench-${only.join('-')}` : 'bench/results/bench';
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  `${out}.json`,
  `${JSON.stringify(
    {
      date: startedAt.toISOString(),
      commit,
      command: process.argv.slice(2),
      shim: args.shim,
      options: args.options,
      sections: only,
      rounds: runs('pairs') ? ROUNDS : undefined,
      perCall: { rounds: PER_CALL_ROUNDS, warmup: PER_CALL_WARMUP, benchmarks: PER_CALL, messages: MESSAGES },
      closeParts: runs('close-parts') ? { rounds: CLOSE_PARTS_ROUNDS, parts: CLOSE_PARTS } : undefined,
      settings: runs('pairs') ? { ...SETTINGS, closeReps: CLOSE_REPS, profile: PROFILE } : undefined,
      machine,
      minutes,
      engines: all,
    },
    null,
    2,
  )}\n`,
);
writeFileSync(`${out}.md`, `${[`# ${command}`, '', ...body].join('\n')}\n`);
if (!PARTIAL) updateDoc('bench', body);
