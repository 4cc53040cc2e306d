// An SFU at the far side (issue #22): the Janus WebRTC Server (Debian's janus 1.1.2, usrsctp), which
// most production sessions have at the other end. Each test starts its own Janus (tests/far/janus.ts:
// HTTP API on 127.0.0.1, only the echotest plugin, ICE on this machine's own address), drives its
// HTTP API and stops it by its PID. Every way a session ends there, natively (the facts in
// tests/far/expectations.ts, which docs/contract.md states) and with the shim (the contract):
// Janus hangs up, the handle is detached, the session is destroyed, Janus is killed, the browser
// closes the connection, the browser's tab is closed.
import { expect, type Browser } from '@playwright/test';
import { QUIET_MS, expectAbortErrors, expectLocalClose, sequences, settled, sleep, vanishInEveryMode } from './far/checks';
import {
  CONTRACT_FAR,
  JANUS_REPORTS,
  JANUS_TEARDOWNS,
  NATIVE_JANUS,
  NATIVE_JANUS_AFTER,
  NATIVE_JANUS_TAB_CLOSED,
  NATIVE_VANISH,
  type JanusTeardown,
} from './far/expectations';
import { test } from './far/fixtures';
import { JanusServer, type JanusFar } from './far/janus';
import { ENGINES, PagePeer, connect, firstMatch, type Engine } from './far/sides';

const CHANNELS = 3;
/** Messages the near side sends on each channel right before the end: their echoes are in flight. */
const IN_FLIGHT = 20;
/** The bound on a near channel's close after the session ended (it took under 50 ms). */
const SETTLE_MS = 10_000;
/** The bound on Janus's report of a hangup the browser caused (it took 4 to 70 ms). */
const REPORT_WITHIN = 1_000;
/**
 * How long a tab close that Janus does not notice is watched: as long as the slowest engine here
 * takes to give up on a silent peer (Firefox's `failed`, 30 s, RFC 7675's consent expiry).
 */
const TAB_WATCH_MS = Math.max(...ENGINES.map((engine) => NATIVE_VANISH[engine].failed));

const TITLES: Record<JanusTeardown, string> = {
  hangup: 'Janus hangs up (hangup request)',
  detach: 'the handle is detached (detach request)',
  destroy: 'the session is destroyed (destroy request)',
};

type Ends = Array<{ dispose(): Promise<void> }>;

async function startJanus(ends: Ends): Promise<JanusServer> {
  const server = await JanusServer.start();
  ends.push(server);
  return server;
}

/**
 * A near page with CHANNELS channels, connected to a new echotest session of `server`, once Janus
 * has reported the connection up and each channel's echo has come back on it.
 */
async function janusPair(
  browsers: (engine: Engine) => Promise<Browser>,
  near: Engine,
  server: JanusServer,
  shim: string,
  ends: Ends,
  { options = '', receiver = false } = {},
): Promise<{ near: PagePeer; far: JanusFar }> {
  const far = await server.attach();
  ends.push(far);
  const peer = await PagePeer.open(await browsers(near), { shim, options, channels: CHANNELS, receiver });
  ends.push(peer);
  await connect(peer, far, { channelsOfNear: CHANNELS });
  // Janus's own report that the connection is up can come after the channels opened.
  await far.until((e) => e.janus === 'webrtcup', SETTLE_MS, 'webrtcup');
  await peer.call('send', 1);
  await peer.page.waitForFunction((count) => (window as any).far.log().messages >= count, CHANNELS, { timeout: SETTLE_MS });
  // The echotest echoes on a channel of the same label: several channels on one connection work.
  expect((await peer.log()).received, 'each channel its own echo').toEqual(
    Object.fromEntries(Array.from({ length: CHANNELS }, (_, i) => [`near${i}`, 1])),
  );
  return { near: peer, far };
}

/** What Janus reported from `since` on, as [event, reason or echotest result], sorted. */
const reports = (far: JanusFar, since: number) =>
  far
    .reported(since)
    .map(([, event, detail]) => [event, detail])
    .sort();

