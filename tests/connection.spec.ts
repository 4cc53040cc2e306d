// The rest of the close() contract (issue 3): states, events after close, transceivers, receiver
// tracks, methods, the remote side, and the opt-in options. Native tests assert the engine's
// recorded behaviour; shimmed tests assert the contract.
import { expect, test } from '@playwright/test';
import { NATIVE, SHIMMED, openFixture, recordEngine, runScenario, type Mode } from './helpers';
import type { Engine } from './native-expectations';

const INVALID = 'DOMException:InvalidStateError';
const COMMON_SYNC = {
  signalingState: 'closed',
  iceConnectionState: 'closed',
  connectionState: 'closed',
  iceGatheringState: 'complete',
  gatheringUnchanged: true,
  dtls: ['closed'],
  ice: ['closed'],
  sctpDtls: 'closed',
  transceivers: [['stopped', 'stopped', true]],
  endedSync: [0],
};
const ERRORS = { replaceTrack: INVALID, setParameters: INVALID, direction: INVALID };

/** What each engine does natively, as far as it differs. */
const NATIVE_MEDIA: Record<Engine, object[]> = {
  chromium: [{ sctp: 'closed', receiverTracks: ['live'], sameObjects: [true, true, true], channel: 'open' }],
  // getSenders()/getReceivers() leave out stopped transceivers' senders and receivers, as the spec says.
  firefox: [{ sctp: 'connected', receiverTracks: ['live'], sameObjects: [true, false, false], channel: 'open' }],
  // From WebKit's doClose(): transports closed, receivers stopped at once; before or after 304859@main.
  webkit: [
    { sctp: 'closed', receiverTracks: ['ended'], sameObjects: [true, true, true], channel: 'open' },
    { sctp: 'closed', receiverTracks: ['ended'], sameObjects: [true, true, true], channel: 'closed' },
  ],
};

const METHODS = {
  createOffer: INVALID,
  createAnswer: INVALID,
  setLocalDescription: INVALID,
  setRemoteDescription: INVALID,
  addIceCandidate: INVALID,
  createDataChannel: INVALID,
  addTrack: INVALID,
  addTransceiver: INVALID,
  removeTrack: INVALID,
  setConfiguration: INVALID,
  restartIce: 'ok',
  getStats: 'ok',
};

test.describe('native engine', () => {
  test('states, transceivers and receiver tracks after close() (rules 1, 3, 4, recorded)', async ({ page }, testInfo) => {
    await openFixture(page, NATIVE);
    const result = await runScenario(page, 'closeWithMedia');
    await recordEngine(page, testInfo, result);
    const { sctp, receiverTracks, sameObjects, channel, senderTracks, ...common } = result.sync;
    expect(common).toEqual(COMMON_SYNC);
    expect(NATIVE_MEDIA[testInfo.project.name as Engine]).toContainEqual({ sctp, receiverTracks, sameObjects, channel });
    // A negotiated sender keeps its track after close() (as the spec text says); an unnegotiated one reads null.
    expect(senderTracks).toEqual(['track']);
    expect(result.errors).toEqual(ERRORS);
    expect(result.later.ended, 'one ended event per receiver track, later').toEqual([1]);
    expect(result.later.pcEvents).toEqual([]);
  });

  test('methods of a closed connection (rule 5, recorded)', async ({ page }) => {
    await openFixture(page, NATIVE);
    expect(await runScenario(page, 'methodsAfterClose')).toEqual(METHODS);
  });

  test('messages and datachannel events already queued at close() (rule 2, recorded)', async ({ page }, testInfo) => {
    await openFixture(page, NATIVE);
    const result = await runScenario(page, 'queuedEventsAfterClose');
    await recordEngine(page, testInfo, result);
    // Both engines deliver messages already queued when close() runs (Chromium 26 to 49 of the 50 in
    // runs here since 2026-12-04, once the page was kept busy while they arrived; before that, whether
    // they had arrived was a race: Chromium 0 to 49, Firefox 0 to 8). No datachannel event was seen
    // after close() in this setup in either engine.
    expect(result.messagesAfterClose).toBeGreaterThan(0);
    expect(result.datachannelEventsAfterClose).toBe(0);
  });

  test('the remote side: abort and graceful close (rule 6, recorded)', async ({ page }, testInfo) => {
    await openFixture(page, NATIVE);
    const abort = await runScenario(page, 'remoteClose', 'abort');
    const graceful = await runScenario(page, 'remoteClose', 'graceful');
    await recordEngine(page, testInfo, { abort, graceful });
    const abortError = 'error:closed:OperationError/sctp-failure';
    const engine = testInfo.project.name as Engine;
    if (engine === 'chromium') expect(abort.received).toContain(abortError);
    if (engine !== 'chromium') expect(abort.received).not.toContain(abortError);
    expect(abort.received.filter((e: string) => e.startsWith('close'))).toEqual(['close:closed']);
    // A graceful remote dc.close(): `closing` then `close`; Chromium sometimes (1 in 8) skips `closing`.
    expect([['closing:closing', 'close:closed'], ['close:closed']]).toContainEqual(graceful.received);
  });

  test('operations pending at close() never settle; local tracks keep running (rules 7, 8, recorded)', async ({ page }) => {
    await openFixture(page, NATIVE);
    const pending = await runScenario(page, 'pendingAtClose');
    expect(pending.later).toEqual({ createOffer: 'pending', setRemoteDescription: 'pending' });
    expect(await runScenario(page, 'localTracks')).toEqual({ afterFirst: ['live', 'live'], afterSecond: ['live', 'live'] });
  });

  test('an untrusted event at a MediaStreamTrack (why the shim leaves `ended` to the engine)', async ({ page }, testInfo) => {
    await openFixture(page, NATIVE);
    const reached = await runScenario(page, 'syntheticTrackEvent');
    // Firefox ESR 153 runs `onended` but not the addEventListener listener.
    expect(reached).toEqual(testInfo.project.name === 'firefox' ? ['onended'] : ['listener', 'onended']);
  });
});

