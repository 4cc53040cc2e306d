// The demo page (npm run demo): MDN's close-after-first-message example, native and shimmed.
import { expect, test } from '@playwright/test';
import { NATIVE_LOCAL_CLOSE, type Engine } from './native-expectations';

async function runExample(page: import('@playwright/test').Page, query: string): Promise<string[]> {
  await page.goto(`/demo/mdn.html${query}`);
  await expect(page.locator('#log')).toContainText('(done', { timeout: 15_000 });
  return (await page.locator('#log').textContent())!.split('\n');
}

test('with the shim, the example shows both channels closed at once and one close event each', async ({ page }) => {
  const lines = await runExample(page, '?shim');
  expect(lines[0]).toMatch(/^shim: webrtc-close-shim \d+\.\d+\.\d+/);
  expect(lines).toContain('right after close(): chat closed, files closed');
  expect(lines.filter((l) => l.includes('close event'))).toEqual([
    'chat: close event #1, readyState closed',
    'files: close event #1, readyState closed',
  ]);
  expect(lines.some((l) => l.includes('closing'))).toBe(false);
});

test("without the shim, the example shows the engine's own behaviour", async ({ page }, testInfo) => {
  const lines = await runExample(page, '');
  await testInfo.attach('native demo log', { body: lines.join('\n') });
  expect(lines[0]).toBe('shim: none');
  const state = lines.find((l) => l.startsWith('right after close()'))!.match(/chat (\w+)/)![1];
  expect(NATIVE_LOCAL_CLOSE[testInfo.project.name as Engine].map((b) => b.after[0])).toContain(state);
});
