#!/usr/bin/env node
// Randomized stress of the close() contract (issue #6, item 7; issue #15), outside the test runner.
//
// One mode, a range of sequences:
//   node scripts/stress.mjs --seed S --runs N [--from K] [--engine chromium|firefox]
//        [--shim iife|esm|min|none] [--profile NAME] [--options stopTracksOnClose] [--snapshot DIR]
//        [--op-bound MS] [--port P] [--verbose]
// Launches the engine itself (tests/engines.mjs), serves the fixture page (tests/server.mjs), and
// runs sequences K..K+N-1 of seed S (tests/fixtures/stress.js) one after the other in one page,
// printing a line per sequence. A failing sequence is printed with its seed, index, operations,
// trace, violations and every channel's events; replay it with --seed S --from INDEX --runs 1.
// A sequence that outlives a bound (an operation pending for --op-bound ms, default 30 s, in the
// page, or the whole sequence for 180 s) is a failure naming what was still pending, and the run
// goes on in a fresh page. Exits 1 if any sequence broke the contract, 2 on a usage or setup error. --shim none runs
// the engine natively: it breaks the contract (that is what the shim is for), so expect failures.
// --snapshot DIR serves DIR's copy of dist/ and the fixtures (a long run's snapshot) instead.
//
// Long run:
//   node scripts/stress.mjs --long N [--seed S] [--parallel P] [--state DIR] [--port P] [--summarize]
// Spreads N sequences of seed S (default 2026) over both engines, the three shipped builds (iife,
// min, esm), the profiles (none, safari-before-304859, safari-trunk), and, in a third of the
// chunks, the stopTracksOnClose option: sequence k runs in the mode of its chunk of 10 (a pure
// function of k, so every violation can be replayed). P browsers run at once (default 3). At the
// start, dist/, tests/fixtures/, tests/profiles/ and tests/server.mjs are copied to
// DIR/long-N-seed-S/snapshot and served from there, so a rebuild of dist/ does not switch builds
// mid-run. Every finished sequence is appended to DIR/…/results.jsonl: re-running the same
// command continues where an interrupted run stopped. Prints progress every 30 s; writes
// bench/results/stress-long.json and .md at the end (--summarize: from the state so far, no run).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, firefox, webkit } from '@playwright/test';
import { resolveEngines } from '../tests/engines.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const usage = `usage: node scripts/stress.mjs --seed S --runs N [--from K] [--engine chromium|firefox|webkit] [--shim iife|esm|min|none]
                                [--profile NAME] [--options stopTracksOnClose] [--snapshot DIR] [--op-bound MS] [--port P] [--verbose]
       node scripts/stress.mjs --long N [--seed S] [--parallel P] [--state DIR] [--port P] [--summarize]`;

/** The bound of one whole sequence seen from here (the page bounds each awaited operation: --op-bound). */
const SEQUENCE_BOUND_MS = 180_000;
const LONG_CHUNK = 10;
const LONG_SEED = 2026;
const RELAUNCH_EVERY = 40;
/** Violating sequences listed in stress-long.md (all of them are in stress-long.json). */
const MD_VIOLATIONS = 200;

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      seed: { type: 'string' },
      runs: { type: 'string', default: '20' },
      from: { type: 'string', default: '0' },
      engine: { type: 'string', default: 'chromium' },
      shim: { type: 'string', default: 'iife' },
      profile: { type: 'string' },
      options: { type: 'string', default: '' },
      snapshot: { type: 'string' },
      'op-bound': { type: 'string', default: '30000' },
      port: { type: 'string', default: process.env.PORT ?? '4291' },
      long: { type: 'string' },
      parallel: { type: 'string', default: '3' },
      state: { type: 'string', default: join(tmpdir(), 'webrtc-close-shim-stress') },
      summarize: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}

function fail(message) {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
function integer(name, value) {
  if (!/^\d+$/.test(value ?? '')) fail(`--${name} must be a non-negative integer, got ${value}`);
  return Number(value);
}

const port = integer('port', args.port);
const opBound = integer('op-bound', args['op-bound']);
const types = { chromium, firefox, webkit };
const engines = resolveEngines();

/** The fixture server, over the repository or over a snapshot of it (same server code, its own root). */
async function startFixtureServer(snapshot) {
  const serverFile = snapshot ? join(snapshot, 'tests/server.mjs') : join(root, 'tests/server.mjs');
  if (!existsSync(serverFile)) fail(`no fixture server at ${serverFile}`);
  const { startServer } = await import(pathToFileURL(serverFile).href);
  return startServer(port);
}

function engineOf(name) {
  const engine = engines.find((e) => e.name === name);
  if (!engine || !types[engine.name]) fail(`unknown engine ${name}`);
  if (!engine.available) {
    console.error(`${engine.name} is not available: ${engine.why}`);
    process.exit(2);
  }
  return engine;
}

async function launch(engine) {
  const { launchOptions = {}, channel } = engine.use;
  return types[engine.name].launch({ ...launchOptions, channel, headless: true });
}

/** A mode's fixture page query: ?shim=…&profile=…&options=… (tests/server.mjs). */
function modeQuery(mode) {
  const query = new URLSearchParams({ shim: mode.shim });
  if (mode.profile) query.set('profile', mode.profile);
  if (mode.options?.length) query.set('options', mode.options.join(','));
  return query;
}
// The remote-abort rule is not checked over the WebKit profiles: emulated on Chromium, the SCTP
// transport's state lags the channel's close event, so the shim cannot see the abort there
// (docs/contract.md, "Limits").
const sequenceOptions = (mode) => ({
  expectAbortError: !mode.profile?.startsWith('safari'),
  opBound,
  verbose: !!args.verbose,
});

function replayCommand(mode, seed, index, snapshot) {
  return [
    `node scripts/stress.mjs --seed ${seed} --from ${index} --runs 1 --engine ${mode.engine} --shim ${mode.shim}`,
    mode.profile ? ` --profile ${mode.profile}` : '',
    mode.options?.length ? ` --options ${mode.options.join(',')}` : '',
    snapshot ? ` --snapshot ${snapshot}` : '',
  ].join('');
}

/** Resolves like `promise`, or rejects after `ms` with `message`. */
function bounded(promise, ms, message) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * One browser and one page in it, running sequences; after a hang (or a page that stops
 * answering) the page is replaced, and the browser too if the page cannot be closed.
 */
class Runner {
  constructor(engine, baseUrl) {
    this.engine = engine;
    this.baseUrl = baseUrl;
    this.browser = undefined;
    this.page = undefined;
    this.mode = undefined;
    this.pageErrors = [];
  }

  async open(mode) {
    if (!this.browser || !this.browser.isConnected()) {
      this.browser = await bounded(launch(this.engine), 120_000, `${this.engine.name} did not launch within 120 s`);
      this.version = this.browser.version();
    }
    if (this.page) await this.dropPage();
    const page = await this.browser.newPage();
    this.pageErrors = [];
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    await bounded(
      (async () => {
        await page.goto(`${this.baseUrl}/page?${modeQuery(mode)}`);
        await page.waitForFunction(() => globalThis.harnessReady === true && !!globalThis.stress);
      })(),
      60_000,
      'the fixture page did not load within 60 s',
    );
    if (mode.shim !== 'none' && !(await page.evaluate(() => Symbol.for('webrtc-close-shim') in globalThis))) {
      throw new Error('the shim is not installed in the fixture page');
    }
    this.page = page;
    this.mode = mode;
  }

  async dropPage() {
    const page = this.page;
    this.page = undefined;
    this.mode = undefined;
    try {
      await bounded(page.close({ runBeforeUnload: false }), 20_000, 'page.close() did not finish');
    } catch {
      // A page that cannot even be closed: start over with a new browser.
      await bounded(this.browser.close(), 20_000, 'browser.close() did not finish').catch(() => {});
      this.browser = undefined;
    }
  }

  /** Runs one sequence within SEQUENCE_BOUND_MS; a hang comes back as a failed result, never as an exception. */
  async sequence(mode, seed, index) {
    if (!this.page || this.mode !== mode) await this.open(mode);
    const page = this.page;
    let result;
    try {
      result = await bounded(
        page.evaluate(([s, i, o]) => globalThis.stress.sequence(s, i, o), [seed, index, sequenceOptions(mode)]),
        SEQUENCE_BOUND_MS,
        `sequence still running after ${SEQUENCE_BOUND_MS / 1000} s`,
      );
    } catch (error) {
      result = await this.stuck(seed, index, error);
    }
    result.pageErrors = this.pageErrors.splice(0);
    if (result.hang) await this.dropPage(); // hung promises and connections stay behind: a fresh page
    return result;
  }

  /** What a page that did not answer in time was doing, as far as it still answers. */
  async stuck(seed, index, error) {
    const page = this.page;
    let progress;
    try {
      progress = await bounded(
        page.evaluate(() => {
          const p = globalThis.stressProgress;
          return p && { ops: p.ops, trace: p.trace, violations: p.violations, opIndex: p.opIndex, step: p.step };
        }),
        10_000,
        'no answer',
      );
    } catch {
      progress = undefined;
    }
    const ops = progress?.ops ?? [];
    const op = progress && progress.opIndex < ops.length ? ` op #${progress.opIndex} ${JSON.stringify(ops[progress.opIndex])}` : '';
    const pending = progress ? [op, progress.step && ` pending: ${progress.step}`].filter(Boolean).join(';') : ' (the page did not answer)';
    return {
      seed,
      index,
      ops,
      trace: progress?.trace ?? [],
      violations: [...(progress?.violations ?? []), `hang: ${error.message}:${pending}`],
      hang: { opIndex: progress?.opIndex, pending: progress?.step || 'unknown', ms: SEQUENCE_BOUND_MS },
      stats: { channels: 0, messages: 0, tracks: 0 },
      ms: SEQUENCE_BOUND_MS,
      channels: [],
      receiverTracks: [],
      connections: { a: [], b: [] },
    };
  }

  async close() {
    if (this.browser) await bounded(this.browser.close(), 30_000, 'browser.close() did not finish').catch(() => {});
  }
}

