// What the far-side specs read from the near page and check there, whatever the far side is
// (tests/far.spec.ts: browsers and server-side stacks; tests/janus.spec.ts: an SFU).
import { expect, test, type TestInfo } from '@playwright/test';
import { CONTRACT_FAR, NATIVE_VANISH } from './expectations';
import type { Engine, FarLog, PagePeer } from './sides';

/** Per channel, its closing, error and close events after `since`, joined by commas. */
export function sequences(log: FarLog, since = 0): Record<string, string> {
  const out: Record<string, string[]> = Object.fromEntries(log.channels.map(([label]) => [label, []]));
  for (const [t, target, type] of log.events)
    if (t >= since && target in out && /^(closing|error|close)$/.test(type)) out[target].push(type);
  return Object.fromEntries(Object.entries(out).map(([label, types]) => [label, types.join(',')]));
}

/** Waits until every channel of `peer` has had its close event, or fails naming what is missing. */
export async function settled(peer: PagePeer, ms: number, what: string): Promise<FarLog> {
  const done = await peer.call<boolean>('settled', ms);
  const log = await peer.log();
  expect(done, `${what}: every channel closed within ${ms} ms (${JSON.stringify(sequences(log))}; ${JSON.stringify(log.state)})`).toBe(
    true,
  );
  return log;
}

/** An observation window for "nothing more happens": the slowest close delivery seen here took under 50 ms. */
export const QUIET_MS = 500;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * With the shim, the errors of a remote abort say what happened: the engine's own (Chromium), or
 * the shim's, which claims no cause code.
 */
export function expectAbortErrors(log: FarLog): void {
  for (const [, label, type, detail] of log.events) {
    if (type !== 'error') continue;
    expect(detail, `${label}'s error`).toMatchObject({ name: 'OperationError', errorDetail: 'sctp-failure', readyState: 'closed' });
    if (!detail.trusted)
      expect(detail, `${label}'s error from the shim`).toMatchObject({
        sctpCauseCode: null,
        message: /^SCTP transport closed \(DTLS \w+\)$/,
      });
  }
}

/**
 * With the shim, the near side's pc.close(): everything reads closed right after it (`sync`, what
 * far.close() returned), each channel fires one `close` after `since`, no message arrives after it,
 * the receiver track ends and closed(pc) resolves (`after`, the log once the channels settled).
 */
export function expectLocalClose(sync: any, after: FarLog, since: number): void {
  expect(sync.readyStates, 'every channel reads closed right after close()').toEqual(sync.readyStates.map(() => 'closed'));
  expect(sync.state).toEqual({
    connectionState: 'closed',
    iceConnectionState: 'closed',
    signalingState: 'closed',
    sctp: 'closed',
    dtls: 'closed',
    ice: 'closed',
  });
  for (const [label, sequence] of Object.entries(sequences(after, since)))
    expect(CONTRACT_FAR['near pc.close()'], `${label}: ${sequence}`).toContain(sequence);
  expect(
    after.events.filter(([, , type]) => type === 'message-after-close'),
    'no message after close()',
  ).toEqual([]);
  expect(after.track, 'the receiver track').toBe('ended');
  expect(after.closedAt, 'closed(pc) resolved').not.toBeNull();
}

// --- A peer that vanishes (killed by PID: nothing more is sent) --------------------------------

/** The extra's target: every channel ends within this long of the moment it is due. */
export const END_WITHIN = 1_000;
/** How long the disconnected-ms tests wait to end a connection. */
export const DISCONNECTED_MS = 2_000;

/** When the near side's connectionState first read `state` (page time), or undefined. */
const stateAt = (log: FarLog, state: string) =>
  log.events.find(
    ([, target, type, detail]) => target === 'pc' && type === 'connectionstatechange' && detail.connectionState === state,
  )?.[0];
const closeTimes = (log: FarLog) => log.events.filter(([, target, type]) => target !== 'pc' && type === 'close').map(([t]) => t);

interface VanishMode {
  name: string;
  shim: string;
  options?: string;
}
/** The near page natively, with the core, and with the endFailedConnections extra (default and disconnectedMs). */
const VANISH_MODES: VanishMode[] = [
  { name: 'native', shim: 'none' },
  { name: 'core', shim: 'iife' },
  { name: 'endFailedConnections', shim: 'iife', options: 'endFailedConnections' },
  {
    name: `endFailedConnections({ disconnectedMs: ${DISCONNECTED_MS} })`,
    shim: 'iife',
    options: `endFailedConnections=${DISCONNECTED_MS}`,
  },
];

type NativeVanish = (typeof NATIVE_VANISH)[keyof typeof NATIVE_VANISH];

/**
 * Once the far side has vanished: waits (each wait bounded by `bound`) until the near side's
 * channels have closed where `mode` closes them, or else until the connection has failed and then
 * three times the extra's target more; resolves with the page's log.
 */
