// The session descriptions stay readable after close().
//
// webrtc-pc: localDescription, remoteDescription and their current/pending variants return the
// connection's [[…Description]] slots, which close() does not clear, and never throw. Deviation
// corrected: Firefox ESR 153 throws InvalidStateError ("Peer connection is closed") from all six
// after close(), which breaks teardown code that logs or saves the last SDP (and the stress
// fixture's polling). The shim reads them just before the engine's close() and pins those
// values on the connection; Chromium 156 already returns the same.

import type { Concern } from '../context';
import { attributes } from '../lib/handlers';
import { pin } from '../lib/pin';

export const descriptions: Concern = ({ win }) => {
  // The six getters, read from the prototype: the members ending in Description but the two
  // methods, setLocalDescription() and setRemoteDescription().
  const getters = attributes(win.RTCPeerConnection.prototype, /^[^s]\w*Description$/);
  return {
    close(pc) {
      // Closed behind the shim's back: too late to read them (Firefox throws by then), left as they read.
      if (pc.signalingState === 'closed') return;
      const values = getters.map((key) => (pc as unknown as Record<string, RTCSessionDescription | null>)[key]);
      return () => getters.forEach((key, i) => pin(pc, key, values[i]));
    },
  };
};