function formatFailure(result) {
  return [
    `  seed ${result.seed}, sequence ${result.index}`,
    '  violations:',
    ...result.violations.map((v) => `    ${v}`),
    ...(result.pageErrors ?? []).map((e) => `    page error (Playwright): ${e}`),
    '  operations:',
    ...result.ops.map((op, i) => `    #${i} ${JSON.stringify(op)}`),
    '  trace:',
    ...result.trace.map((t) => `    ${t}`),
    '  channel events:',
    ...result.channels.map((c) => `    ${c.id} (${c.how}): ${c.events.join(' ') || 'none'}`),
    `  receiver tracks: ${(result.receiverTracks ?? []).join('; ') || 'none'}`,
    `  connection events: a: ${result.connections.a.join(' ') || 'none'}; b: ${result.connections.b.join(' ') || 'none'}`,
  ].join('\n');
}

const failed = (result) => result.violations.length > 0 || result.pageErrors.length > 0;
const summaryLine = (result) =>
  `${result.ops.length} ops, ${result.stats.channels} channels, ${result.stats.messages} messages, ${result.stats.tracks} tracks, ${result.ms} ms`;

function parseOptions(value) {
  const options = value.split(',').filter(Boolean);
  for (const option of options) if (!/^[a-zA-Z]+$/.test(option)) fail(`bad option name ${option}`);
  return options;
}

