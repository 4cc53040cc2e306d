// Run by Playwright in the consumer project (tests/node/consumers.test.mjs), as emulate.pw.ts (ES
// module) and copied to emulate.pw.cts (CommonJS), over the projects that withEmulatedSafari() adds
// to "chromium": each page runs the emulation its project names (none in "chromium"), loaded by
// webrtc-close-shim/playwright from the installed package.
import { expect, test, type EmulatedEngine } from 'webrtc-close-shim/playwright';

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
