// The behaviour page over W3C WebDriver (issue #24): `scripts/matrix.mjs --webdriver=URL` drives
// Debian's chromedriver (package chromium-driver; .ci/run installs it) and must give the verdicts
// of the Playwright run of the page (`--engine=chromium`) in the same Chromium, the back/forward-cache
// check included (the page leaves and comes back: the runner follows it), write its --json file and
// nothing else. The same runner drives safaridriver on a Mac (.github/workflows/ci.yml),
// which cannot run here. Skipped, with the reason, where chromedriver or that Chromium is missing.
// Uses dist/ as it is (npm test builds it first).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { webDriver } from '../../scripts/lib/webdriver.mjs';
import { resolveEngines } from '../engines.mjs';
import { startServer } from '../server.mjs';
import { command } from './command.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const chromedriver = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'chromedriver'))
  .find((path) => existsSync(path));
const chromium = resolveEngines().find((engine) => engine.name === 'chromium');
const missing = !chromedriver
  ? 'chromedriver is not installed (apt-get install -y chromium-driver)'
  : !chromium.available
    ? chromium.why
    : !existsSync(join(root, 'dist/webrtc-close-shim.min.js'))
      ? 'dist/ is missing: run npm run build'
      : undefined;

/**
 * Native verdicts that vary from run to run in Chromium, and the values each may take: a remote
 * abort's `error` now and then comes without its `closing` (tests/behaviour-page.spec.ts leaves
 * the rule out of what it asserts of Chromium for that reason). Every other verdict must match.
 */
const VARIABLE_NATIVE = { 'remote-abort': ['pass', 'fail'] };

/** The files a matrix run may write besides --json (the Playwright run without --engine). */
const GENERATED = ['README.md', 'docs/behaviour.md'];

/**
 * Runs scripts/matrix.mjs; resolves with its exit code and output, whatever the code. PORT=0: the
 * page's server on a free port, not one another run here may hold.
 */
const matrix = (args) => command(process.execPath, ['scripts/matrix.mjs', ...args], { env: { ...process.env, PORT: '0' } });

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const contents = () => GENERATED.map((path) => readFileSync(join(root, path), 'utf8'));

let work; // temporary directory for the JSON results
let driverProcess;
let endpoint;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'webdriver-matrix-'));
  if (missing) return;
  const port = await freePort();
  driverProcess = spawn(chromedriver, [`--port=${port}`], { stdio: 'ignore', detached: true });
  endpoint = `http://127.0.0.1:${port}`;
  await webDriver(endpoint).ready({ child: driverProcess });
});

after(() => {
  if (driverProcess) {
    try {
      process.kill(-driverProcess.pid);
    } catch {
      /* already gone */
    }
  }
  rmSync(work, { recursive: true, force: true });
});