async function single() {
  const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : integer('seed', args.seed);
  if (seed >= 2 ** 32) fail('--seed must be below 2^32');
  const runs = integer('runs', args.runs);
  const from = integer('from', args.from);
  if (!['iife', 'esm', 'min', 'none'].includes(args.shim)) fail(`--shim must be iife, esm, min or none, got ${args.shim}`);
  const engine = engineOf(args.engine);
  const mode = { engine: engine.name, shim: args.shim, profile: args.profile, options: parseOptions(args.options) };
  const server = await startFixtureServer(args.snapshot);
  const runner = new Runner(engine, `http://127.0.0.1:${port}`);
  let failures = 0;
  let exitCode = 0;
  try {
    await runner.open(mode);
    const extras = [
      mode.profile && `profile=${mode.profile}`,
      mode.options.length && `options=${mode.options}`,
      args.snapshot && `snapshot ${args.snapshot}`,
    ];
    console.log(
      `stress: ${engine.name} ${runner.version}, shim=${mode.shim}${extras
        .filter(Boolean)
        .map((e) => `, ${e}`)
        .join('')}, seed ${seed}, sequences ${from}..${from + runs - 1}`,
    );
    const started = Date.now();
    for (let index = from; index < from + runs; index++) {
      const result = await runner.sequence(mode, seed, index);
      const line = `#${index} ${summaryLine(result)}`;
      if (failed(result)) {
        failures++;
        console.log(`${line}: ${result.hang ? 'HANG' : 'FAILED'} (seed ${seed}, sequence ${index})`);
        console.log(formatFailure(result));
      } else {
        console.log(`${line}: ok`);
      }
    }
    console.log(
      `${runs - failures} of ${runs} sequences kept the contract (${((Date.now() - started) / 1000).toFixed(1)} s); seed ${seed}`,
    );
    if (failures) {
      console.log(`replay a failure with: ${replayCommand(mode, seed, 'INDEX', args.snapshot)}`);
      exitCode = 1;
    }
  } catch (error) {
    console.error(`stress: ${error.stack || error}`);
    exitCode = 2;
  } finally {
    await runner.close();
    server.close();
  }
  process.exit(exitCode);
}

