// Stale references (issue 4): releaseHandlers, Chromium's connection limit, and stats().
import { expect, test } from '@playwright/test';
import { NATIVE, openFixture, type Mode } from './helpers';

for (const [mode, collected] of [
  [{ name: 'releaseHandlers', shim: 'esm', options: ['releaseHandlers'] }, true],
  [{ name: 'default options', shim: 'esm' }, false],
] as Array<[Mode, boolean]>) {
  test(`an object captured by the handlers of a closed connection kept in a map: ${mode.name} (issue 4, item 2)`, async ({ page }) => {
    await openFixture(page, mode);
    test.skip(
      !(await page.evaluate(() => typeof (window as any).gc === 'function')),
      'this engine gives pages no way to force a collection',
    );
    const result = await page.evaluate(async () => {
      const { harness } = window as any;
      const kept = ((window as any).kept = new Map());
      let finalized = false;
      const registry = ((window as any).finalization = new FinalizationRegistry(() => {
        finalized = true;
      }));
      await (async () => {
        const { a, b, local } = await harness.connect({ channels: 1 });
        const app = { name: 'call state', buffer: new Array(1000).fill(0) };
        registry.register(app, 'app');
        a.onconnectionstatechange = () => app.name;
        local[0].onmessage = () => app.buffer;
        const closed = harness.once(local[0], 'close', 3000, 'close event');
        kept.set('call', { pc: a, channel: local[0] });
        a.close();
        await closed;
        b.close();
      })();
      await harness.collectUntil(() => finalized);
      return { finalized, handlers: [kept.get('call').pc.onconnectionstatechange === null, kept.get('call').channel.onmessage === null] };
    });
    expect(result).toEqual({ finalized: collected, handlers: [collected, collected] });
  });
}

const RECOVERY: Mode = { name: 'iife with recoverConnectionLimit', shim: 'iife', options: ['recoverConnectionLimit'] };

for (const mode of [NATIVE, { name: 'iife (core, no recovery)', shim: 'iife' }, RECOVERY] as Mode[]) {
  test(`1,200 create/close cycles, dropping each connection, a task between cycles: ${mode.name} (issue 4, item 3)`, async ({
    page,
  }, testInfo) => {
    await openFixture(page, mode);
    const result = await page.evaluate(async () => {
      const channel = new MessageChannel();
      const nextTask = () =>
        new Promise((resolve) => {
          channel.port1.onmessage = resolve;
          channel.port2.postMessage(0);
        });
      let failures = 0;
      let message = '';
      for (let i = 0; i < 1200; i++) {
        try {
          new RTCPeerConnection().close();
        } catch (error: any) {
          failures++;
          message = `${error.name}: ${error.message}`;
        }
        await nextTask();
      }
      return { failures, message };
    });
    testInfo.annotations.push({ type: 'constructor failures', description: JSON.stringify(result) });
    if (testInfo.project.name !== 'chromium') {
      // Firefox ESR 153 has no connection limit.
      expect(result).toEqual({ failures: 0, message: '' });
    } else if (!mode.options) {
      // Chromium 156 refuses every connection from the 500th on: nothing collects them. Without
      // the extra, the shim changes nothing here: the engine's own error, unchanged.
      expect(result.failures).toBe(700);
      expect(result.message).toBe("UnknownError: Failed to construct 'RTCPeerConnection': Cannot create so many PeerConnections");
    } else {
      // The extra's forced collections recover most, not all (bench:churn); zero cannot be
      // promised, see docs/connection-limit.md.
      expect(result.failures).toBeLessThan(350);
    }
  });
}

test('recoverConnectionLimit: at the limit with closed connections still referenced, the error says so (issue 4, item 3)', async ({
  page,
}, testInfo) => {
  await openFixture(page, RECOVERY);
  const result = await page.evaluate(() => {
    const kept: RTCPeerConnection[] = ((window as any).kept = []);
    for (let i = 0; i < 700; i++) {
      try {
        const pc = new RTCPeerConnection();
        pc.close();
        kept.push(pc);
      } catch (error: any) {
        return { at: i, error: `${error.constructor.name} ${error.name}: ${error.message}` };
      }
    }
    return { at: -1, error: '' };
  });
  test.skip(testInfo.project.name !== 'chromium' && result.at === -1, 'this engine has no connection limit (700 closed connections kept)');
  expect(result.at).toBe(500);
  expect(result.error).toMatch(
    /^DOMException UnknownError: .*Cannot create so many PeerConnections.*webrtc-close-shim: closed connections are still referenced: drop them/,
  );
});

test('stats() counts connections seen, open, closed and closed but not collected (issue 4, item 4)', async ({ page }) => {
  await openFixture(page, { name: 'iife', shim: 'iife' });
  const result = await page.evaluate(async () => {
    const { webrtcCloseShim } = window as any;
    const esm = await import('/dist/index.mjs' as string);
    const before = webrtcCloseShim.stats();
    const pcs = [new RTCPeerConnection(), new RTCPeerConnection(), new RTCPeerConnection()];
    pcs[0].close();
    pcs[1].close();
    pcs[1].close();
    const during = esm.stats();
    pcs[2].close();
    return { before, during, same: JSON.stringify(esm.stats()) === JSON.stringify(webrtcCloseShim.stats()), after: esm.stats() };
  });
  expect(result).toEqual({
    before: { connections: 0, open: 0, closed: 0, closedUncollected: 0 },
    during: { connections: 3, open: 1, closed: 2, closedUncollected: 2 },
    same: true,
    after: { connections: 3, open: 0, closed: 3, closedUncollected: 3 },
  });
  const collected = await page.evaluate(async () => {
    if (typeof (window as any).gc !== 'function') return 'no gc';
    const { webrtcCloseShim, harness } = window as any;
    await harness.collectUntil(() => webrtcCloseShim.stats().closedUncollected === 0);
    return webrtcCloseShim.stats();
  });
  if (collected !== 'no gc') expect(collected).toEqual({ connections: 3, open: 0, closed: 3, closedUncollected: 0 });
});
