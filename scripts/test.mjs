#!/usr/bin/env node
// npm test: makes sure the browsers are there, builds dist/, type-checks src/ and the tests, checks the size budgets, runs the Node tests and
// the Playwright matrix on the built files, and ends with one summary line. Extra arguments go to
// Playwright (npm test -- --project firefox).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolveEngines } from '../tests/engines.mjs';

function run(command, args, options = {}) {
  console.log(`\n> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function ensureBrowsers() {
  const missing = resolveEngines().filter((e) => !e.available && e.name !== 'webkit');
  if (!missing.length) return;
  const packages = missing.map((e) => (e.name === 'chromium' ? 'chromium' : 'firefox-esr'));
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (existsSync('/etc/debian_version') && isRoot) {
    console.log(`Installing the system browsers the tests need: ${command}`);
    execFileSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: 'inherit' });
    return;
  }
  console.error(
    `Missing browsers: ${missing.map((e) => e.name).join(', ')}. Install them with:\n  sudo ${command}\n` +
      'or, with internet access: npx playwright install chromium firefox',
  );
  process.exit(1);
}

ensureBrowsers();
let failed = 0;
// The build, whose output must carry no warning (rollup marks each with "(!)"; issue #29).
console.log('\n> npm run build');
const build = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
process.stdout.write(build.stdout + build.stderr);
if (build.status !== 0) process.exit(1);
if (/\(!\)/.test(build.stdout + build.stderr)) {
  console.error('npm run build printed a warning (above): fix it, a clean build is part of the tests');
  failed++;
}
if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) process.exit(1);
// The specs, their helpers and playwright.config.ts, against dist/'s declarations (tests/consumers/
// are type-checked as a user's project by tests/node/consumers.test.mjs).
if (run('npx', ['tsc', '-p', 'tsconfig.tests.json']) !== 0) process.exit(1);
// Size budgets of the built files (issue #5); lint and format; the API reference builds with every
// export documented (TypeDoc treats warnings as errors).
failed += run(process.execPath, ['scripts/size.mjs']) === 0 ? 0 : 1;
failed += run('npm', ['run', '--silent', 'lint']) === 0 ? 0 : 1;
failed += run('npm', ['run', '--silent', 'docs']) === 0 ? 0 : 1;
// Node tests of the builds, and the builds in WebKitGTK's JavaScriptCore (skipped, with the reason,
// where WebKitWebDriver is not installed).
failed += run(process.execPath, ['--test', '--test-reporter=spec', 'tests/node/', 'tests/webkitgtk/']) === 0 ? 0 : 1;
const playwright = run('npx', ['playwright', 'test', ...process.argv.slice(2)]);

// One closing line for people and for CI, from Playwright's JSON report.
let stats = { expected: 0, unexpected: 0, skipped: 0, flaky: 0 };
try {
  stats = JSON.parse(readFileSync('test-results/results.json', 'utf8')).stats;
} catch {
  console.error('no Playwright report was written');
}
if (stats.flaky) console.log(`${stats.flaky} test(s) passed only on a retry (see the list above)`);
console.log(`playwright: ${stats.expected + stats.flaky} passed, ${stats.unexpected} failed, ${stats.skipped} skipped`);
process.exit(failed || playwright ? 1 : 0);
