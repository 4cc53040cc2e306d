// Media tracks when their connection closes: receiver tracks read "ended" at once; with
// `stopTracksOnClose`, the local tracks the connection was sending stop too.
//
// webrtc-pc, close the connection → "stop sending and receiving" → the receiver's track is ended.
// Chromium 156 and Firefox ESR 153 still report "live" right after close(), then end the track
// with exactly one `ended` event a few tasks later. The shim makes readyState read "ended" as soon
// as close() returns and leaves the event to the engine: both engines measured fire exactly one.
// (Stopping the track and firing a synthetic `ended` instead would not work in Firefox ESR 153,
// whose MediaStreamTrack delivers an untrusted event to `onended` but not to its listeners.)
//
// stopTracksOnClose (beyond the spec, off by default): the senders' tracks are read before the
// engine's close() (afterwards sender.track is null) and stopped, unless another open connection
// still sends the same track, so the camera light goes off with the call.

import type { Concern } from '../context';

export const tracks: Concern = ({ win, patch, options }) => {
  const endedByClose = new WeakMap<MediaStreamTrack, 'ended'>();
  /** Open connections, kept only for stopTracksOnClose; an open connection is alive anyway. */
  const open = new Set<RTCPeerConnection>();
  const tracksOf = (senders: RTCRtpSender[]) => senders.map((s) => s.track).filter((t): t is MediaStreamTrack => !!t);

  if (win.MediaStreamTrack) patch.override(win.MediaStreamTrack.prototype, 'readyState', endedByClose);

  return {
    connection(pc) {
      if (options.stopTracksOnClose) open.add(pc);
    },
    close(pc, before) {
      // `before` is read before the engine's close(): afterwards sender.track is null, and Firefox
      // returns no receivers for the stopped transceivers.
      const received = before.getReceivers.map((r) => r.track);
      const sent = options.stopTracksOnClose ? tracksOf(before.getSenders) : [];
      open.delete(pc);
      return () => {
        for (const track of received) endedByClose.set(track, 'ended');
        for (const track of sent) {
          if (!Array.from(open).some((other) => tracksOf(other.getSenders()).includes(track))) track.stop();
        }
      };
    },
  };
};
