// The far side (issue #18): the browser under test (the project's engine, the "near" side) connected
// to another engine's page, or to a server-side stack in a child process (werift, @roamhq/wrtc),
// over this machine's own address. Every rule that involves the other side, natively (recorded in
// tests/far/expectations.ts, which docs/contract.md states) and with the shim; then the peer that
// vanishes (SIGKILL) or pauses (SIGSTOP/SIGCONT), natively, with the core and with the
// endFailedConnections extra.
//
// Each test launches its own browsers (tests/far/sides.ts: mDNS host obfuscation off, for these
// tests only) and starts its far side itself; signaling goes through the test.
import { expect, type Browser } from '@playwright/test';
import { test } from './far/fixtures';
import {
  DISCONNECTED_MS,
  END_WITHIN,
  QUIET_MS,
  expectAbortErrors,
  expectLocalClose,
  sequences,
  settled,
  sleep,
  vanishInEveryMode,
} from './far/checks';
import { CONTRACT_FAR, NATIVE_FAR, NATIVE_SCTP_AFTER_ABORT, NATIVE_VANISH, contractRemote } from './far/expectations';
import { BrowserFar, ENGINES, PagePeer, ServerFar, STACKS, connect, startFar, type Engine, type FarKind, type FarSide } from './far/sides';

const FAR_KINDS: FarKind[] = [...ENGINES, ...STACKS];
const NEAR_CHANNELS = 4;
const FAR_CHANNELS = 2;
/** Messages each side sends on each channel right before a close: messages in flight. */
const IN_FLIGHT = 20;

/** The far side's own channel closes it reported (server stacks), by label. */
const serverCloses = (far: ServerFar) => far.events.filter((e) => e.event === 'close').map((e) => e.label as string);

interface Pair {
  near: PagePeer;
  far: FarSide;
}

async function pair(
  browsers: (engine: Engine) => Promise<Browser>,
  near: Engine,
  kind: FarKind,
  shim: string,
  ends: Array<{ dispose(): Promise<void> }>,
  { options = '', receiver = false } = {},
): Promise<Pair> {
  const far = await startFar(kind, () => browsers(kind as Engine), shim);
  ends.push(far);
  const peer = await PagePeer.open(await browsers(near), { shim, options, channels: NEAR_CHANNELS, receiver });
  ends.push(peer);
  await connect(peer, far, { channelsOfNear: NEAR_CHANNELS, farChannels: FAR_CHANNELS });
  return { near: peer, far };
}

