// The data-channel contract (issue 2, rules 1-6), natively and with the shim in every load mode and
// over every emulated engine. Native tests assert the engine's recorded behaviour
// (native-expectations.ts), so docs/contract.md's table stays true.
import { expect, test } from '@playwright/test';
import { CONTRACT_LOCAL_CLOSE, NATIVE_LOCAL_CLOSE, type Engine, type LocalCloseBehaviour } from './native-expectations';
import { NATIVE, SHIMMED, openFixture, recordEngine, runScenario, type Mode } from './helpers';

interface EveryStateResult {
  before: string[];
  after: string[];
  logs: Record<'open' | 'closing' | 'connecting' | 'closed', string[]>;
  onclose: string[];
}

function summarize(result: EveryStateResult): LocalCloseBehaviour {
  return {
    after: result.after,
    openChannelEvents: result.logs.open,
    closingChannelEvents: result.logs.closing,
    connectingChannelEvents: result.logs.connecting,
  };
}

const SIDES = [
  ['a', 'channels it created'],
  ['b', 'channels it received'],
] as const;

test.describe('native engine', () => {
  test('order of listeners at the target: why the shim registers its own inside the constructor', async ({ page }, testInfo) => {
    await openFixture(page, NATIVE);
    const order = await page.evaluate(() => {
      const target = new EventTarget();
      const seen: string[] = [];
      target.addEventListener('x', () => seen.push('bubbling, added first'));
      target.addEventListener('x', () => seen.push('capturing, added second'), { capture: true });
      target.dispatchEvent(new Event('x'));
      return seen;
    });
    // The DOM spec now runs capturing listeners first at the target; Firefox does, Chromium 156
    // keeps the order they were added in.
    const expected: Record<string, string[]> = {
      chromium: ['bubbling, added first', 'capturing, added second'],
      firefox: ['capturing, added second', 'bubbling, added first'],
    };
    if (expected[testInfo.project.name]) expect(order).toEqual(expected[testInfo.project.name]);
    else expect(order).toHaveLength(2);
  });

  for (const [side, what] of SIDES) {
    test(`close() of a connection: ${what} (rules 1-3, recorded)`, async ({ page }, testInfo) => {
      await openFixture(page, NATIVE);
      const result: EveryStateResult = await runScenario(page, 'closeWithChannelsInEveryState', side);
      await recordEngine(page, testInfo, result);
      expect(result.before).toEqual(['open', 'closing', 'connecting', 'closed']);
      expect(NATIVE_LOCAL_CLOSE[testInfo.project.name as Engine]).toContainEqual(summarize(result));
      expect(result.logs.closed, 'a channel closed beforehand fires nothing more').toEqual([]);
    });
  }

  test('close() from inside message/open/close handlers, exceptions, close() twice (rules 4-6, recorded)', async ({ page }, testInfo) => {
    await openFixture(page, NATIVE);
    const handlers = await runScenario(page, 'closeFromHandlers');
    const throwing = await runScenario(page, 'throwingHandler');
    const twice = await runScenario(page, 'closeTwice');
    await recordEngine(page, testInfo, { handlers, throwing, twice });
    const open = NATIVE_LOCAL_CLOSE[testInfo.project.name as Engine].map((b) => b.openChannelEvents);
    expect(open).toContainEqual(handlers.message[0]);
    expect(throwing.closeThrew).toBe(false);
    expect(twice.state).toBe('closed');
    expect(open).toContainEqual(twice.logs[0]);
  });
});

for (const mode of SHIMMED) {
  test.describe(`shim: ${mode.name}`, () => {
    let pageErrors: string[];
    test.beforeEach(async ({ page }) => {
      pageErrors = [];
      await openFixture(page, mode as Mode, pageErrors);
    });

    for (const [side, what] of SIDES) {
      test(`close() of a connection: ${what} are closed at once and fire one close each (rules 1-3)`, async ({ page }) => {
        const result: EveryStateResult = await runScenario(page, 'closeWithChannelsInEveryState', side);
        expect(result.before).toEqual(['open', 'closing', 'connecting', 'closed']);
        expect(summarize(result)).toEqual(CONTRACT_LOCAL_CLOSE);
        expect(result.logs.closed, 'a channel closed beforehand fires nothing more').toEqual([]);
        expect(result.onclose, 'the onclose attribute runs once, after readyState is closed').toEqual(['closed']);
        expect(pageErrors).toEqual([]);
      });
    }

    test('close() from inside a message, open or close handler still closes every channel (rule 4)', async ({ page }) => {
      const result = await runScenario(page, 'closeFromHandlers');
      expect(result.message, 'MDN example: close after the first message').toEqual([['close:closed'], ['close:closed']]);
      expect(result.open).toEqual([['close:closed'], ['open:open', 'close:closed']]);
      expect(result.close, 'the first channel closed itself; the second by the connection').toEqual([['close:closed'], ['close:closed']]);
      expect(pageErrors).toEqual([]);
    });

    test('an exception in one close handler does not stop the others and is reported, not rethrown (rule 5)', async ({ page }) => {
      const result = await runScenario(page, 'throwingHandler');
      expect(result.ran).toEqual(['first:listener', 'first:onclose', 'second:listener', 'second:onclose']);
      expect(result.closeThrew).toBe(false);
      expect(result.reported).toEqual(['thrown by a close listener', 'thrown by an onclose handler']);
      expect(pageErrors.sort()).toEqual(['thrown by a close listener', 'thrown by an onclose handler']);
    });

    test('close() twice fires nothing more (rule 6)', async ({ page }) => {
      const result = await runScenario(page, 'closeTwice');
      expect(result.logs).toEqual([['close:closed'], ['close:closed']]);
      expect(result.state).toBe('closed');
      expect(pageErrors).toEqual([]);
    });
  });
}
