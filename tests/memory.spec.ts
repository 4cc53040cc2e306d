// Rule 8: nothing of the shim keeps a closed connection or its channels alive. Needs a forced
// collection, which only Chromium offers a page (--js-flags=--expose-gc, set in tests/engines.mjs).
import { expect, test } from '@playwright/test';
import { NATIVE, openFixture, type Mode } from './helpers';

const MODES: Mode[] = [
  NATIVE,
  { name: 'iife', shim: 'iife' },
  { name: 'min over safari-before-304859', shim: 'min', profile: 'safari-before-304859' },
];

// Chromium itself now and then keeps a closed pair alive for good, with or without the shim (about
// 1 in 6 trials here, in every mode including native, even with the ordering below). A retention by
// the shim would be deterministic and hold in every trial; the engine's own is absorbed by running
// up to TRIALS fresh pairs in the test and asking that one of them is collected whole (a test that
// passed only on Playwright's retry would read as flaky).
const TRIALS = 4;
const ALL = ['connection a', 'connection b', 'created channel 0', 'created channel 1', 'received channel 0', 'received channel 1'];

for (const mode of MODES) {
  test(`closed and dropped connections and channels are collected: ${mode.name} (rule 8)`, async ({ page }) => {
    // Each trial: a pair connected and closed (bounded by the harness at a few seconds) and up to 10 s
    // of collections (harness.collectUntil()).
    test.setTimeout(TRIALS * 20_000);
    await openFixture(page, mode);
    const canCollect = await page.evaluate(() => typeof (window as any).gc === 'function');
    test.skip(!canCollect, 'this engine gives pages no way to force a collection (only Chromium with --expose-gc does)');
    const trials = await page.evaluate(
      async ({ shimmed, trials, all }) => {
        const { harness } = window as any;
        // In shimmed modes the teardown is also awaited with closed(): settled, it keeps nothing.
        const closed = shimmed ? (await import('/dist/index.mjs' as string)).closed : async () => {};
        const results: string[][] = [];
        for (let trial = 0; trial < trials; trial++) {
          const names: string[] = [];
          const registry = new FinalizationRegistry((name: string) => names.push(name));
          (window as any).finalization = registry;
          await (async () => {
            const { a, b, local, remote } = await harness.connect({ channels: 2 });
            registry.register(a, 'connection a');
            registry.register(b, 'connection b');
            local.forEach((dc: RTCDataChannel, i: number) => registry.register(dc, `created channel ${i}`));
            remote.forEach((dc: RTCDataChannel, i: number) => registry.register(dc, `received channel ${i}`));
            // once-listeners: a channel with listeners left is kept alive by the engine while open.
            const closes = [...local, ...remote].map((dc) => harness.once(dc, 'close', 3000, dc.label));
            // b closes only once a's close has reached it: when both ends close at the same moment,
            // Chromium 156 more often never releases the connections (4 of 16 trials, natively).
            const teardownB = closed(b);
            a.close();
            await Promise.all([...closes, closed(a)]);
            await harness.waitUntil(
              () => remote.every((dc: RTCDataChannel) => dc.readyState === 'closed'),
              3000,
              'the remote channels closed',
            );
            b.close();
            await teardownB;
          })();
          await harness.collectUntil(() => names.length === all.length);
          results.push(names.sort());
          if (names.length === all.length) break;
        }
        return results;
      },
      { shimmed: mode.shim !== 'none', trials: TRIALS, all: ALL },
    );
    expect(trials, `one of ${TRIALS} pairs collected whole; collected per trial: ${JSON.stringify(trials)}`).toContainEqual(ALL);
  });
}
