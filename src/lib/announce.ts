// A data channel whose transport closed with an error, announced as closed.
//
// webrtc-pc, "announcing a data channel as closed": readyState becomes "closed", then, if the
// transport was closed with an error, an RTCErrorEvent `error` whose errorDetail is "sctp-failure",
// then `close`. Chromium 156 fires a `closing` first for nearly every channel it closes abruptly
// (58 of 60 in one same-page run, every one with a far side in another process), so the shim
// fires one where the engine did not: the sequence is `closing`, `error`, `close` in every engine.
// The channel is closed by then, so readyState reads "closed" during the shim's `closing` (and a
// handler that closes the connection finds it closed, with its one `close` still to come). The
// error names what the shim saw; it invents no SCTP cause code (sctpCauseCode stays null).
// Where the engine has no RTCErrorEvent, a plain Event named `error` is fired. Used by the remote
// abort (concerns/remote.ts), where the engine's own `error` or `close` follows, and by the
// endFailedConnections extra, which fires `close` itself.

import type { ShimContext } from '../context';
import { pin } from './pin';

/** Makes readyState read "closed", then fires `closing` (if `closing`) and `error` (if `message`). */
export function announce({ win, dispatcher }: ShimContext, dc: RTCDataChannel, closing: boolean, message?: string): void {
  const w = win as typeof win & { RTCErrorEvent?: typeof RTCErrorEvent; RTCError?: typeof RTCError };
  pin(dc, 'readyState', 'closed');
  if (closing) dispatcher.fire(dc, 'closing');
  if (message)
    dispatcher.fire(
      dc,
      w.RTCErrorEvent && w.RTCError
        ? new w.RTCErrorEvent('error', { error: new w.RTCError({ errorDetail: 'sctp-failure' }, message) })
        : 'error',
    );
}
