// Behind the shim's back (issue #27): a connection closed by code the shim never sees (a close()
// saved before the shim's script tag, or the close() of a realm without the shim), and uninstall()
// while the shim's close events are queued. The shim learns of such a close at the first point it
// can (the next call it sees on the connection, an event of it or its channels, closed(pc),
// stats(), the goodbye) and from there the contract holds: close() again does not throw, no
// `closing` or `error` is invented, each channel fires exactly one `close`, nothing is delivered
// after it learnt, closed(pc) resolves. Natively, what each engine does is recorded (NATIVE_BEHIND).
import { expect, test } from '@playwright/test';
import { test as farTest } from './far/fixtures';
import { NATIVE_LEAVE, type Leave } from './far/expectations';
import { fixturePage, ownCandidatesOnly } from './far/sides';
import { NATIVE, SHIMMED, openFixture, recordEngine, runScenario } from './helpers';
import { NATIVE_BEHIND, type Engine } from './native-expectations';

type How = 'saved' | 'realm';
type Learn = 'close' | 'closed' | 'events';
const HOWS: How[] = ['saved', 'realm'];
const LEARNS: Learn[] = ['close', 'closed', 'events'];

interface Behind {
  readAfterBehind: string[];
  readAtLearning: string[] | null;
  logs: string[][];
  closeThrew: string | null;
  closedResolved: string | null;
  state: string;
}

test.describe('native engine', () => {
  for (const how of HOWS) {
    test(`a close() the page saved or took from another realm (${how}), then close() again: recorded`, async ({ page }, testInfo) => {
      await openFixture(page, NATIVE);
      const result: Behind = await runScenario(page, 'closedBehind', how, 'close');
      await recordEngine(page, testInfo, result);
      expect(result.closeThrew, 'close() of a closed connection is a no-op').toBeNull();
      expect(result.state).toBe('closed');
      const native = NATIVE_BEHIND[testInfo.project.name as Exclude<Engine, 'webkit'>];
      expect(native, `NATIVE_BEHIND has ${testInfo.project.name}`).toBeDefined();
      for (const log of result.logs) expect(native.events).toContainEqual(log.filter((entry) => entry !== 'message-after-learning'));
      expect(native.readAfterBehind).toContainEqual(result.readAfterBehind);
    });
  }
});

for (const mode of SHIMMED) {
  test.describe(`shim: ${mode.name}`, () => {
    for (const how of HOWS) {
      test(`closed behind the shim's back (${how}): learnt from close(), closed(pc) or the channels' events, then the contract`, async ({
        page,
      }) => {
        const pageErrors: string[] = [];
        await openFixture(page, mode, pageErrors);
        // Over WebKit before 304859@main a saved close() fires no event at all: nothing to learn from
        // but a call (docs/contract.md, "Closed behind the shim's back").
        const learns = how === 'saved' && mode.profile === 'safari-before-304859' ? LEARNS.filter((l) => l !== 'events') : LEARNS;
        for (const learn of learns) {
          const result: Behind = await runScenario(page, 'closedBehind', how, learn);
          const what = `${how}, learnt from ${learn}`;
          expect(result.logs, `${what}: one close per channel, no closing, no error, no message after learning`).toEqual(
            result.logs.map(() => ['close:closed']),
          );
          expect(result.closeThrew, `${what}: close() does not throw`).toBeNull();
          expect(result.closedResolved, `${what}: closed(pc)`).toBe('resolved');
          if (learn !== 'events') expect(result.readAtLearning, `${what}: readyState once learnt`).toEqual(['closed', 'closed', 'closed']);
        }
        expect(pageErrors).toEqual([]);
      });
    }

    test('pc.close() and uninstall() in one task: each channel still gets exactly one close', async ({ page }) => {
      const pageErrors: string[] = [];
      await openFixture(page, mode, pageErrors);
      const result = await runScenario(page, 'uninstallAfterClose');
      expect(result.removed).toBe(true);
      expect(result.installed).toBe(false);
      expect(result.logs).toEqual([['close:closed'], ['close:closed'], ['close:closed']]);
      expect(pageErrors).toEqual([]);
    });
  });
}

test("stats() counts a connection closed behind the shim's back as closed, and fires its channels' close", async ({ page }) => {
  const pageErrors: string[] = [];
  await openFixture(page, SHIMMED[0], pageErrors);
  const result = await page.evaluate(async () => {
    const { harness, beforeShim, webrtcCloseShim } = window as any;
    const { a, b, local } = await harness.connect({ channels: 1 });
    const log = harness.record(local[0]);
    const before = webrtcCloseShim.stats();
    beforeShim.close.call(a);
    const after = webrtcCloseShim.stats();
    const readyState = local[0].readyState;
    await harness.settle(() => log.length > 0, 2000);
    await harness.quiet();
    b.close();
    return { open: [before.open, after.open], closed: [before.closed, after.closed], readyState, log };
  });
  expect(result.open[0] - result.open[1], 'open connections counted down').toBe(1);
  expect(result.closed[1] - result.closed[0]).toBe(1);
  expect(result.readyState).toBe('closed');
  expect(result.log).toEqual(['close:closed']);
  expect(pageErrors).toEqual([]);
});