// ---- long run ----

const LONG_ENGINES = ['chromium', 'firefox'];
const LONG_BUILDS = ['iife', 'min', 'esm'];
const LONG_PROFILES = [undefined, 'safari-before-304859', 'safari-trunk'];
const BASE_MODES = LONG_PROFILES.length * LONG_BUILDS.length * LONG_ENGINES.length;

/** The mode of chunk `c`: engines alternate, then builds, then profiles; the option in a third of the chunks, rotating. */
function longMode(c) {
  const base = c % BASE_MODES;
  const options = (base + Math.floor(c / BASE_MODES)) % 3 === 2 ? ['stopTracksOnClose'] : [];
  return {
    engine: LONG_ENGINES[base % 2],
    shim: LONG_BUILDS[Math.floor(base / 2) % 3],
    profile: LONG_PROFILES[Math.floor(base / 6) % 3],
    options,
  };
}
const modeName = (m) =>
  [m.engine, m.shim, m.profile && `over ${m.profile}`, m.options.length && `with ${m.options}`].filter(Boolean).join(' ');

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** A short hash of every file under `dir` (names and contents). */
function hashDir(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const path = join(d, entry.name);
      hash.update(relative(dir, path));
      if (entry.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 12);
}

/** The state of a long run: its directory, snapshot, metadata and the sequences already done. */
function openState(n, seed) {
  const dir = join(args.state, `long-${n}-seed-${seed}`);
  const snapshot = join(dir, 'snapshot');
  const metaFile = join(dir, 'state.json');
  let meta;
  if (existsSync(metaFile)) {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } else {
    if (args.summarize) fail(`no long run to summarize at ${dir}`);
    mkdirSync(dir, { recursive: true });
    for (const part of ['dist', 'tests/fixtures', 'tests/profiles', 'tests/server.mjs']) {
      cpSync(join(root, part), join(snapshot, part), { recursive: true });
    }
    meta = {
      n,
      seed,
      chunk: LONG_CHUNK,
      started: new Date().toISOString(),
      commit: gitCommit(),
      dist: hashDir(join(snapshot, 'dist')),
      engines: {},
    };
    writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  }
  const resultsFile = join(dir, 'results.jsonl');
  const done = new Map();
  if (existsSync(resultsFile)) {
    for (const line of readFileSync(resultsFile, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line);
        done.set(record.k, record);
      } catch {
        // a line cut short by an interruption: that sequence runs again
      }
    }
  }
  return {
    dir,
    snapshot,
    meta,
    done,
    saveMeta: () => writeFileSync(metaFile, JSON.stringify(meta, null, 2)),
    append: (record) => appendFileSync(resultsFile, `${JSON.stringify(record)}\n`),
  };
}