async function vanished(peer: PagePeer, mode: VanishMode, native: NativeVanish, bound: number): Promise<FarLog> {
  const closes = mode.options !== undefined || native.channels !== '';
  if (closes) await settled(peer, bound, `${mode.name}: after the peer vanished`);
  else {
    await peer.call('waitState', ['failed'], bound);
    // Nothing ends: observed for three times the extra's target after `failed`.
    await sleep(3 * END_WITHIN);
  }
  return peer.log();
}

/** What the near side did after its peer vanished, in `mode`: the native facts, the core's and the extra's rules. */
function expectVanished(mode: VanishMode, log: FarLog, native: NativeVanish): void {
  const seen = Object.entries(sequences(log));
  const disconnected = stateAt(log, 'disconnected');
  const failed = stateAt(log, 'failed');
  expect(disconnected, `${mode.name}: disconnected`).toBeDefined();
  if (mode.name === 'native') {
    const { connectionState, iceConnectionState, dtls, sctp } = log.state;
    expect({ connectionState, iceConnectionState, dtls, sctp }, 'natively, the states at the end').toEqual(native.after);
  }
  expect(log.pageErrors, mode.name).toEqual([]);
  if (mode.options === `endFailedConnections=${DISCONNECTED_MS}`) {
    for (const [label, sequence] of seen) expect(sequence, `${mode.name}: ${label}`).toBe('closing,error,close');
    for (const t of closeTimes(log))
      expect(t - disconnected!, `${mode.name}: ms from disconnected to a close`).toBeLessThanOrEqual(DISCONNECTED_MS + END_WITHIN);
    expect(log.events.filter(([, , type]) => type === 'error').map(([, , , d]) => d.message)).toEqual(
      seen.map(() => `connection disconnected for ${DISCONNECTED_MS} ms (endFailedConnections)`),
    );
  } else {
    expect(failed, `${mode.name}: failed`).toBeDefined();
    if (mode.name === 'native' || (mode.name === 'core' && native.channels === '')) {
      // Natively, and with the core alone where the engine keeps its channels (Chromium: the spec
      // keeps channels through an ICE failure).
      for (const [label, sequence] of seen) expect(sequence, `${mode.name}: ${label}`).toBe(native.channels);
    } else {
      // The core in Firefox, or the extra: closing, an honest error, one close.
      for (const [label, sequence] of seen) expect(sequence, `${mode.name}: ${label}`).toBe('closing,error,close');
      for (const [, label, type, detail] of log.events.filter(([, , type]) => type === 'error')) {
        expect(detail, `${mode.name}: ${label}'s ${type}`).toMatchObject({
          name: 'OperationError',
          errorDetail: 'sctp-failure',
          sctpCauseCode: null,
        });
        // Firefox closes the channels itself at `failed`: the core's error may come first.
        expect(['connection failed (endFailedConnections)', 'SCTP transport closed (DTLS failed)']).toContain(detail.message);
      }
    }
    if (native.channels || mode.options) {
      for (const t of closeTimes(log)) expect(t - failed!, `${mode.name}: ms from failed to a close`).toBeLessThanOrEqual(END_WITHIN);
    }
  }
  if (mode.options) {
    expect(log.state.connectionState, `${mode.name}: closed`).toBe('closed');
    expect(log.track, `${mode.name}: the receiver track`).toBe('ended');
    expect(log.closedAt, `${mode.name}: closed(pc) resolved`).not.toBeNull();
  }
}

/**
 * The peer that vanishes, with a near page in every mode at once: a pair per mode (`pairOf`), then
 * `vanish(pairs)` ends the far side(s) by PID. Each near page's wait is bounded by twice the
 * measured time to `failed`; then what it did is checked, and the native page's times to
 * `disconnected` and `failed` go into the report.
 */
export async function vanishInEveryMode<P extends { near: PagePeer }>(
  near: Engine,
  testInfo: TestInfo,
  pairOf: (mode: VanishMode) => Promise<P>,
  vanish: (pairs: P[]) => Promise<unknown>,
): Promise<void> {
  const native = NATIVE_VANISH[near];
  // Twice the measured time to `failed`, for each wait on the engine's own timers.
  const bound = 2 * native.failed;
  test.setTimeout(60_000 + 2 * bound);
  const pairs = await Promise.all(VANISH_MODES.map(pairOf));
  // The native page's clock (VANISH_MODES[0]).
  const vanishedAt = (await pairs[0].near.log()).now;
  await vanish(pairs);
  const logs = await Promise.all(VANISH_MODES.map((mode, i) => vanished(pairs[i].near, mode, native, bound)));
  testInfo.annotations.push({
    type: 'natively, after the peer vanished',
    description: ['disconnected', 'failed'].map((state) => `${state} at ${stateAt(logs[0], state)! - vanishedAt} ms`).join(', '),
  });
  await testInfo.attach('near-logs', {
    body: JSON.stringify(Object.fromEntries(VANISH_MODES.map((m, i) => [m.name, logs[i]])), null, 1),
    contentType: 'application/json',
  });
  VANISH_MODES.forEach((mode, i) => expectVanished(mode, logs[i], native));
}