for (const mode of SHIMMED) {
  test.describe(`shim: ${mode.name}`, () => {
    let pageErrors: string[];
    test.beforeEach(async ({ page }) => {
      pageErrors = [];
      await openFixture(page, mode, pageErrors);
    });
    test.afterEach(() => expect(pageErrors).toEqual([]));

    test('states closed, transports closed, receiver tracks ended at once, no events after close() (rules 1-4)', async ({ page }) => {
      const result = await runScenario(page, 'closeWithMedia');
      const { sctp, receiverTracks, sameObjects, channel, senderTracks, ...common } = result.sync;
      expect(common).toEqual(COMMON_SYNC);
      expect({ sctp, receiverTracks, channel, senderTracks }).toEqual({
        sctp: 'closed',
        receiverTracks: ['ended'],
        channel: 'closed',
        senderTracks: ['null'],
      });
      expect(sameObjects, 'getTransceivers(), getSenders(), getReceivers() return the same objects').toEqual([true, true, true]);
      expect(result.errors).toEqual(ERRORS);
      expect(result.later).toEqual({ receiverTracks: ['ended'], ended: [1], pcEvents: [], gatheringUnchanged: true, sctp: 'closed' });
    });

    test('methods of a closed connection (rule 5)', async ({ page }) => {
      expect(await runScenario(page, 'methodsAfterClose')).toEqual(METHODS);
    });

    test('no message or datachannel event after close(), even if already queued (rule 2)', async ({ page }) => {
      expect(await runScenario(page, 'queuedEventsAfterClose')).toEqual({ datachannelEventsAfterClose: 0, messagesAfterClose: 0 });
    });

    test('operations pending at close() stay pending and local tracks keep running by default (rules 7, 8)', async ({ page }) => {
      expect((await runScenario(page, 'pendingAtClose')).later).toEqual({ createOffer: 'pending', setRemoteDescription: 'pending' });
      expect(await runScenario(page, 'localTracks')).toEqual({ afterFirst: ['live', 'live'], afterSecond: ['live', 'live'] });
    });
  });
}

// Rule 6 is not run over the WebKit profiles: the emulations leave the remote side to the host
// engine (docs/emulate.md), so it would only test Chromium and Firefox again, which the modes
// without a profile do.
for (const mode of SHIMMED.filter((m) => !m.profile || !m.profile.startsWith('safari'))) {
  test(`shim: ${mode.name} › the remote side: closing, error, then one close on abort; graceful close unchanged (rule 6)`, async ({
    page,
  }) => {
    await openFixture(page, mode);
    const abort = await runScenario(page, 'remoteClose', 'abort');
    const graceful = await runScenario(page, 'remoteClose', 'graceful');
    // A `closing` the shim fires (where Chromium fired none) comes when the channel reads closed.
    for (const log of [abort.received, abort.created]) {
      expect(log).toEqual([expect.stringMatching(/^closing:clos(ing|ed)$/), 'error:closed:OperationError/sctp-failure', 'close:closed']);
    }
    expect([['closing:closing', 'close:closed'], ['close:closed']], 'no error on a graceful close').toContainEqual(graceful.received);
  });
}

for (const mode of [
  { name: 'esm', shim: 'esm', options: ['settlePendingOnClose', 'stopTracksOnClose'] },
  { name: 'iife with data- attributes', shim: 'min', options: ['settlePendingOnClose', 'stopTracksOnClose'] },
] as Mode[]) {
  test(`options on (${mode.name}): pending operations reject in the next task; local tracks stop unless still sent (rules 7, 8)`, async ({
    page,
  }) => {
    await openFixture(page, mode);
    const pending = await runScenario(page, 'pendingAtClose');
    const rejected = { createOffer: 'rejected:InvalidStateError', setRemoteDescription: 'rejected:InvalidStateError' };
    expect(pending).toEqual({ nextTask: rejected, later: rejected });
    expect(await runScenario(page, 'localTracks')).toEqual({ afterFirst: ['live', 'ended'], afterSecond: ['ended', 'ended'] });
  });
}
