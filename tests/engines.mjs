// Which browser runs each Playwright project: Playwright's own build when it is installed, else
// the system one (Debian's /usr/bin/chromium, and /usr/bin/firefox-esr driven over WebDriver BiDi).
// WebKit with WebRTC exists only as Playwright's build; without it the project is left out and
// `describeEngines()` says so. Shared by playwright.config.ts, the benchmarks and the demo.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium, firefox, webkit } from '@playwright/test';

// Also given to Chrome behind ChromeDriver by the behaviour page's WebDriver run (scripts/matrix.mjs).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Lets the memory tests force a collection with gc().
  '--js-flags=--expose-gc',
];

function bundled(type) {
  try {
    const path = type.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function versionOf(path) {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'version unknown';
  }
}

/**
 * @returns {Array<{ name: 'chromium'|'firefox'|'webkit', available: boolean, why?: string,
 *   executablePath?: string, source?: string,
 *   use?: { browserName: 'chromium'|'firefox'|'webkit', channel?: string, launchOptions?: import('@playwright/test').LaunchOptions } }>}
 */
export function resolveEngines() {
  const engines = [];

  const ownChromium = bundled(chromium);
  const chromiumPath = ownChromium ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  engines.push(
    chromiumPath
      ? {
          name: 'chromium',
          available: true,
          executablePath: chromiumPath,
          source: ownChromium ? 'Playwright' : 'system',
          use: { browserName: 'chromium', launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS } },
        }
      : {
          name: 'chromium',
          available: false,
          why: "neither Playwright's Chromium nor /usr/bin/chromium is installed (apt-get install -y chromium)",
        },
  );

  const ownFirefox = bundled(firefox);
  const firefoxEnv = { ...process.env, HOME: process.env.HOME || tmpdir() };
  if (ownFirefox) {
    engines.push({
      name: 'firefox',
      available: true,
      executablePath: ownFirefox,
      source: 'Playwright',
      use: { browserName: 'firefox', launchOptions: { env: firefoxEnv } },
    });
  } else if (existsSync('/usr/bin/firefox-esr')) {
    engines.push({
      name: 'firefox',
      available: true,
      executablePath: '/usr/bin/firefox-esr',
      source: 'system, WebDriver BiDi',
      use: { browserName: 'firefox', channel: 'moz-firefox', launchOptions: { executablePath: '/usr/bin/firefox-esr', env: firefoxEnv } },
    });
  } else {
    engines.push({
      name: 'firefox',
      available: false,
      why: "neither Playwright's Firefox nor /usr/bin/firefox-esr is installed (apt-get install -y firefox-esr)",
    });
  }

  const ownWebKit = bundled(webkit);
  engines.push(
    ownWebKit
      ? { name: 'webkit', available: true, executablePath: ownWebKit, source: 'Playwright', use: { browserName: 'webkit' } }
      : {
          name: 'webkit',
          available: false,
          why: "Playwright's WebKit is not installed (npx playwright install webkit); Debian's WebKitGTK has no RTCPeerConnection",
        },
  );
  return engines;
}

/** One line: which engines run, with binary and version, and which are skipped and why. */
export function describeEngines(engines = resolveEngines()) {
  return (
    'engines: ' +
    engines
      .map((e) =>
        e.available ? `${e.name} RUN (${versionOf(e.executablePath)}; ${e.executablePath}; ${e.source})` : `${e.name} SKIPPED (${e.why})`,
      )
      .join(' | ')
  );
}
