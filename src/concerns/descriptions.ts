// The session descriptions stay readable after close().
//
// webrtc-pc: localDescription, remoteDescription and their current/pending variants return the
// connection's [[…Description]] slots, which close() does not clear, and never throw. Deviation
// corrected: Firefox ESR 153 throws InvalidStateError ("Peer connection is closed") from all six
// after close(), which breaks teardown code that logs or saves the last SDP (and the stress
// fixture's polling). The shim reads them just before the engine's close() and returns those
// values afterwards; Chromium 156 already returns the same.

import type { Concern } from '../context';

const GETTERS = [
  'localDescription',
  'remoteDescription',
  'currentLocalDescription',
  'pendingLocalDescription',
  'currentRemoteDescription',
  'pendingRemoteDescription',
];

export const descriptions: Concern = ({ win, patch }) => {
  const proto = win.RTCPeerConnection.prototype;
  const present = GETTERS.filter((key) => Object.getOwnPropertyDescriptor(proto, key));
  const atClose = present.map((key) => patch.override<RTCPeerConnection, RTCSessionDescription | null>(proto, key));
  return {
    close(pc) {
      const values = present.map((key) => (pc as unknown as Record<string, RTCSessionDescription | null>)[key]);
      return () => atClose.forEach((saved, i) => saved.set(pc, values[i]));
    },
  };
};
