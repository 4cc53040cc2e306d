// Run by Playwright in the consumer project (tests/node/consumers.test.mjs), as emulate.pw.ts (ES
// module) and copied to emulate.pw.cts (CommonJS), over the projects that withEmulatedSafari() adds
// to "chromium": each page runs the emulation its project names (none in "chromium"), loaded by
// webrtc-close-shim/playwright from the installed package; and its leak check fails a test that
// leaves connections open.
import { join } from 'node:path';
import { expect, test, type EmulatedEngine, type LeakCheckOptions } from 'webrtc-close-shim/playwright';

/** The installed script-tag build (the run's working directory is the consumer project). */
const SHIM = join(process.cwd(), 'node_modules/webrtc-close-shim/dist/webrtc-close-shim.min.js');

test('every page runs the emulation of its project', async ({ page, emulate }, testInfo) => {
  expect(testInfo.project.name).toBe(emulate ? `chromium over ${emulate}` : 'chromium');
  await page.goto('data:text/html,<title>consumer</title>');
  expect(await page.evaluate(() => (window as any)[Symbol.for('webrtc-close-shim/emulate')] ?? null)).toBe(emulate);
  expect(await page.evaluate(() => typeof RTCPeerConnection)).toBe('function');
});

test.describe(() => {
  test.use({ emulate: 'safari' as EmulatedEngine });
  // The message is checked from the JSON report by consumers.test.mjs.
  test.fail('an emulate that is no engine fails the test with a TypeError', async ({ page }) => {
    await page.goto('data:text/html,<title>never</title>');
  });
});

test.describe('the leak check', () => {
  const check: LeakCheckOptions = { failOnOpenConnections: true };
  test.use(check);

  test('a test whose connections are closed passes', async ({ page }) => {
    await page.goto('data:text/html,<title>closed</title>');
    await page.addScriptTag({ path: SHIM });
    await page.evaluate(() => {
      (window as any).kept = [new RTCPeerConnection(), new RTCPeerConnection()];
      (window as any).kept.forEach((pc: RTCPeerConnection) => pc.close());
    });
  });

  // The message ("2 RTCPeerConnections are still open") is checked from the JSON report.
  test.fail('a test that leaves connections open fails, saying how many', async ({ page }) => {
    await page.goto('data:text/html,<title>open</title>');
    await page.addScriptTag({ path: SHIM });
    await page.evaluate(() => {
      (window as any).kept = [new RTCPeerConnection(), new RTCPeerConnection(), new RTCPeerConnection()];
      (window as any).kept[0].close();
    });
  });
});