for (const kind of FAR_KINDS) {
  test.describe(`far side: ${kind}`, () => {
    for (const shim of ['none', 'iife']) {
      const mode = shim === 'none' ? 'native' : 'shim';

      test(`${mode}: the far side's pc.close() (remote abort), messages in flight`, async ({ browsers, near, ends }, testInfo) => {
        const { near: peer, far } = await pair(browsers, near, kind, shim, ends);
        await far.send(IN_FLIGHT);
        const t0 = (await peer.log()).now;
        await far.close();
        const log = await settled(peer, 10_000, "the far side's pc.close()");
        await sleep(QUIET_MS);
        const seen = sequences(await peer.log(), t0);
        await testInfo.attach('near-events', { body: JSON.stringify((await peer.log()).events, null, 1), contentType: 'application/json' });
        const allowed = shim === 'none' ? NATIVE_FAR[near]['far pc.close()'][kind] : contractRemote(kind);
        for (const [label, sequence] of Object.entries(seen)) expect(allowed, `${label}: ${sequence}`).toContain(sequence);
        expect(log.pageErrors).toEqual([]);
        if (shim === 'none') {
          expect(log.state.sctp, 'pc.sctp.state once the channels closed').toBe(NATIVE_SCTP_AFTER_ABORT[near][kind]);
          return;
        }
        expectAbortErrors(log);
      });

      test(`${mode}: the far side's dc.close() of every channel (graceful)`, async ({ browsers, near, ends }) => {
        const { near: peer, far } = await pair(browsers, near, kind, shim, ends);
        const t0 = (await peer.log()).now;
        await far.closeChannels();
        await settled(peer, 10_000, "the far side's dc.close()");
        await sleep(QUIET_MS);
        const allowed = shim === 'none' ? NATIVE_FAR[near]['far dc.close()'][kind] : CONTRACT_FAR['far dc.close()'];
        for (const [label, sequence] of Object.entries(sequences(await peer.log(), t0)))
          expect(allowed, `${label}: ${sequence}`).toContain(sequence);
      });

      test(`${mode}: the near side's pc.close(), messages in flight; what the far side sees`, async ({ browsers, near, ends }) => {
        const { near: peer, far } = await pair(browsers, near, kind, shim, ends, { receiver: true });
        await far.send(IN_FLIGHT);
        const t0 = (await peer.log()).now;
        const sync = await peer.call('close');
        const log = await settled(peer, 10_000, "the near side's pc.close()");
        await sleep(QUIET_MS);
        const after = await peer.log();
        if (shim === 'none') {
          for (const [label, sequence] of Object.entries(sequences(after, t0)))
            expect(NATIVE_FAR[near]['near pc.close()'][kind], `${label}: ${sequence}`).toContain(sequence);
        } else expectLocalClose(sync, after, t0);
        expect(log.pageErrors).toEqual([]);
        // The far side ends every channel too.
        if (far instanceof ServerFar) {
          await far.until(() => serverCloses(far).length === NEAR_CHANNELS + FAR_CHANNELS, 10_000, 'close of every channel on the server');
        } else {
          const farLog = await settled((far as BrowserFar).peer, 10_000, "the far page's channels after the near side's close()");
          if (shim !== 'none') {
            // The near page closed: a Firefox one resets each stream before its ABORT.
            for (const [label, sequence] of Object.entries(sequences(farLog, 0)).filter(([, s]) => s)) {
              expect(contractRemote(near), `far ${label}: ${sequence}`).toContain(sequence);
            }
          }
        }
      });
    }

    test("shim: a closing handler that closes its own connection during the far side's pc.close(): still one close each", async ({
      browsers,
      near,
      ends,
    }) => {
      const { near: peer, far } = await pair(browsers, near, kind, 'iife', ends);
      await peer.call('closeOnClosing');
      const t0 = (await peer.log()).now;
      await far.close();
      await settled(peer, 10_000, "the far side's pc.close()");
      await sleep(QUIET_MS);
      const log = await peer.log();
      expect(log.state.connectionState, 'the page closed it').toBe('closed');
      // The first channel's closing closed the connection: it and the rest get one close each.
      for (const [label, sequence] of Object.entries(sequences(log, t0)))
        expect(
          sequence.split(',').filter((t) => t === 'close'),
          label,
        ).toEqual(['close']);
      expect(log.pageErrors).toEqual([]);
    });

    test('shim: dc.close() from the near side, many channels', async ({ browsers, near, ends }) => {
      const { near: peer, far } = await pair(browsers, near, kind, 'iife', ends);
      await peer.call('createChannels', 10);
      await peer.call('waitOpen', NEAR_CHANNELS + FAR_CHANNELS + 10);
      const t0 = (await peer.log()).now;
      await peer.call('closeChannels');
      await settled(peer, 10_000, "the near side's dc.close()");
      await sleep(QUIET_MS);
      for (const [label, sequence] of Object.entries(sequences(await peer.log(), t0))) expect(sequence, label).toBe('close');
      if (far instanceof ServerFar)
        await far.until(
          () => serverCloses(far).length === NEAR_CHANNELS + FAR_CHANNELS + 10,
          10_000,
          'close of every channel on the server',
        );
      else await settled((far as BrowserFar).peer, 10_000, 'the far page');
    });
  });
}

