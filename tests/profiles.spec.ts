// The emulated engines themselves, without the shim: each profile must really do what it claims,
// or the shimmed runs over it (channels.spec.ts) would prove nothing.
import { expect, test } from '@playwright/test';
import { openFixture } from './helpers';

const unchanged = ['open', 'closing', 'connecting', 'closed'];
const allClosed = ['closed', 'closed', 'closed', 'closed'];

const CLAIMS: Record<string, { after?: string[]; events: string[] }> = {
  'safari-before-304859': { after: unchanged, events: [] },
  'safari-trunk': { after: allClosed, events: ['close'] },
  'late-close': { events: ['close'] },
  'double-close': { events: ['close', 'close'] },
};

for (const [profile, claim] of Object.entries(CLAIMS)) {
  test(`engine profile ${profile} behaves as documented (no shim)`, async ({ page }) => {
    await openFixture(page, { name: profile, shim: 'none', profile });
    for (const side of ['a', 'b']) {
      const result = await page.evaluate((s) => (window as any).harness.scenarios.closeWithChannelsInEveryState(s), side);
      if (claim.after) expect(result.after, `readyState after close(), side ${side}`).toEqual(claim.after);
      for (const name of ['open', 'closing', 'connecting']) {
        const types = result.logs[name].map((e: string) => e.split(':')[0]).filter((type: string) => type !== 'open');
        expect(types, `events of the ${name} channel, side ${side}`).toEqual(claim.events);
      }
    }
  });
}

test('over an engine without connectionState, the shim neither invents nor breaks it', async ({ page }) => {
  const errors: string[] = [];
  await openFixture(page, { name: 'iife over no-connection-state', shim: 'iife', profile: 'no-connection-state' }, errors);
  const result = await page.evaluate(async () => {
    const { harness } = window as any;
    const closed = await harness.scenarios.closeTwice();
    const pc = new RTCPeerConnection();
    pc.close();
    return { has: 'connectionState' in pc, value: (pc as any).connectionState, signaling: pc.signalingState, logs: closed.logs };
  });
  expect(result).toEqual({ has: false, value: undefined, signaling: 'closed', logs: [['close:closed'], ['close:closed']] });
  expect(errors).toEqual([]);
});
