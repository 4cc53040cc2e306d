// Nothing fires on a connection once close() has returned, and its channels fire nothing but their
// one `close` (channels.ts): no message, no `open`, no `bufferedamountlow`.
//
// webrtc-pc, close the connection: the connection's [[IsClosed]] slot is set and "this does not
// fire any event"; every later task that would fire one checks [[IsClosed]] and aborts, and a
// channel that is not open discards incoming messages. Deviation corrected: Chromium 156 still
// delivers events it had queued before close() (a `datachannel` announced by the remote peer, a
// state change) and messages already received (64 of 200 in one run); Chromium 156 and Firefox ESR
// 153 fire a queued `open` and `bufferedamountlow` after close() (Firefox even after `close`),
// found by tests/stress.spec.ts.
//
// The guards are added when the connection or channel is first seen, so they run before the
// page's listeners (see tracking.ts), and a stopped event reaches neither `on…` handlers nor
// listeners. `message` is guarded with a single shared function: one WeakMap lookup per message.
// `close` is left to channels.ts, which fires the shim's own.

import type { Concern } from '../context';
import { handlerNames } from '../lib/handlers';

export const quiet: Concern = ({ win, registry, dispatcher }) => {
  const eventsOf = (proto: object) => handlerNames(proto).map((name) => name.slice(2));
  const connectionEvents = eventsOf(win.RTCPeerConnection.prototype);
  const channelEvents = eventsOf(win.RTCDataChannel.prototype).filter((type) => type !== 'close');
  const isClosed = (pc: RTCPeerConnection | undefined) => !!pc && registry.connection(pc)!.closed;

  function stopIfConnectionClosed(this: RTCPeerConnection, event: Event): void {
    if (isClosed(this)) event.stopImmediatePropagation();
  }
  function stopIfChannelsConnectionClosed(this: RTCDataChannel, event: Event): void {
    if (isClosed(registry.owner(this))) event.stopImmediatePropagation();
  }

  return {
    connection(pc) {
      dispatcher.listen(pc, connectionEvents, stopIfConnectionClosed);
    },
    channel(dc) {
      dispatcher.listen(dc, channelEvents, stopIfChannelsConnectionClosed);
    },
  };
};
