#!/usr/bin/env node
// npm run matrix (after the build): runs the behaviour page (demo/index.html?bfcache: every rule,
// the back/forward-cache check too, which leaves the page and comes back), served by this
// repository's own server, and collects its results (window.behaviour), in one of two ways.
// - Playwright (the default): headless in every engine available here (tests/engines.mjs); writes
//   docs/behaviour.md (the summary table and every engine's full table; the README links it).
//   Chromium runs without the --disable-back-forward-cache Playwright gives it, as a user's does. The output depends only on
//   the results, the browser versions and the date (one line in docs/behaviour.md), so a rerun
//   changes the file only when something measured changed. --engine=NAME[,NAME] runs only those
//   and writes no file.
// - --webdriver=URL: in the browser behind a W3C WebDriver endpoint on this machine (safaridriver,
//   chromedriver: it opens the page from 127.0.0.1), and writes no file. Chrome behind ChromeDriver
//   runs headless with tests/engines.mjs's arguments; --capabilities=JSON adds capabilities to the
//   new session (for example {"browserName":"Safari Technology Preview"}); --site=URL opens the page
//   under URL instead of this machine's server, for a browser that cannot reach 127.0.0.1 (a cloud
//   grid: the published site; a Selenium Grid: http://<this machine>:PORT, with HOST=0.0.0.0).
// Either way it prints each browser's name, version and table, and --json=FILE writes the results
// as JSON: per browser its name, version and how it ran, per rule its id, text, native and shimmed
// verdicts. PORT (default 4242) is the port of the server it starts; if it is taken, a free one is used.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, firefox, webkit } from '@playwright/test';
import { CHROMIUM_ARGS, resolveEngines } from '../tests/engines.mjs';
import { startServer } from '../tests/server.mjs';
import { webDriver } from './lib/webdriver.mjs';

const PAGE_TIMEOUT_MS = 240_000;
/** Every rule, the back/forward-cache check included (it runs on its own with ?bfcache). */
const PAGE = '/demo/index.html?bfcache';
/** How often the WebDriver run asks the page whether it is done. */
const POLL_MS = 500;
const DOC = 'docs/behaviour.md';
const types = { chromium, firefox, webkit };
const NAMES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };
const USAGE = 'usage: npm run matrix -- [--engine=NAME[,NAME] | --webdriver=URL [--capabilities=JSON] [--site=URL]] [--json=FILE]';

