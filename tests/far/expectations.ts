// What each engine does natively when the other end of a connection is another engine, a
// server-side stack or a peer that vanishes, as measured by tests/far.spec.ts (Chromium 156, Firefox
// ESR 153; werift 0.25.2, @roamhq/wrtc 0.10.0). docs/contract.md ("The far side") states the same
// facts; a native far-side test fails when an engine changes, so the table cannot go stale.
//
// Each entry lists the event sequences a channel of the near side may show (events other than
// `open` and `message`, in order, joined by commas), any one channel matching one of them.
import type { Engine, FarKind } from './sides';

export type FarAction = 'far pc.close()' | 'far dc.close()' | 'near pc.close()';

/** What the far side's pc.close() sends: Firefox resets each stream before its ABORT; the others abort at once. */
const ABORT_AT_ONCE: FarKind[] = ['chromium', 'werift', 'wrtc'];
const ALL: FarKind[] = ['chromium', 'firefox', 'werift', 'wrtc'];

const each = <T>(kinds: FarKind[], value: T) => Object.fromEntries(kinds.map((kind) => [kind, value])) as Record<FarKind, T>;

export const NATIVE_FAR: Record<Engine, Record<FarAction, Record<FarKind, string[]>>> = {
  chromium: {
    // Chromium goes through `closing` for nearly every channel it closes abruptly, whoever aborted
    // (now and then not: 2 channels of 60 in a same-page run, none in these).
    // From a Firefox peer, a channel whose stream reset completes before the ABORT arrives ends as
    // closed by the other side (RESET_FIRST): the wire allows it.
    'far pc.close()': {
      ...each(ALL, ['closing,error,close', 'error,close']),
      firefox: ['closing,error,close', 'error,close', 'closing,close'],
    },
    // One run in 8 of the same-page tests (by 2026-11-25) had `close` only.
    'far dc.close()': each(ALL, ['closing,close', 'close']),
    'near pc.close()': each(ALL, ['closing,close']),
  },
  firefox: {
    'far pc.close()': { ...each(ABORT_AT_ONCE, ['close']), firefox: ['closing,close'] },
    'far dc.close()': each(ALL, ['closing,close']),
    'near pc.close()': each(ALL, ['close']),
  },
};

/**
 * `pc.sctp.state` on the near side once every channel has closed after the far side's pc.close():
 * "closed" by webrtc-pc (an ABORT was received). Chromium keeps "connected" after werift's ABORT,
 * which has no cause.
 */
export const NATIVE_SCTP_AFTER_ABORT: Record<Engine, Record<FarKind, string>> = {
  chromium: { ...each(ALL, 'closed'), werift: 'connected' },
  firefox: each(ALL, 'closed'),
};

/** The contract's sequences, whatever the far side (with the shim on the near page). */
export const CONTRACT_FAR: Record<FarAction, string[]> = {
  // The remote abort: `closing` (the engine's or the shim's), `error`, one `close` (from a Firefox
  // peer, also RESET_FIRST: contractRemote()).
  'far pc.close()': ['closing,error,close'],
  // A graceful remote close is the engine's: Chromium may skip `closing` (see above).
  'far dc.close()': ['closing,close', 'close'],
  // The local close: one `close`, nothing else.
  'near pc.close()': ['close'],
};

/**
 * The remote rule as the wire allows it: a Firefox peer's pc.close() (and so its navigation, and the
 * shim's goodbye, which is a pc.close()) resets each stream before its ABORT. A channel whose reset
 * completes before the ABORT arrives was closed by the other peer, as by its dc.close(): `closing`,
 * `close`, no `error` (seen under load in Firefox-to-Firefox pairs, 1 channel of 4). No other peer
 * sends a reset first, so from any other closer that sequence is a failure.
 */
export const RESET_FIRST = 'closing,close';

/** The contract's sequences for a channel of a page whose peer, a `closer`, ended the connection. */
export function contractRemote(closer: FarKind | 'janus'): string[] {
  const abort = CONTRACT_FAR['far pc.close()'];
  return closer === 'firefox' ? [...abort, RESET_FIRST] : abort;
}

/**
 * A server-side peer killed with SIGKILL (nothing sent), natively: when the near side reads
 * `disconnected` and `failed` (ms after the kill, as measured on 2026-11-29; the tests bound their
 * waits by twice the larger), what its channels do then, and its states once they have.
 */
export const NATIVE_VANISH: Record<Engine, { disconnected: number; failed: number; channels: string; after: Record<string, string> }> = {
  // ICE stays "disconnected" (iceConnectionState never reads "failed"), DTLS and SCTP "connected".
  chromium: {
    disconnected: 6_000,
    failed: 16_000,
    channels: '',
    after: { connectionState: 'failed', iceConnectionState: 'disconnected', dtls: 'connected', sctp: 'connected' },
  },
  // At "failed" the DTLS transport fails too, the SCTP transport closes and each channel fires `close`.
  firefox: {
    disconnected: 10_000,
    failed: 30_000,
    channels: 'close',
    after: { connectionState: 'failed', iceConnectionState: 'failed', dtls: 'failed', sctp: 'closed' },
  },
};

