// Receiver tracks read "ended" as soon as close() returns.
//
// webrtc-pc, close the connection → "stop sending and receiving" → the receiver's track is ended.
// Chromium 156 and Firefox ESR 153 still report "live" right after close(), then end the track
// with exactly one `ended` event a few tasks later. The shim makes readyState read "ended" at once
// and leaves the event to the engine: both engines measured fire exactly one. (Stopping the track
// and firing a synthetic `ended` instead would not work in Firefox ESR 153, whose MediaStreamTrack
// delivers an untrusted event to `onended` but not to its listeners.)

import type { Concern } from '../context';
import { pin } from '../lib/pin';

export const tracks: Concern = () => ({
  close(_pc, before) {
    // Read before the engine's close(). Firefox's getReceivers() leaves out stopped transceivers'
    // receivers, whose tracks it can still report "live" (a transceiver stopped by the remote
    // peer; found by the stress test), so the transceivers' receivers are taken too.
    const receivers = before.getReceivers.concat(before.getTransceivers.map((t) => t.receiver));
    const received = receivers.map((r) => r.track);
    return () => received.forEach((track) => pin(track, 'readyState', 'ended'));
  },
});
