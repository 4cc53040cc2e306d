// The remote side: when the other peer ends the association (an SCTP ABORT, or its transport
// fails), each channel of it fires `closing`, `error` and then `close` (lib/announce.ts).
//
// webrtc-pc, "transport closed with an error": readyState "closed", an RTCErrorEvent `error`
// (errorDetail "sctp-failure"), then `close`. Chromium 156 does, nearly always after a `closing`,
// whatever the other end is (Chromium, Firefox, werift, libwebrtc in Node). Deviations corrected:
// Chromium now and then fires no `closing` (2 channels of 60 in one run); Firefox ESR 153 fires
// `close` only, or `closing` then `close` when the other end resets each stream before its ABORT (a
// Firefox peer), and `close` only when its DTLS transport fails (the peer vanished); WebKit fires
// `close` only (its WPT expectations for RTCDataChannel-close). Detection is behavioural: a trusted
// `error` at a channel that already reads "closed", or a trusted `close` with no `error` before it
// while the connection is open but its SCTP transport reads "closed", ended the channel with an
// error; the shim fires what is missing first. Its error says what it saw, "SCTP transport closed
// (DTLS <state>)": Firefox does not tell an ABORT's cause, so none is claimed. The order across
// channels is the engine's.

import type { Concern } from '../context';
import { announce } from '../lib/announce';

export const remote: Concern = (ctx) => {
  const { registry } = ctx;
  /** The engine's last `closing` or `error` per channel. */
  const seen = new WeakMap<RTCDataChannel, string>();

  return {
    channelEvent(dc, event, pc) {
      const { type } = event;
      // The type first: once the connection is closed, every event of its channels comes here.
      if ((type !== 'closing' && type !== 'error' && type !== 'close') || !event.isTrusted || seen.get(dc) === 'error') return;
      const closing = !seen.has(dc);
      if (type !== 'close') {
        seen.set(dc, type);
        // An error that ends the channel (not a failed send): its `closing` first.
        if (type === 'error' && closing && dc.readyState === 'closed') announce(ctx, dc, true);
      } else if (!registry.connection(pc)!.closed && pc.sctp && pc.sctp.state === 'closed') {
        seen.set(dc, 'error');
        // This close is its one: out of the registry first, so that a `closing` or `error` handler
        // that closes the connection does not give it a second (channels.ts).
        registry.forgetChannel(dc);
        announce(ctx, dc, closing, `SCTP transport closed (DTLS ${pc.sctp.transport.state})`);
      }
    },
  };
};
