// Extra stopTracksOnClose: close() stops the local tracks its senders were sending, unless another
// open connection still sends the same track, so the camera light goes off with the call.
// The senders' tracks are read before the engine's close() (afterwards sender.track is null).

import type { Concern } from '../context';

export const stopTracksOnClose: Concern = () => {
  /** Open connections; an open connection is alive anyway. */
  const open = new Set<RTCPeerConnection>();
  const tracksOf = (senders: RTCRtpSender[]) => senders.map((s) => s.track).filter((t): t is MediaStreamTrack => !!t);

  return {
    connection(pc) {
      open.add(pc);
    },
    close(pc, before) {
      const sent = tracksOf(before.getSenders);
      open.delete(pc);
      return () => {
        for (const track of sent) {
          if (!Array.from(open).some((other) => tracksOf(other.getSenders()).includes(track))) track.stop();
        }
      };
    },
  };
};
