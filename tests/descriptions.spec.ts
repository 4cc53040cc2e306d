// The session descriptions after close() (issue 15, item 1): webrtc-pc's getters return the
// connection's description slots, which close() does not clear, and never throw. Natively Firefox
// ESR 153 throws InvalidStateError from all six; Chromium 156 returns them. With the shim, each
// returns after close() what it returned just before it, in every mode and profile.
import { expect, test, type Page } from '@playwright/test';
import { NATIVE_DESCRIPTIONS_AFTER_CLOSE } from './native-expectations';
import { NATIVE, openFixture, SHIMMED, type Mode } from './helpers';

/** Each getter before and after close(), in `stable` and with a local offer pending. */
function readAround(page: Page) {
  return page.evaluate(async () => {
    const { harness } = window as any;
    // The six: localDescription, currentLocalDescription, pendingLocalDescription and the remote ones.
    const proto = RTCPeerConnection.prototype;
    const getters = Object.keys(proto).filter((key) => key.endsWith('Description') && Object.getOwnPropertyDescriptor(proto, key)!.get);
    if (getters.length !== 6) throw new Error(`expected six description getters, found ${getters.join(', ')}`);
    const read = (pc: RTCPeerConnection) =>
      getters.map((key) => {
        try {
          const d = (pc as any)[key];
          return d ? `${d.type}/${d.sdp.length}` : 'null';
        } catch (e: any) {
          return `throws ${e.name}`;
        }
      });
    const result: Record<string, { before: string[]; after: string[] }> = {};
    const { a, b } = await harness.connect({ channels: 1 });
    const before = read(a);
    a.close();
    result.stable = { before, after: read(a) };
    // What close() pinned on the connection itself (with the shim): the six getters and
    // iceGatheringState, nothing else (no method).
    (window as any).ownAfterClose = Object.getOwnPropertyNames(a).sort();
    // A pending local offer (renegotiation started, no answer yet).
    await b.setLocalDescription(await b.createOffer({ iceRestart: true }));
    const pendingBefore = read(b);
    b.close();
    result.pending = { before: pendingBefore, after: read(b) };
    return result;
  });
}

test('native: the description getters after close() (recorded)', async ({ page }, testInfo) => {
  const engine = testInfo.project.name as keyof typeof NATIVE_DESCRIPTIONS_AFTER_CLOSE;
  await openFixture(page, NATIVE);
  const result = await readAround(page);
  await testInfo.attach('native-behaviour', { body: JSON.stringify(result, null, 2), contentType: 'application/json' });
  // Both cases have something to compare: an answer in stable, an offer pending.
  expect(result.stable.before.filter((v) => v !== 'null').length).toBeGreaterThan(0);
  expect(
    result.pending.before.filter((v) => v.startsWith('offer/')),
    'the pending offer (local, pending local) and the first offer (remote, current remote)',
  ).toHaveLength(4);
  for (const { before, after } of Object.values(result)) {
    if (NATIVE_DESCRIPTIONS_AFTER_CLOSE[engine] === 'unchanged') expect(after).toEqual(before);
    else expect(after).toEqual(before.map(() => NATIVE_DESCRIPTIONS_AFTER_CLOSE[engine]));
  }
});

for (const mode of SHIMMED as Mode[]) {
  test(`shim: ${mode.name} › the description getters return after close() what they returned before it`, async ({ page }) => {
    await openFixture(page, mode);
    const result = await readAround(page);
    expect(
      result.pending.before.filter((v) => v.startsWith('offer/')),
      'the pending offer (local, pending local) and the first offer (remote, current remote)',
    ).toHaveLength(4);
    for (const { before, after } of Object.values(result)) expect(after).toEqual(before);
    expect(await page.evaluate(() => (window as any).ownAfterClose), 'own properties of the closed connection').toEqual([
      'currentLocalDescription',
      'currentRemoteDescription',
      'iceGatheringState',
      'localDescription',
      'pendingLocalDescription',
      'pendingRemoteDescription',
      'remoteDescription',
    ]);
  });
}
