// Transport states read "closed" as soon as close() returns, and iceGatheringState stops changing.
//
// webrtc-pc, close the connection: set the RTCSctpTransport's state to "closed", and for every
// RTCDtlsTransport (and its RTCIceTransport) set the state to "closed", synchronously and without
// events. signalingState, iceConnectionState and connectionState are already "closed" at once in
// every engine known (measured in Chromium 156 and Firefox ESR 153; WebKit's doClose() sets them),
// so they are left alone, as is a missing connectionState. Deviation corrected: Firefox ESR 153
// reports sctp.state "connected" after close().

import type { Concern } from '../context';

const TRANSPORTS = ['RTCSctpTransport', 'RTCDtlsTransport', 'RTCIceTransport'];

/** An SCTP, DTLS or ICE transport: each leads to the one beneath it. */
type Transport = object & { transport?: object | null; iceTransport?: object | null };

export const states: Concern = ({ win, patch }) => {
  const closedTransports = new WeakMap<Transport, 'closed'>();
  const gatheringAtClose = patch.override<RTCPeerConnection, RTCIceGatheringState>(win.RTCPeerConnection.prototype, 'iceGatheringState');

  for (const name of TRANSPORTS) {
    const ctor = (win as unknown as Record<string, { prototype: object } | undefined>)[name];
    if (ctor && Object.getOwnPropertyDescriptor(ctor.prototype, 'state')) patch.override(ctor.prototype, 'state', closedTransports);
  }

  /** Marks a DTLS or SCTP transport and the transports beneath it closed. */
  function closeTransport(transport: Transport | null | undefined): void {
    for (let t = transport; t; t = (t.transport || t.iceTransport) as Transport | null | undefined) closedTransports.set(t, 'closed');
  }

  return {
    close(pc, before) {
      // Read before the engine's close(): afterwards an engine may return null transports.
      const transports: Array<Transport | null | undefined> = [pc.sctp];
      // Older engines have no sender.transport: undefined is skipped.
      for (const t of before.getTransceivers) transports.push(t.sender.transport, t.receiver.transport);
      const gathering = pc.iceGatheringState;
      return () => {
        gatheringAtClose.set(pc, gathering);
        transports.forEach(closeTransport);
      };
    },
  };
};
