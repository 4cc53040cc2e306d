#!/usr/bin/env node
// Randomized stress of the close() contract (issue #6, item 7), outside the test runner:
//
//   node scripts/stress.mjs --seed S --runs N [--from K] [--engine chromium|firefox]
//        [--shim iife|esm|min|none] [--profile NAME] [--verbose]
//
// Launches the engine itself (tests/engines.mjs), serves the fixture page (tests/server.mjs), and
// runs sequences K..K+N-1 of seed S (tests/fixtures/stress.js) one after the other in one page,
// printing a line per sequence. A failing sequence is printed with its seed, index, operations,
// trace, violations and every channel's events; replay it with --seed S --from INDEX --runs 1.
// Exits 1 if any sequence broke the contract, 2 on a usage or setup error. --shim none runs the
// engine natively: it breaks the contract (that is what the shim is for), so expect failures.
import { parseArgs } from 'node:util';
import { chromium, firefox, webkit } from '@playwright/test';
import { resolveEngines } from '../tests/engines.mjs';
import { startServer } from '../tests/server.mjs';

const usage =
  'usage: node scripts/stress.mjs --seed S --runs N [--from K] [--engine chromium|firefox|webkit] [--shim iife|esm|min|none] [--profile NAME] [--verbose]';
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
      port: { type: 'string', default: process.env.PORT ?? '4291' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const integer = (name, value) => {
  if (!/^\d+$/.test(value ?? '')) {
    console.error(`--${name} must be a non-negative integer, got ${value}\n${usage}`);
    process.exit(2);
  }
  return Number(value);
};
const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : integer('seed', args.seed);
if (seed >= 2 ** 32) {
  console.error('--seed must be below 2^32');
  process.exit(2);
}
const runs = integer('runs', args.runs);
const from = integer('from', args.from);
const port = integer('port', args.port);
if (!['iife', 'esm', 'min', 'none'].includes(args.shim)) {
  console.error(`--shim must be iife, esm, min or none, got ${args.shim}`);
  process.exit(2);
}
const types = { chromium, firefox, webkit };
const engine = resolveEngines().find((e) => e.name === args.engine);
if (!engine || !types[engine.name]) {
  console.error(`unknown engine ${args.engine}\n${usage}`);
  process.exit(2);
}
if (!engine.available) {
  console.error(`${engine.name} is not available: ${engine.why}`);
  process.exit(2);
}

const query = new URLSearchParams({ shim: args.shim });
if (args.profile) query.set('profile', args.profile);
// The remote-abort rule is not checked over the WebKit profiles: emulated on Chromium, the SCTP
// transport's state lags the channel's close event, so the shim cannot see the abort there
// (README, "Not done").
const options = { expectAbortError: !args.profile || !args.profile.startsWith('safari'), verbose: args.verbose };

const server = await startServer(port);
const { launchOptions = {}, channel } = engine.use;
const browser = await types[engine.name].launch({ ...launchOptions, channel, headless: true });
let failed = 0;
let exitCode = 0;
try {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`http://127.0.0.1:${port}/page?${query}`);
  await page.waitForFunction(() => globalThis.harnessReady === true && !!globalThis.stress);
  if (args.shim !== 'none' && !(await page.evaluate(() => Symbol.for('webrtc-close-shim') in globalThis))) {
    throw new Error('the shim is not installed in the fixture page');
  }
  console.log(
    `stress: ${engine.name} ${browser.version()}, shim=${args.shim}${args.profile ? `, profile=${args.profile}` : ''}, seed ${seed}, sequences ${from}..${from + runs - 1}`,
  );
  const started = Date.now();
  for (let index = from; index < from + runs; index++) {
    const result = await page.evaluate(([s, i, o]) => globalThis.stress.sequence(s, i, o), [seed, index, options]);
    const line = `#${index} ${result.ops.length} ops, ${result.stats.channels} channels, ${result.stats.messages} messages, ${result.ms} ms`;
    if (result.violations.length || pageErrors.length) {
      failed++;
      console.log(`${line}: FAILED (seed ${seed}, sequence ${index})`);
      console.log(formatFailure(result, pageErrors.splice(0)));
    } else {
      console.log(`${line}: ok`);
    }
  }
  console.log(`${runs - failed} of ${runs} sequences kept the contract (${((Date.now() - started) / 1000).toFixed(1)} s); seed ${seed}`);
  if (failed) {
    console.log(
      `replay a failure with: node scripts/stress.mjs --seed ${seed} --from INDEX --runs 1 --engine ${engine.name} --shim ${args.shim}${args.profile ? ` --profile ${args.profile}` : ''}`,
    );
    exitCode = 1;
  }
} catch (error) {
  console.error(`stress: ${error.stack || error}`);
  exitCode = 2;
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);

function formatFailure(result, pageErrors) {
  return [
    `  seed ${result.seed}, sequence ${result.index}`,
    '  violations:',
    ...result.violations.map((v) => `    ${v}`),
    ...pageErrors.map((e) => `    page error (Playwright): ${e}`),
    '  operations:',
    ...result.ops.map((op, i) => `    #${i} ${JSON.stringify(op)}`),
    '  trace:',
    ...result.trace.map((t) => `    ${t}`),
    '  channel events:',
    ...result.channels.map((c) => `    ${c.id} (${c.how}): ${c.events.join(' ') || 'none'}`),
    `  connection events: a: ${result.connections.a.join(' ') || 'none'}; b: ${result.connections.b.join(' ') || 'none'}`,
  ].join('\n');
}