/** A violation without its operation number, names and numbers: what kind of break it is. */
const violationKind = (v) =>
  v
    .replace(/^op #\d+: /, '')
    .replace(/\b(a|b|bystander)\./g, 'X.')
    .replace(/\b[ab]:(rx\d+:)?[a-z]*\d*\b/g, 'X')
    .replace(/\d+/g, 'N');

const duration = (s) => {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
};

function writeSummary(state) {
  const { meta, done, snapshot } = state;
  const records = [...done.values()].sort((x, y) => x.k - y.k);
  const modes = {};
  for (const r of records) {
    const m = (modes[r.mode] ??= { sequences: 0, kept: 0, violating: 0, hangs: 0, channels: 0, messages: 0, tracks: 0 });
    m.sequences++;
    if (r.ok) m.kept++;
    else m.violating++;
    if (r.hang) m.hangs++;
    m.channels += r.stats.channels ?? 0;
    m.messages += r.stats.messages ?? 0;
    m.tracks += r.stats.tracks ?? 0;
  }
  const violating = records.filter((r) => !r.ok);
  const kept = records.length - violating.length;
  // Violations by kind (names and numbers left out), so that a new kind stands out among known ones.
  const kinds = {};
  for (const r of violating) {
    for (const kind of new Set(r.violations.map(violationKind))) {
      const entry = (kinds[kind] ??= { sequences: 0, modes: new Set(), first: r.k });
      entry.sequences++;
      entry.modes.add(r.mode);
    }
  }
  const summary = {
    date: new Date().toISOString(),
    started: meta.started,
    commit: meta.commit,
    distSnapshot: meta.dist,
    seed: meta.seed,
    planned: meta.n,
    done: records.length,
    kept,
    violating: violating.length,
    hangs: records.filter((r) => r.hang).length,
    engines: meta.engines,
    headline: `${kept} of ${records.length} sequences kept the contract${records.length < meta.n ? ` (${records.length} of ${meta.n} run so far)` : ''}`,
    modes,
    kinds: Object.entries(kinds)
      .sort(([, x], [, y]) => y.sequences - x.sequences)
      .map(([kind, k]) => ({ kind, sequences: k.sequences, firstSequence: k.first, modes: [...k.modes].sort() })),
    violations: violating.map((r) => ({
      k: r.k,
      mode: r.mode,
      hang: r.hang ?? null,
      violations: r.violations,
      replay: replayCommand(r.modeSpec, meta.seed, r.k, relative(root, snapshot).startsWith('..') ? snapshot : relative(root, snapshot)),
    })),
  };
  const out = join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'stress-long.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const md = [
    '# Long stress run',
    '',
    `**${summary.headline}.** Generated by \`node scripts/stress.mjs --long ${meta.n}${meta.seed === LONG_SEED ? '' : ` --seed ${meta.seed}`}\` (seed ${meta.seed}).`,
    '',
    `- date: ${summary.date} (started ${meta.started})`,
    `- commit: ${meta.commit}; dist/ snapshot ${meta.dist} (copied at the start and served for the whole run)`,
    `- engines: ${Object.entries(meta.engines)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
    `- sequences: ${records.length} of ${meta.n} run; ${violating.length} broke the contract, ${summary.hangs} of them by a hang`,
    '',
    '| mode | sequences | kept the contract | violating | hangs | channels | messages | tracks |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(modes)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(
        ([name, m]) =>
          `| ${name} | ${m.sequences} | ${m.kept} | ${m.violating} | ${m.hangs} | ${m.channels} | ${m.messages} | ${m.tracks} |`,
      ),
    '',
    '## Violations by kind',
    '',
    ...(summary.kinds.length
      ? [
          '| kind (names and numbers left out) | sequences | first | modes |',
          '|---|---|---|---|',
          ...summary.kinds.map((k) => `| ${k.kind.replace(/\|/g, '\\|')} | ${k.sequences} | ${k.firstSequence} | ${k.modes.length} |`),
        ]
      : ['none']),
    '',
    '## Violations',
    '',
    ...(violating.length
      ? [
          '| sequence | mode | violations (the first; all in stress-long.json) | replay |',
          '|---|---|---|---|',
          ...summary.violations
            .slice(0, MD_VIOLATIONS)
            .map(
              (v) =>
                `| ${v.k} | ${v.mode}${v.hang ? ', hang' : ''} | ${v.violations[0].replace(/\|/g, '\\|')}${v.violations.length > 1 ? ` (+${v.violations.length - 1})` : ''} | \`${v.replay}\` |`,
            ),
          ...(violating.length > MD_VIOLATIONS
            ? ['', `… and ${violating.length - MD_VIOLATIONS} more, each with its replay command, in stress-long.json.`]
            : []),
        ]
      : ['none']),
    '',
  ];
  writeFileSync(join(out, 'stress-long.md'), md.join('\n'));
  return summary;
}