test.describe('far side: Janus', () => {
  for (const shim of ['none', 'iife']) {
    const mode = shim === 'none' ? 'native' : 'shim';

    for (const teardown of JANUS_TEARDOWNS) {
      test(`${mode}: ${TITLES[teardown]}, messages in flight`, async ({ browsers, near, ends }, testInfo) => {
        const { near: peer, far } = await janusPair(browsers, near, await startJanus(ends), shim, ends);
        await peer.call('send', IN_FLIGHT);
        const t0 = (await peer.log()).now;
        const since = Date.now();
        await far[teardown]();
        const log = await settled(peer, SETTLE_MS, `Janus's ${teardown}`);
        await sleep(QUIET_MS);
        const after = await peer.log();
        await testInfo.attach('events', {
          body: JSON.stringify({ near: after.events, janus: far.reported(since) }, null, 1),
          contentType: 'application/json',
        });
        const allowed = shim === 'none' ? NATIVE_JANUS[near][teardown] : CONTRACT_FAR['far pc.close()'];
        for (const [label, sequence] of Object.entries(sequences(after, t0))) expect(allowed, `${label}: ${sequence}`).toContain(sequence);
        expect(log.pageErrors).toEqual([]);
        if (shim === 'none') {
          const { connectionState, iceConnectionState, dtls, sctp } = after.state;
          expect({ connectionState, iceConnectionState, dtls, sctp }, 'the states once the channels closed').toEqual(NATIVE_JANUS_AFTER);
        } else {
          expectAbortErrors(after);
          // No engine fires an error here: each is the shim's, naming the DTLS transport Janus closed
          // (in the engine's order across channels).
          const errors = after.events
            .filter(([, , type]) => type === 'error')
            .map(([, label, , detail]) => [label, detail.trusted, detail.message]);
          expect(errors.sort()).toEqual(after.channels.map(([label]) => [label, false, 'SCTP transport closed (DTLS closed)']).sort());
        }
        expect(JANUS_REPORTS[teardown], 'what Janus reported').toContainEqual(reports(far, since));
      });
    }

    test(`${mode}: the browser's pc.close(), messages in flight; how soon Janus reports the hangup`, async ({
      browsers,
      near,
      ends,
    }, testInfo) => {
      const { near: peer, far } = await janusPair(browsers, near, await startJanus(ends), shim, ends, { receiver: true });
      await peer.call('send', IN_FLIGHT);
      const t0 = (await peer.log()).now;
      const since = Date.now();
      const sync = await peer.call('close');
      const hangup = await far.hungUp(REPORT_WITHIN);
      testInfo.annotations.push({ type: 'Janus hangup', description: `${hangup.t - since} ms after pc.close() (${hangup.reason})` });
      const log = await settled(peer, SETTLE_MS, "the browser's pc.close()");
      await sleep(QUIET_MS);
      const after = await peer.log();
      if (shim === 'none') {
        for (const [label, sequence] of Object.entries(sequences(after, t0)))
          expect(NATIVE_JANUS[near]['near pc.close()'], `${label}: ${sequence}`).toContain(sequence);
      } else expectLocalClose(sync, after, t0);
      expect(log.pageErrors).toEqual([]);
      expect(hangup.t - since, 'ms from pc.close() to Janus reporting the hangup').toBeLessThanOrEqual(REPORT_WITHIN);
      expect(JANUS_REPORTS['near pc.close()'], 'what Janus reported').toContainEqual(reports(far, since));
    });
  }

  test("native: the browser's tab closed (page.close(), no close()): what Janus reports, and when", async ({
    browsers,
    near,
    ends,
  }, testInfo) => {
    const expected = NATIVE_JANUS_TAB_CLOSED[near];
    // A report is expected within REPORT_WITHIN; its absence is watched for TAB_WATCH_MS.
    const watch = expected.some((list) => list.length) ? REPORT_WITHIN : TAB_WATCH_MS;
    test.setTimeout(60_000 + watch);
    const { near: peer, far } = await janusPair(browsers, near, await startJanus(ends), 'none', ends);
    const since = Date.now();
    await peer.tab.close();
    const first = await firstMatch(far.events, (e) => e.t >= since, watch);
    await sleep(QUIET_MS);
    testInfo.annotations.push({
      type: 'Janus after the tab closed',
      description: first ? JSON.stringify(far.reported(since)) : `nothing within ${watch} ms`,
    });
    expect(expected, `what Janus reported within ${watch} ms`).toContainEqual(reports(far, since));
    for (const [ms] of far.reported(since)) expect(ms, 'ms from the tab close to a report').toBeLessThanOrEqual(REPORT_WITHIN);
  });

  test('Janus is killed (SIGKILL): native, the core, and endFailedConnections (default and disconnectedMs)', async ({
    browsers,
    near,
    ends,
  }, testInfo) => {
    // One Janus, a session per mode: one kill ends them all at once.
    const server = await startJanus(ends);
    await vanishInEveryMode(
      near,
      testInfo,
      (mode) => janusPair(browsers, near, server, mode.shim, ends, { options: mode.options, receiver: true }),
      () => server.kill(),
    );
  });
});
