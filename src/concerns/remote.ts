// The remote side: when the other peer closes its connection, each channel of the association
// fires `error` and then `close`.
//
// webrtc-pc, "transport closed with an error" (the SCTP association was aborted): fire an
// RTCErrorEvent named `error` whose error is an RTCError "OperationError" with errorDetail
// "sctp-failure", then `close`. Chromium 156 does (sctpCauseCode 12, user-initiated abort).
// Deviations corrected: Firefox ESR 153 fires `closing` then `close`, no `error`; WebKit fires
// `close` only (its WPT expectations for RTCDataChannel-close). Detection is behavioural: a
// channel's trusted `close` with no `error` before it, while its own connection is open but its
// SCTP transport reads "closed", is an aborted association; the shim fires the `error` first.
// Firefox's `closing` before an abort cannot be told from a graceful remote dc.close() when it
// fires (sctp.state is still "connected"), so it stays. Where the engine has no RTCErrorEvent,
// a plain Event named `error` is fired.

import type { Concern } from '../context';

export const remote: Concern = ({ win, registry, dispatcher }) => {
  const errored = new WeakSet<RTCDataChannel>();
  const w = win as typeof win & { RTCErrorEvent?: typeof RTCErrorEvent; RTCError?: typeof RTCError };

  function abortError(): Event {
    if (typeof w.RTCErrorEvent !== 'function' || typeof w.RTCError !== 'function') return new win.Event('error');
    // SCTP cause code 12, "User-Initiated Abort" (RFC 4960), what Chromium reports.
    const error = new w.RTCError({ errorDetail: 'sctp-failure', sctpCauseCode: 12 }, 'Transport channel closed');
    return new w.RTCErrorEvent('error', { error });
  }

  return {
    channelEvent(dc, event, pc) {
      const { type } = event;
      // The type first: this runs for every message.
      if ((type !== 'error' && type !== 'close') || !event.isTrusted || errored.has(dc)) return;
      if (type === 'error') errored.add(dc);
      else if (!registry.connection(pc)!.closed && pc.sctp && pc.sctp.state === 'closed') {
        errored.add(dc);
        dispatcher.fire(dc, abortError());
      }
    },
  };
};
