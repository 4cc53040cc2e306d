// Data channels when their connection closes.
//
// webrtc-pc, "close the connection" (RTCPeerConnection.close()): each of the connection's channels
// is closed abruptly; its readyState becomes "closed" at once. Applications (and MDN's example)
// also rely on one `close` event, which Chromium and Firefox fire, so the contract here is:
//   - readyState reads "closed" as soon as close() returns;
//   - exactly one `close` event per channel, no later than the engine's own and at the latest in
//     one task queued by close();
//   - no `closing` or `error` event caused by the local close() (quiet.ts stops every event but
//     `close` on the channels of a closed connection).
// Deviations corrected: Chromium 156 fires `closing` first and reports "open" until then; Firefox
// ESR 153 reports "open" until its event; Safari before WebKit 304859@main fires nothing and never
// updates readyState; WebKit trunk fires `close` in a later task. The engine's own `close` for such
// a channel is stopped and the shim fires its own, so the result does not depend on which of these
// the engine does. The shim's task is queued before the engine's close() runs, ahead of the
// engine's own events (Chromium queues two per channel), and where an engine's `close` still comes
// first, the shim fires its own from inside it, so the page never gets it later than natively.
// Events of a channel that closes on its own (dc.close(), remote close) pass through untouched.

import type { Concern } from '../context';
import { pin } from '../lib/pin';

export const channels: Concern = ({ dispatcher, registry }) => {
  /**
   * Channels closed by close(): true until the shim has fired their close event. One record per
   * channel in the close() call: a weak record costs about 0.1 µs in Firefox ESR 153 (npm run bench).
   */
  const closedByConnection = new WeakMap<RTCDataChannel, boolean>();

  function fireClose(dc: RTCDataChannel): void {
    if (closedByConnection.get(dc)) {
      closedByConnection.set(dc, false);
      dispatcher.fire(dc, 'close');
    }
  }

  return {
    channelEvent(dc, event) {
      if (event.type !== 'close' || !closedByConnection.has(dc) || dispatcher.isOwn(event)) return;
      fireClose(dc);
      return true;
    },
    close(pc) {
      // Every channel whose close the shim has not seen yet, also one that reads closed already: its
      // close is on its way (a close behind the shim's back, learnt at another channel's close), and
      // what the engine fires for it then is stopped like the rest.
      const open = Array.from(registry.connection(pc)!.channels);
      if (!open.length) return;
      // Queued before the engine's close() queues its own events (Chromium queues two per channel),
      // so that it runs first.
      dispatcher.queueTask(() => open.forEach(fireClose));
      return () => {
        for (const dc of open) {
          pin(dc, 'readyState', 'closed');
          closedByConnection.set(dc, true);
        }
      };
    },
  };
};
