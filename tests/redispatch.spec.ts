// A deviation the worker's shim works around (docs/contract.md, "Deviations found"): an event
// stopped once is not delivered again when dispatched again, in Chromium 156. Shown with a
// MessagePort's trusted `message`, natively.
import { expect, test } from '@playwright/test';
import { NATIVE, openFixture } from './helpers';
import { NATIVE_REDISPATCH, type Engine } from './native-expectations';

test('native engine: a stopped event dispatched again after its dispatch', async ({ page }, testInfo) => {
  await openFixture(page, NATIVE);
  const result = await page.evaluate(
    () =>
      new Promise<{ delivered: number; cancelBubble: boolean }>((resolve, reject) => {
        const { port1, port2 } = new MessageChannel();
        let held: Event | null = null;
        let delivered = 0;
        port1.addEventListener('message', (event) => {
          if (held) return;
          held = event;
          event.stopImmediatePropagation();
          // The first dispatch is over in a later task: dispatch the same object again there.
          setTimeout(() => {
            port1.dispatchEvent(event);
            resolve({ delivered, cancelBubble: event.cancelBubble });
          });
        });
        port1.addEventListener('message', () => delivered++);
        port1.start();
        port2.postMessage('once');
        setTimeout(() => reject(new Error('no message within 5 s')), 5000);
      }),
  );
  const engine = testInfo.project.name as Exclude<Engine, 'webkit'>;
  expect(NATIVE_REDISPATCH[engine], `NATIVE_REDISPATCH has ${engine}`).toBeDefined();
  expect(result).toEqual(NATIVE_REDISPATCH[engine]);
});