/** How a page goes away: its tab closed, a navigation, a reload, or its iframe removed or navigated. */
export type Leave = 'tab closed' | 'navigation' | 'reload' | 'iframe removed' | 'iframe navigated';

/**
 * What the far side sees when a page with open channels goes away without calling close(),
 * natively (measured by tests/leave.spec.ts, Chromium 156 and Firefox ESR 153, against every far
 * side): `goodbye`, every channel ends within a second (an ABORT, with Firefox's stream resets
 * first); `nothing`, nothing is sent at all (the far side finds out from ICE consent ~16-30 s later,
 * as for a vanished peer). With the shim, every cell is `goodbye`.
 */
export const NATIVE_LEAVE: Record<Engine, Record<Leave, 'goodbye' | 'nothing'>> = {
  chromium: {
    'tab closed': 'nothing',
    navigation: 'goodbye',
    reload: 'goodbye',
    'iframe removed': 'goodbye',
    'iframe navigated': 'goodbye',
  },
  firefox: {
    'tab closed': 'goodbye',
    navigation: 'goodbye',
    reload: 'goodbye',
    'iframe removed': 'goodbye',
    'iframe navigated': 'goodbye',
  },
};

/**
 * The `persisted` of the leaving page's `pagehide`, with Chromium's back/forward cache on and the
 * page cacheable (no `Cache-Control: no-store`), as users run it; natively and with the shim alike
 * (tests/leave.spec.ts). null: a closed tab leaves no document of its origin to read it from (it
 * cannot come back: webrtc-pc's unload applies). Under Playwright's default
 * (--disable-back-forward-cache) every cell is false.
 */
export const PAGEHIDE_PERSISTED: Record<Engine, Record<Leave, boolean | null>> = {
  chromium: { 'tab closed': null, navigation: true, reload: false, 'iframe removed': false, 'iframe navigated': false },
  firefox: { 'tab closed': null, navigation: false, reload: false, 'iframe removed': false, 'iframe navigated': false },
};

// --- An SFU at the far side: the Janus WebRTC Server (Debian's janus 1.1.2, usrsctp; tests/janus.spec.ts) ---

/** What ends a session at Janus: its hangup request, the handle detached, the session destroyed. */
export type JanusTeardown = 'hangup' | 'detach' | 'destroy';
export const JANUS_TEARDOWNS: JanusTeardown[] = ['hangup', 'detach', 'destroy'];

/**
 * Natively, per channel of the near side (as NATIVE_FAR): each Janus teardown ends the DTLS
 * transport (a close_notify) and sends no SCTP ABORT, so no channel fires `error`: Chromium's fire
 * `closing`, `close`, Firefox's `close` only. The near side's own pc.close() is as with any far side.
 */
export const NATIVE_JANUS: Record<Engine, Record<JanusTeardown | 'near pc.close()', string[]>> = {
  chromium: { hangup: ['closing,close'], detach: ['closing,close'], destroy: ['closing,close'], 'near pc.close()': ['closing,close'] },
  firefox: { hangup: ['close'], detach: ['close'], destroy: ['close'], 'near pc.close()': ['close'] },
};

/**
 * The near side's states once its channels closed after a Janus teardown, in both engines: the
 * DTLS transport and the SCTP association `closed`; ICE, and so connectionState, still `connected`
 * (webrtc-pc counts a closed DTLS transport as neither failed nor connecting).
 */
export const NATIVE_JANUS_AFTER = { connectionState: 'connected', iceConnectionState: 'connected', dtls: 'closed', sctp: 'closed' };

/**
 * What Janus itself reports on the session's long poll, as [event, reason or echotest result],
 * sorted, after each teardown and after the near side's pc.close(): any one of these lists, the
 * same whatever the engine and with or without the shim. The echotest's `done` after a detach
 * comes or not (it races the handle's removal); a destroyed session reports nothing (its long poll
 * ends).
 */
export const JANUS_REPORTS: Record<JanusTeardown | 'near pc.close()', Array<Array<[string, string]>>> = {
  hangup: [
    [
      ['event', 'done'],
      ['hangup', 'Janus API'],
    ],
  ],
  detach: [
    [['detached', '']],
    [
      ['detached', ''],
      ['event', 'done'],
    ],
  ],
  destroy: [[]],
  'near pc.close()': [
    [
      ['event', 'done'],
      ['hangup', 'DTLS alert'],
    ],
  ],
};

/**
 * What Janus reports when the near page's tab is closed (no close() called), natively. Firefox
 * ends the association and the DTLS transport as it unloads: Janus hangs up ("DTLS alert") within
 * milliseconds. Chromium sends nothing, and Janus (no consent checks unless `ice_keepalive_conncheck`
 * is set) reports nothing at all: the session, its handle and their connection stay up.
 */
export const NATIVE_JANUS_TAB_CLOSED: Record<Engine, Array<Array<[string, string]>>> = {
  chromium: [[]],
  firefox: JANUS_REPORTS['near pc.close()'],
};