async function long() {
  const n = integer('long', args.long);
  const seed = args.seed === undefined ? LONG_SEED : integer('seed', args.seed);
  const parallel = integer('parallel', args.parallel);
  if (parallel < 1) fail('--parallel must be at least 1');
  const state = openState(n, seed);
  if (args.summarize) {
    const summary = writeSummary(state);
    console.log(`${summary.headline}; written to bench/results/stress-long.json and .md`);
    process.exit(summary.violating ? 1 : 0);
  }
  const pendingChunks = [];
  for (let c = 0; c * LONG_CHUNK < n; c++) {
    const ks = [];
    for (let k = c * LONG_CHUNK; k < Math.min(n, (c + 1) * LONG_CHUNK); k++) if (!state.done.has(k)) ks.push(k);
    if (ks.length) pendingChunks.push({ c, mode: longMode(c), ks });
  }
  const server = await startFixtureServer(state.snapshot);
  const baseUrl = `http://127.0.0.1:${port}`;
  const startedAt = Date.now();
  const doneBefore = state.done.size;
  let violating = [...state.done.values()].filter((r) => !r.ok).length;
  let hangs = [...state.done.values()].filter((r) => r.hang).length;
  console.log(
    `stress --long ${n}: seed ${seed}, ${parallel} browsers at once, state ${state.dir}; ${doneBefore} done before, ${n - doneBefore} to run; commit ${state.meta.commit}, dist snapshot ${state.meta.dist}`,
  );
  const progress = () => {
    const done = state.done.size;
    const rate = (done - doneBefore) / ((Date.now() - startedAt) / 1000);
    console.log(
      `[long] ${done}/${n} done (${((100 * done) / n).toFixed(1)}%), ${violating} violating, ${hangs} hangs, ${rate.toFixed(2)} seq/s, elapsed ${duration((Date.now() - startedAt) / 1000)}, left ${duration((n - done) / rate)}`,
    );
  };
  const ticker = setInterval(progress, 30_000);

  /** Next chunk, preferring the engine the worker's browser already runs. */
  const takeChunk = (engine) => {
    const i = pendingChunks.findIndex((chunk) => chunk.mode.engine === engine);
    return pendingChunks.splice(i === -1 ? 0 : i, 1)[0];
  };
  async function worker(w) {
    let runner;
    let engine = LONG_ENGINES[w % LONG_ENGINES.length];
    let chunks = 0;
    for (let chunk = takeChunk(engine); chunk; chunk = takeChunk(engine)) {
      // A new browser for another engine, and every RELAUNCH_EVERY chunks (nothing piles up over hours).
      if (!runner || runner.engine.name !== chunk.mode.engine || ++chunks % RELAUNCH_EVERY === 0) {
        await runner?.close();
        engine = chunk.mode.engine;
        runner = new Runner(engineOf(engine), baseUrl);
      }
      for (const k of chunk.ks) {
        let result;
        try {
          result = await runner.sequence(chunk.mode, seed, k);
        } catch (error) {
          // A setup failure (launch, page load): counted as a hang of this sequence, in a fresh browser.
          console.log(`[long] sequence ${k}: setup failed: ${error.stack || error}`);
          result = {
            seed,
            index: k,
            ops: [],
            trace: [],
            violations: [`hang: setup failed: ${error.message}`],
            hang: { pending: 'setup' },
            stats: {},
            channels: [],
            connections: { a: [], b: [] },
            pageErrors: [],
          };
          await runner.close();
          runner = new Runner(engineOf(engine), baseUrl);
        }
        if (runner.version && state.meta.engines[engine] !== runner.version) {
          state.meta.engines[engine] = runner.version;
          state.saveMeta();
        }
        const ok = !failed(result);
        const record = {
          k,
          mode: modeName(chunk.mode),
          modeSpec: chunk.mode,
          ok,
          hang: result.hang ? result.hang.pending : undefined,
          ms: result.ms,
          stats: result.stats,
          violations: [...result.violations, ...result.pageErrors.map((e) => `page error (Playwright): ${e}`)],
          failure: ok ? undefined : formatFailure(result),
        };
        state.append(record);
        state.done.set(k, record);
        if (!ok) {
          violating++;
          if (result.hang) hangs++;
          console.log(`[long] sequence ${k} (${record.mode}) ${result.hang ? 'HUNG' : 'broke the contract'}: ${record.violations[0]}`);
          console.log(`[long]   replay: ${replayCommand(chunk.mode, seed, k, state.snapshot)}`);
        }
      }
    }
    await runner?.close();
  }
  const stop = () => {
    console.log(`[long] interrupted; run the same command to continue (state in ${state.dir})`);
    progress();
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await Promise.all(Array.from({ length: parallel }, (_, w) => worker(w)));
  clearInterval(ticker);
  progress();
  server.close();
  const summary = writeSummary(state);
  console.log(`${summary.headline}; written to bench/results/stress-long.json and .md`);
  process.exit(summary.violating ? 1 : 0);
}

if (args.long !== undefined) await long();
else await single();