/** The command line, or exits with what is wrong in it. */
function parseOptions() {
  try {
    const { values } = parseArgs({
      options: {
        engine: { type: 'string' },
        webdriver: { type: 'string' },
        capabilities: { type: 'string' },
        site: { type: 'string' },
        json: { type: 'string' },
      },
    });
    if (values.engine !== undefined && values.webdriver !== undefined) throw new Error('--engine and --webdriver exclude each other');
    if (values.capabilities !== undefined && values.webdriver === undefined) throw new Error('--capabilities needs --webdriver');
    if (values.site !== undefined && values.webdriver === undefined) throw new Error('--site needs --webdriver');
    if (values.site !== undefined && !/^https?:\/\/[^/]/.test(values.site))
      throw new Error(`--site must be an http(s) URL, not ${values.site}`);
    let capabilities = {};
    if (values.capabilities !== undefined) {
      try {
        capabilities = JSON.parse(values.capabilities);
      } catch (error) {
        throw new Error(`--capabilities is not JSON: ${error.message}`, { cause: error });
      }
      if (!capabilities || typeof capabilities !== 'object' || Array.isArray(capabilities))
        throw new Error('--capabilities must be a JSON object');
    }
    const unknown = values.engine?.split(',').filter((name) => !Object.hasOwn(types, name));
    if (unknown?.length) throw new Error(`unknown engine ${unknown.join(', ')} (known: ${Object.keys(types).join(', ')})`);
    if (values.webdriver !== undefined) webDriver(values.webdriver); // throws for a URL that is not one
    return {
      engines: values.engine?.split(','),
      webdriver: values.webdriver,
      capabilities,
      site: values.site?.replace(/\/+$/, ''),
      json: values.json,
    };
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

const options = parseOptions();

if (!existsSync('dist/webrtc-close-shim.min.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

/** PORT, or 4242, or (if that one is taken) any free port. */
function freePort(preferred) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

/** Opens the page in one Playwright engine and returns its results, with the browser's own version. */
async function measureWithPlaywright(engine, origin) {
  const { launchOptions = {}, channel } = engine.use;
  const browser = await types[engine.name].launch({
    ...launchOptions,
    channel,
    headless: true,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(origin + PAGE);
    await page.waitForFunction(() => globalThis.behaviour && globalThis.behaviour.state !== 'running', null, { timeout: PAGE_TIMEOUT_MS });
    const results = await page.evaluate(() => globalThis.behaviour);
    if (results.state !== 'done') throw new Error(`the behaviour page failed in ${engine.name}: ${results.error}`);
    return { name: engine.name, version: browser.version(), driver: 'playwright', source: engine.source, ...results };
  } finally {
    await browser.close();
  }
}

/**
 * Run in the page over WebDriver: its results once it is no longer running, else null (also on the
 * pages the back/forward-cache check goes through, which have none; an asynchronous script would
 * not outlive their navigations).
 */
const RESULTS = `var behaviour = window.behaviour; return behaviour && behaviour.state !== 'running' ? behaviour : null;`;

/**
 * Opens the page in the browser behind the WebDriver endpoint and returns its results, with the
 * browser's name and version as the endpoint reports them.
 */
async function measureWithWebDriver(endpoint, capabilities, origin) {
  const driver = webDriver(endpoint);
  const status = await driver.ready();
  // ChromeDriver's own browser: headless, and with the arguments the Playwright run gives it.
  const chromeDriver = /ChromeDriver/.test(status.message ?? '');
  const session = await driver.session({
    ...(chromeDriver ? { 'goog:chromeOptions': { args: [...CHROMIUM_ARGS, '--headless=new'] } } : {}),
    ...capabilities,
  });
  try {
    const { browserName, browserVersion } = session.capabilities;
    await session.navigate(origin + PAGE);
    const deadline = Date.now() + PAGE_TIMEOUT_MS;
    let results;
    while (!(results = await session.execute(RESULTS))) {
      if (Date.now() > deadline) throw new Error(`the behaviour page did not finish within ${PAGE_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    if (results.state !== 'done') throw new Error(`the behaviour page failed in ${browserName}: ${results.error}`);
    return { name: browserName, version: browserVersion, driver: 'webdriver', source: `WebDriver at ${driver.endpoint}`, ...results };
  } finally {
    await session.end();
  }
}

const esc = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const kind = (r) => (r.error ? 'error' : r.pass ? 'pass' : 'fail');
/**
 * A rule that does not hold with the shim as a limit of the engine (the probe saw the engine decide
 * before the shim could act: demo/bfcache.js), not as the shim's failure.
 */
const LIMIT = 'engine limit';
const verdict = (r) => (kind(r) === 'fail' ? '**fail**' : kind(r)) + (r.limit ? ` (${LIMIT})` : '');
/** The full cell: verdict and what was observed (not `detail`, which varies from run to run). */
const cell = (r) => `${verdict(r)}: ${esc(r.error ?? r.observed)}`;
const short = (r) => (r.error ? '⚠' : r.pass ? '✓' : '✗') + (r.limit ? ` (${LIMIT})` : '');
const title = (m) => `${NAMES[m.name] ?? m.name} ${m.version}`;
const major = (m) => `${NAMES[m.name] ?? m.name} ${m.version.split('.')[0]}`;

/** Probes in the order of the first engine; every engine runs the same list. */
function rulesOf(measured) {
  const rules = measured[0].rows.map((row) => ({ id: row.id, rule: row.rule }));
  for (const m of measured) {
    if (m.rows.map((r) => r.id).join() !== rules.map((r) => r.id).join()) throw new Error(`${m.name} ran different probes`);
  }
  return rules;
}

const count = (m, column) => m.rows.filter((r) => r[column].pass).length;
/**
 * Native verdicts seen to vary from run to run, per engine (tests/behaviour-page.spec.ts leaves them
 * out of what it asserts): Chromium now and then fires a remote abort's `error` with no `closing`;
 * Firefox delivers 0 to 15 of the queued messages after close(). Shown as such, and the native total
 * as the range they allow, so that a rerun does not present one run's draw as the engine's behaviour.
 */
const VARIES = { chromium: ['remote-abort'], firefox: ['no-late-messages'] };
const varies = (m, row) => (VARIES[m.name] ?? []).includes(row.id);
/** "13–14" where a varying native verdict could go either way, else the count. */
function nativeHolds(m) {
  const varying = m.rows.filter((row) => varies(m, row));
  const low = count(m, 'native') - varying.filter((row) => row.native.pass).length;
  const high = low + varying.length;
  return low === high ? `${low}` : `${low}–${high}`;
}
const VARIES_NOTE = 'varies from run to run';
const nativeShort = (m, row) => (varies(m, row) && !row.native.error ? '✓ or ✗' : short(row.native));
/** The numbers (1-based) of the rules that do not hold with the shim as a limit of the engine. */
const limitNumbers = (m) => m.rows.flatMap((r, i) => (r.shimmed.limit ? [i + 1] : []));
const limits = (m) => limitNumbers(m).length;
/** "13 → 20 of 21 (1 engine limit)": the rules that hold, natively → with the shim. */
const holds = (m) => `${nativeHolds(m)} → ${count(m, 'shimmed')} of ${m.rows.length}${limits(m) ? ` (${limits(m)} ${LIMIT})` : ''}`;

function compactTable(measured) {
  const rules = rulesOf(measured);
  const lines = [
    `| rule (after \`pc.close()\`) | ${measured.map((m) => `${major(m)}: native → shim`).join(' | ')} |`,
    `|---|${measured.map(() => '---|').join('')}`,
  ];
  rules.forEach((rule, i) => {
    lines.push(`| ${esc(rule.rule)} | ${measured.map((m) => `${nativeShort(m, m.rows[i])} → ${short(m.rows[i].shimmed)}`).join(' | ')} |`);
  });
  lines.push(`| **rules that hold** | ${measured.map(holds).join(' | ')} |`);
  return lines;
}

const measuredOn = (measured, date) =>
  `Measured on ${date} with ${measured[0].shim ?? 'the shim (not loaded)'} in ${measured.map(title).join(', ')}.`;

/** The summary table, then each browser's full table: what a run prints, and docs/behaviour.md's body. */
function tables(measured) {
  const rules = rulesOf(measured);
  const lines = [
    '## Summary',
    '',
    `Each cell: native → with the shim (✓ the rule holds, ✗ it does not, ⚠ the probe failed to run; ✓ or ✗: natively it ${VARIES_NOTE}; ${LIMIT}: the engine decides before the shim can act).`,
    '',
    ...compactTable(measured),
  ];
  for (const m of measured) {
    lines.push(
      '',
      `## ${title(m)}`,
      '',
      `Browser: ${m.name} ${m.version} (${m.source}). User agent: \`${m.userAgent}\`.`,
      '',
      '| # | rule (after `pc.close()`) | native | with the shim |',
      '|---|---|---|---|',
    );
    rules.forEach((rule, i) =>
      lines.push(
        `| ${i + 1} | ${esc(rule.rule)} | ${cell(m.rows[i].native)}${varies(m, m.rows[i]) ? ` (this run; it ${VARIES_NOTE})` : ''} | ${cell(m.rows[i].shimmed)} |`,
      ),
    );
    lines.push(
      '',
      `Rules that hold: ${nativeHolds(m)} of ${rules.length} natively, ${count(m, 'shimmed')} of ${rules.length} with the shim` +
        (limits(m) ? `; not with the shim, as a limit of this engine: rule ${limitNumbers(m).join(', ')}.` : '.'),
    );
  }
  return lines;
}

function doc(measured, date, skipped = []) {
  const lines = [
    '# What `RTCPeerConnection.close()` does, natively and with the shim',
    '',
    'Generated by `npm run matrix` (`scripts/matrix.mjs`): the behaviour page (`demo/index.html`, served by',
    '`npm run demo`) run headless in every engine available on the machine. Each rule is probed in a fresh',
    'frame, natively and with `dist/webrtc-close-shim.min.js`; the probes are `demo/probes.js`. The last rule',
    'needs the page itself to leave and come back (`demo/bfcache.js`): natively, and with the extras build',
    'and `data-close-on-pagehide`. Both rules for a page that goes away ran with the back/forward cache on',
    "(Chromium without Playwright's `--disable-back-forward-cache`, as users run it); a removed frame is",
    'never kept, so its rule reads the same with the cache off. Do not edit by hand: rerun `npm run matrix`.',
    'Open the page in any other browser (Safari on a Mac or an iPhone) to see what that one does, and copy',
    'its table with "Copy as Markdown".',
    '',
    measuredOn(measured, date),
    ...skipped.map((e) => `Not run here: ${e.name} (${e.why}).`),
    '',
    ...tables(measured),
  ];
  return lines.join('\n') + '\n';
}

/** Writes `path` unless only the date line would change (so a rerun with the same results changes nothing). */
async function writeDoc(measured, skipped) {
  const date = new Date().toISOString().slice(0, 10);
  const next = doc(measured, date, skipped);
  const previous = existsSync(DOC) ? await readFile(DOC, 'utf8') : '';
  const withoutDate = (t) => t.replace(/^Measured on \d{4}-\d{2}-\d{2} /m, 'Measured on DATE ');
  if (withoutDate(previous) === withoutDate(next)) return false;
  await mkdir('docs', { recursive: true });
  await writeFile(DOC, next);
  return true;
}

/** The results as JSON: per browser its name, version and how it ran; per rule its text and verdicts. */
function resultsJson(measured, notRun) {
  const result = (r) => ({
    verdict: kind(r),
    ...(r.limit && { limit: true }),
    ...(r.error ? { error: r.error } : { observed: r.observed }),
    ...(r.detail && { detail: r.detail }),
  });
  return {
    date: new Date().toISOString().slice(0, 10),
    browsers: measured.map((m) => ({
      name: m.name,
      version: m.version,
      driver: m.driver,
      source: m.source,
      engine: m.engine,
      userAgent: m.userAgent,
      shim: m.shim,
      hold: { native: count(m, 'native'), shimmed: count(m, 'shimmed'), limits: limits(m), rules: m.rows.length },
      rules: m.rows.map((row) => ({ id: row.id, rule: row.rule, native: result(row.native), shimmed: result(row.shimmed) })),
    })),
    notRun,
  };
}

/** What to run: a label for each browser, how to measure it, or why it cannot run here. */
const runs =
  options.webdriver !== undefined
    ? [
        {
          label: `WebDriver at ${webDriver(options.webdriver).endpoint}`,
          // --site: where the remote browser finds the page (the published site, a tunnel, this
          // machine's address on the grid's network); else this machine's own server.
          measure: (origin) => measureWithWebDriver(options.webdriver, options.capabilities, options.site ?? origin),
        },
      ]
    : resolveEngines()
        .filter((engine) => !options.engines || options.engines.includes(engine.name))
        .map((engine) => ({ label: engine.name, why: engine.why, measure: (origin) => measureWithPlaywright(engine, origin) }));
const port = await freePort(Number(process.env.PORT ?? 4242));
// HOST=0.0.0.0 serves the page to other machines too (a Selenium Grid on the local network).
const server = await startServer(port, process.env.HOST);
const origin = `http://127.0.0.1:${server.address().port}`;
const measured = [];
const notRun = [];
let failed = false;
try {
  for (const run of runs) {
    if (run.why) {
      console.log(`${run.label}: SKIPPED (${run.why})`);
      notRun.push({ name: run.label, why: run.why });
      continue;
    }
    process.stdout.write(`${run.label}: running the behaviour page… `);
    try {
      const m = await run.measure(origin);
      measured.push(m);
      console.log(`${m.name} ${m.version}: native ${count(m, 'native')}, shimmed ${count(m, 'shimmed')} of ${m.rows.length} rules hold`);
      for (const row of m.rows.filter((r) => !r.shimmed.pass)) {
        failed ||= !row.shimmed.limit;
        console.log(`  ${row.shimmed.limit ? 'ENGINE LIMIT' : 'SHIMMED FAILURE'} ${row.id}: ${row.shimmed.error ?? row.shimmed.observed}`);
      }
    } catch (error) {
      failed = true;
      notRun.push({ name: run.label, why: error.message });
      console.log(`FAILED: ${error.message}`);
    }
  }
} finally {
  server.close();
  server.closeAllConnections();
}
if (options.json) {
  await mkdir(dirname(options.json), { recursive: true });
  await writeFile(options.json, JSON.stringify(resultsJson(measured, notRun), null, 2) + '\n');
  console.log(`${options.json}: written`);
}
if (!measured.length) {
  console.error(`no browser ran: ${DOC} is left as it is`);
  process.exit(1);
}
if (options.webdriver !== undefined || options.engines) {
  const given = options.webdriver !== undefined ? '--webdriver' : '--engine';
  console.log(`${given} given: ${DOC} is left as it is (it holds every engine Playwright runs here).`);
  console.log([measuredOn(measured, new Date().toISOString().slice(0, 10)), '', ...tables(measured)].join('\n'));
} else {
  console.log(`${DOC}: ${(await writeDoc(measured, notRun)) ? 'written' : 'unchanged (same results)'}`);
}
if (failed) process.exitCode = 1;