/**
 * The goodbye never stops halfway: three connections to a page of the same browser, the first
 * closed behind the shim's back, the second (in some cases) made to fail the shim's close(); the
 * page goes away. Every connection the goodbye can close is closed (the far side sees it within
 * GOODBYE_WITHIN), and the failure is reported as a page error, never thrown out of the listener.
 */
const GOODBYE_WITHIN = 1_000;
const GOODBYES: Array<{ shim: string; how: How; leave: Leave; sabotage: boolean }> = [
  { shim: 'none', how: 'saved', leave: 'tab closed', sabotage: false },
  { shim: 'none', how: 'realm', leave: 'reload', sabotage: false },
  { shim: 'iife', how: 'saved', leave: 'tab closed', sabotage: true },
  { shim: 'iife', how: 'realm', leave: 'reload', sabotage: true },
  { shim: 'esm', how: 'realm', leave: 'tab closed', sabotage: false },
  { shim: 'esm', how: 'saved', leave: 'reload', sabotage: false },
];

farTest(
  "the goodbye after a close behind the shim's back, and past a connection whose close fails",
  async ({ browsers, near, ends }, testInfo) => {
    test.setTimeout(90_000);
    const browser = await browsers(near);
    const cases = await Promise.all(
      GOODBYES.map(async (c) => {
        const nearPage = await fixturePage(browser, { shim: c.shim });
        const farPage = await fixturePage(browser, { shim: 'none' });
        ends.push({ dispose: () => nearPage.page.close() }, { dispose: () => farPage.page.close() });
        const offers: string[] = await nearPage.page.evaluate(() => (window as any).behind.offer(3));
        const answers: string[] = await farPage.page.evaluate((o) => (window as any).behind.answer(o), offers.map(ownCandidatesOnly));
        await nearPage.page.evaluate((a) => (window as any).behind.accept(a), answers.map(ownCandidatesOnly));
        for (const { page } of [nearPage, farPage]) await page.evaluate(() => (window as any).behind.connected(10_000));
        await nearPage.page.evaluate(({ how, sabotage }) => {
          const { behind } = window as any;
          behind.keepErrors();
          behind.closeBehind(0, how);
          if (sabotage) behind.sabotage(1);
        }, c);
        return { ...c, nearPage, farPage, name: `${c.shim}, ${c.how}, ${c.leave}${c.sabotage ? ', second connection failing' : ''}` };
      }),
    );
    const left = await Promise.all(
      cases.map(async (c) => {
        const at = await c.farPage.page.evaluate(() => (window as any).behind.now());
        await (c.leave === 'tab closed' ? c.nearPage.page.close() : c.nearPage.page.reload());
        return { at, gone: (await c.farPage.page.evaluate(() => (window as any).behind.now())) - at };
      }),
    );
    const slowest = Math.max(...left.map((l) => l.gone)) + GOODBYE_WITHIN;
    // Bounded by the slowest page to go plus the target; the checks below say which did not end.
    await Promise.all(
      cases.map((c) =>
        c.farPage.page
          .waitForFunction(
            (ends) => ends.every((end: number) => (window as any).behind.closedAt()[end] !== null),
            c.sabotage ? [2] : [1, 2],
            {
              timeout: slowest,
            },
          )
          .catch(() => {}),
      ),
    );
    const report = await Promise.all(
      cases.map(async (c, i) => ({
        case: c.name,
        left: left[i],
        closedAt: await c.farPage.page.evaluate(() => (window as any).behind.closedAt()),
      })),
    );
    await testInfo.attach('goodbye-after-behind', { body: JSON.stringify(report, null, 1), contentType: 'application/json' });
    for (const [i, c] of cases.entries()) {
      const { closedAt } = report[i];
      const within = (t: number | null) => t !== null && t - left[i].at <= left[i].gone + GOODBYE_WITHIN;
      const expected = c.shim === 'none' ? NATIVE_LEAVE[near][c.leave] : 'goodbye';
      if (expected === 'goodbye') {
        expect(within(closedAt[2]), `${c.name}: the last connection ends at the far side (${JSON.stringify(report[i])})`).toBe(true);
        if (!c.sabotage) expect(within(closedAt[1]), `${c.name}: the second connection ends too`).toBe(true);
      } else {
        expect(closedAt.slice(1), `${c.name}: natively nothing reaches the far side`).toEqual([null, null]);
      }
      // What the page's error listener saw while it went away (a closed tab can tell no more).
      const errors = c.sabotage ? ['sabotaged connection 1'] : [];
      if (c.leave === 'reload')
        expect(await c.nearPage.page.evaluate(() => (window as any).behind.keptErrors()), `${c.name}: reported`).toEqual(errors);
    }
  },
);
