// Senders and receivers of a closed connection.
//
// After close() every transceiver is stopped (currentDirection and direction "stopped"), and
// replaceTrack(), setParameters() and setting direction reject or throw InvalidStateError: all
// engines measured already do that, so nothing here touches it. Two things differ:
//   - sender.track: the spec text keeps it; this shim's contract makes it null, like an
//     unnegotiated sender in Chromium 156 and Firefox ESR 153 (a negotiated one keeps its track in
//     both), so that nothing reached from a closed connection still holds a live camera track.
//   - getSenders()/getReceivers(): the spec leaves out the senders and receivers of stopped
//     transceivers, and Firefox ESR 153 returns []; Chromium 156 returns the same objects as
//     before. The contract keeps the same objects, as getTransceivers() does everywhere.
//   - transceiver.mid: the spec's getter returns [[Mid]], which stopping the transceiver leaves
//     alone (only a rollback clears it), and applications key their records by mid; Chromium 156
//     reads null after close(), Firefox ESR 153 keeps it. The contract keeps it
//     (docs/after-close.md).

import type { BeforeClose, Concern } from '../context';
import { pin } from '../lib/pin';

export const transceivers: Concern = ({ win, patch }) => {
  /** Set only once the connection is closed, so its presence is the test for "closed". */
  const atClose = new WeakMap<RTCPeerConnection, BeforeClose>();

  for (const key of ['getSenders', 'getReceivers'] as const) {
    patch.method<(this: RTCPeerConnection) => Array<RTCRtpSender | RTCRtpReceiver>>(
      win.RTCPeerConnection.prototype,
      key,
      (original) =>
        function (this: RTCPeerConnection) {
          const lists = atClose.get(this);
          return lists ? lists[key].slice() : original.call(this);
        },
    );
  }

  return {
    close(pc, before) {
      // Read before the engine's close(), which may clear them. Firefox's getSenders() leaves out
      // stopped transceivers' senders, which can still hold a track (found by the stress test), so
      // the transceivers' are taken too.
      const transceivers = before.getTransceivers;
      const mids = transceivers.map((t) => t.mid);
      const senders = before.getSenders.concat(transceivers.map((t) => t.sender));
      return () => {
        atClose.set(pc, before);
        for (const sender of senders) pin(sender, 'track', null);
        transceivers.forEach((t, i) => pin(t, 'mid', mids[i]));
      };
    },
  };
};