test(
  'over chromedriver, the behaviour page gives the verdicts of the Playwright run in the same Chromium, and writes only its JSON',
  { skip: missing, timeout: 600_000 },
  async () => {
    const generated = contents();
    const overWebDriver = await matrix([`--webdriver=${endpoint}`, `--json=${join(work, 'webdriver.json')}`]);
    assert.equal(overWebDriver.code, 0, `the WebDriver run failed:\n${overWebDriver.stdout}\n${overWebDriver.stderr}`);
    assert.deepEqual(contents(), generated, `a WebDriver run changed ${GENERATED.join(' or ')}`);
    const viaPlaywright = await matrix(['--engine=chromium', `--json=${join(work, 'playwright.json')}`]);
    assert.equal(viaPlaywright.code, 0, `the Playwright run failed:\n${viaPlaywright.stdout}\n${viaPlaywright.stderr}`);

    const [webdriver] = JSON.parse(readFileSync(join(work, 'webdriver.json'), 'utf8')).browsers;
    const [playwright] = JSON.parse(readFileSync(join(work, 'playwright.json'), 'utf8')).browsers;
    // The browser the endpoint drove, as it names it, and printed as such.
    assert.equal(webdriver.driver, 'webdriver');
    assert.equal(webdriver.source, `WebDriver at ${endpoint}`);
    assert.equal(webdriver.name, 'chrome', 'chromedriver names its browser chrome');
    assert.match(
      overWebDriver.stdout,
      new RegExp(`^${literal(`WebDriver at ${endpoint}: running the behaviour page… chrome ${webdriver.version}: native `)}\\d+, `, 'm'),
    );
    assert.equal(playwright.driver, 'playwright');
    assert.equal(webdriver.version, playwright.version, 'the same Chromium: chromedriver drove another version than Playwright ran');
    assert.equal(webdriver.shim, playwright.shim);

    const ids = playwright.rules.map((rule) => rule.id);
    assert.ok(ids.includes('bfcache'), 'the back/forward-cache check ran');
    for (const id of Object.keys(VARIABLE_NATIVE))
      assert.ok(ids.includes(id), `VARIABLE_NATIVE names ${id}, which the page no longer runs`);
    assert.deepEqual(
      webdriver.rules.map((rule) => [rule.id, rule.rule]),
      playwright.rules.map((rule) => [rule.id, rule.rule]),
      'the same rules, in the same order',
    );
    for (const run of [webdriver, playwright]) {
      assert.deepEqual(
        run.rules
          .filter((rule) => rule.shimmed.verdict !== 'pass')
          .map((rule) => `${rule.id}: ${rule.shimmed.error ?? rule.shimmed.observed}`),
        [],
        `${run.driver}: every rule holds with the shim`,
      );
      for (const rule of run.rules.filter((r) => Object.hasOwn(VARIABLE_NATIVE, r.id))) {
        assert.ok(
          VARIABLE_NATIVE[rule.id].includes(rule.native.verdict),
          `${run.driver}: ${rule.id} natively is ${rule.native.verdict} (${rule.native.error ?? rule.native.observed}), not one of ${VARIABLE_NATIVE[rule.id]}`,
        );
      }
    }
    const exactVerdicts = (run) =>
      run.rules.filter((rule) => !Object.hasOwn(VARIABLE_NATIVE, rule.id)).map((rule) => `${rule.id}: ${rule.native.verdict}`);
    assert.deepEqual(exactVerdicts(webdriver), exactVerdicts(playwright), 'native verdicts over WebDriver and over Playwright');
    assert.equal(webdriver.hold.shimmed, ids.length);
  },
);

test('a bad command line is refused with what is wrong in it, before anything runs', async () => {
  for (const [args, message] of [
    [['--webdriver=localhost:4444'], /^not an http\(s\) WebDriver URL: localhost:4444$/m],
    [['--webdriver=not a url'], /^not a WebDriver URL: not a url /m],
    [['--engine=chromium', '--webdriver=http://127.0.0.1:4444'], /^--engine and --webdriver exclude each other$/m],
    [['--engine=safari'], /^unknown engine safari \(known: chromium, firefox, webkit\)$/m],
    [['--capabilities={}'], /^--capabilities needs --webdriver$/m],
    [['--webdriver=http://127.0.0.1:4444', '--capabilities=[]'], /^--capabilities must be a JSON object$/m],
    [['--webdriver=http://127.0.0.1:4444', '--capabilities={'], /^--capabilities is not JSON: /m],
    [['--webdrvier=http://127.0.0.1:4444'], /Unknown option '--webdrvier'/],
  ]) {
    const { code, stdout, stderr } = await matrix(args);
    assert.equal(code, 2, `${args.join(' ')}: exit code`);
    assert.equal(stdout, '', `${args.join(' ')}: nothing ran`);
    assert.match(stderr, message, args.join(' '));
    assert.match(stderr, /^usage: npm run matrix -- /m);
  }
});

test('the WebDriver client says what went wrong: no endpoint, or something that is not WebDriver', async () => {
  const server = await startServer(0);
  const notWebDriver = `http://127.0.0.1:${server.address().port}`;
  try {
    await assert.rejects(webDriver(notWebDriver).command('GET', '/status'), {
      message: new RegExp(`^${literal(`WebDriver GET /status at ${notWebDriver}: not a WebDriver answer (HTTP 404: `)}`),
    });
  } finally {
    server.close();
  }
  const closed = `http://127.0.0.1:${await freePort()}`;
  await assert.rejects(webDriver(closed).command('GET', '/status'), { message: `WebDriver GET /status at ${closed}: ECONNREFUSED` });
  await assert.rejects(webDriver(closed).ready({ timeoutMs: 500 }), {
    message: `WebDriver at ${closed} was not ready within 0.5 s (WebDriver GET /status at ${closed}: ECONNREFUSED)`,
  });
});