// --- The peer that vanishes or pauses (server-side stacks, killed or stopped by PID) ----------------

/** The disconnectedMs of a blip that must not end a connection. */
const BLIP_DISCONNECTED_MS = 4_000;

for (const stack of STACKS) {
  test.describe(`far side: ${stack} process`, () => {
    test('vanishes (SIGKILL): native, the core, and endFailedConnections (default and disconnectedMs)', async ({
      browsers,
      near,
      ends,
    }, testInfo) => {
      await vanishInEveryMode(
        near,
        testInfo,
        (mode) => pair(browsers, near, stack, mode.shim, ends, { options: mode.options, receiver: true }),
        (pairs) => Promise.all(pairs.map(({ far }) => (far as ServerFar).vanish())),
      );
    });

    test('pauses (SIGSTOP, SIGCONT): a blip shorter than disconnectedMs, and an ICE restart the page started, end nothing', async ({
      browsers,
      near,
      ends,
    }) => {
      const native = NATIVE_VANISH[near];
      const bound = 2 * native.disconnected;
      test.setTimeout(60_000 + 2 * bound + 4 * (BLIP_DISCONNECTED_MS + END_WITHIN));
      const blip = await pair(browsers, near, stack, 'iife', ends, { options: `endFailedConnections=${BLIP_DISCONNECTED_MS}` });
      // The page restarts ICE when the connection reads disconnected, with restartIce() or, as
      // before that method, createOffer({ iceRestart: true }).
      const restarts = {
        restartIce: await pair(browsers, near, stack, 'iife', ends, { options: `endFailedConnections=${DISCONNECTED_MS}` }),
        createOffer: await pair(browsers, near, stack, 'iife', ends, { options: `endFailedConnections=${DISCONNECTED_MS}` }),
      };
      for (const [how, { near: peer }] of Object.entries(restarts)) await peer.call('restartOn', 'disconnected', how);

      async function pauseAndResume({ near: peer, far }: Pair, pausedAfterDisconnected: number, iceRestart: boolean): Promise<void> {
        const server = far as ServerFar;
        server.pause();
        await peer.call('waitState', ['disconnected'], bound);
        await sleep(pausedAfterDisconnected);
        server.resume();
        if (iceRestart) await connect(peer, server, { iceRestart });
        await peer.call('waitState', ['connected'], bound);
      }
      // The blip resumes well within its disconnectedMs; the restarted ones only after theirs has passed.
      await Promise.all([
        pauseAndResume(blip, BLIP_DISCONNECTED_MS / 4, false),
        ...Object.values(restarts).map((restart) => pauseAndResume(restart, DISCONNECTED_MS + END_WITHIN, true)),
      ]);
      // Nothing ends later either: a timer left over would fire within disconnectedMs.
      await sleep(BLIP_DISCONNECTED_MS + END_WITHIN);

      for (const [name, { near: peer, far }] of Object.entries({ blip, ...restarts })) {
        const before = (await peer.log()).messages;
        await far.send(1);
        await peer.page.waitForFunction((count) => (window as any).far.log().messages >= count, before + NEAR_CHANNELS + FAR_CHANNELS, {
          timeout: 10_000,
        });
        const log = await peer.log();
        expect(
          log.channels.map(([, state]) => state),
          `${name}: every channel open`,
        ).toEqual(log.channels.map(() => 'open'));
        expect(Object.values(sequences(log)).filter(Boolean), `${name}: no closing, error or close`).toEqual([]);
        expect(log.state.connectionState, name).toBe('connected');
        expect(log.pageErrors, name).toEqual([]);
      }
      for (const [how, { near: peer }] of Object.entries(restarts)) {
        expect(
          (await peer.log()).events.filter(([, , type]) => type === 'restart').map(([, , , d]) => d.how),
          'the page restarted ICE',
        ).toEqual([how]);
      }
    });
  });
}
