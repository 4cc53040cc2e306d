// What each engine does natively on RTCPeerConnection.close(), as measured by the native tests.
// The behaviour tables of docs/contract.md state the same facts; a native test fails when an engine changes,
// so the table cannot silently go stale. WebKit cannot run here: its entries are the two
// behaviours known from WebKit's source (see tests/profiles/profiles.js for the sources) and a
// native WebKit run must match one of them.

export type Engine = 'chromium' | 'firefox' | 'webkit';

export interface LocalCloseBehaviour {
  /** readyState of [open, closing, connecting, closed] channels right after close(). */
  after: string[];
  /** Events of a channel that was open, as "type:readyState". */
  openChannelEvents: string[];
  /** Events of a channel in "closing" (dc.close() just called) and of one still connecting. */
  closingChannelEvents: string[];
  connectingChannelEvents: string[];
}

const unchanged = ['open', 'closing', 'connecting', 'closed'];
const allClosed = ['closed', 'closed', 'closed', 'closed'];

export const NATIVE_LOCAL_CLOSE: Record<Engine, LocalCloseBehaviour[]> = {
  chromium: [
    {
      after: unchanged,
      openChannelEvents: ['closing:closing', 'close:closed'],
      closingChannelEvents: ['close:closed'],
      connectingChannelEvents: ['close:closed'],
    },
  ],
  firefox: [
    {
      after: unchanged,
      openChannelEvents: ['close:closed'],
      closingChannelEvents: ['close:closed'],
      connectingChannelEvents: ['close:closed'],
    },
  ],
  webkit: [
    // Before 304859@main: nothing fires and readyState never changes.
    { after: unchanged, openChannelEvents: [], closingChannelEvents: [], connectingChannelEvents: [] },
    // After: closed at once, one close in a queued task.
    {
      after: allClosed,
      openChannelEvents: ['close:closed'],
      closingChannelEvents: ['close:closed'],
      connectingChannelEvents: ['close:closed'],
    },
  ],
};

/** The contract, for comparison: what every engine does with the shim. */
export const CONTRACT_LOCAL_CLOSE: LocalCloseBehaviour = {
  after: allClosed,
  openChannelEvents: ['close:closed'],
  closingChannelEvents: ['close:closed'],
  connectingChannelEvents: ['close:closed'],
};

/**
 * The six session-description getters read right after close(), on a connected pair with an offer
 * of the other side pending ("stable" alone shows the same): each value as "type/sdp-length" or
 * "null", or "throws Name" (issue 15).
 */
export const NATIVE_DESCRIPTIONS_AFTER_CLOSE: Record<Exclude<Engine, 'webkit'>, 'unchanged' | 'throws InvalidStateError'> = {
  chromium: 'unchanged',
  firefox: 'throws InvalidStateError',
};

/**
 * A connection closed with a close() the shim never saw (saved before its script tag, or another
 * realm's), natively: what each channel of it (two created, one received; 20 messages on their way
 * from the other side) fires, and what they read right after that close (tests/behind.spec.ts).
 */
export const NATIVE_BEHIND: Record<Exclude<Engine, 'webkit'>, { events: string[][]; readAfterBehind: string[][] }> = {
  chromium: { events: [['closing:closing', 'close:closed']], readAfterBehind: [['open', 'open', 'open']] },
  firefox: { events: [['close:closed']], readAfterBehind: [['open', 'open', 'open']] },
};

/**
 * The other side's negotiated channels (still connecting) when a connection closes before the SCTP
 * association is up (tests/early-close.spec.ts): Chromium fires nothing, ever (its connection reads
 * connected, the association connecting); Firefox fires `close` on each.
 */
export const NATIVE_EARLY_CLOSE: Record<Exclude<Engine, 'webkit'>, string[][]> = {
  chromium: [['', '', '']],
  firefox: [['close', 'close', 'close']],
};

/**
 * A trusted event stopped with stopImmediatePropagation() and dispatched again once its dispatch
 * is over: the DOM spec unsets the stop flags at the end of a dispatch, so the second dispatch
 * reaches the listeners (Firefox); Chromium keeps them set (cancelBubble still true) and delivers
 * it to no listener. Why the worker's shim fires a copy of an event it held (src/worker/install.ts).
 */
export const NATIVE_REDISPATCH: Record<Exclude<Engine, 'webkit'>, { delivered: number; cancelBubble: boolean }> = {
  chromium: { delivered: 0, cancelBubble: true },
  firefox: { delivered: 1, cancelBubble: false },
};
