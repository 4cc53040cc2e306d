// Nothing fires on a connection once close() has returned, and its channels fire nothing but their
// one `close` (channels.ts): no message, no `open`, `closing`, `error` or `bufferedamountlow`.
//
// webrtc-pc, close the connection: the connection's [[IsClosed]] slot is set and "this does not
// fire any event"; every later task that would fire one checks [[IsClosed]] and aborts, and a
// channel that is not open discards incoming messages. Deviation corrected: Chromium 156 still
// delivers events it had queued before close() (a `datachannel` announced by the remote peer, a
// state change) and messages already received (64 of 200 in one run); Chromium 156 and Firefox ESR
// 153 fire a queued `open` and `bufferedamountlow` after close() (Firefox even after `close`),
// found by tests/stress.spec.ts; Chromium fires `closing` before its `close`.
//
// The shared listeners (tracking.ts) are added when the object is first seen, before the page's,
// so a stopped event reaches neither `on…` handlers nor listeners. `close` is left to channels.ts.

import type { Concern } from '../context';

export const quiet: Concern = ({ registry }) => ({
  connectionEvent: (pc) => registry.connection(pc)!.closed,
  channelEvent: (_dc, event, pc) => event.type !== 'close' && registry.connection(pc)!.closed,
});
