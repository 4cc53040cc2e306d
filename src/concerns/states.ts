// Transport states read "closed" as soon as close() returns, and iceGatheringState stops changing.
//
// webrtc-pc, close the connection: set the RTCSctpTransport's state to "closed", and for every
// RTCDtlsTransport (and its RTCIceTransport) set the state to "closed", synchronously and without
// events. signalingState, iceConnectionState and connectionState are already "closed" at once in
// every engine known (measured in Chromium 156 and Firefox ESR 153; WebKit's doClose() sets them),
// so they are left alone, as is a missing connectionState. Deviation corrected: Firefox ESR 153
// reports sctp.state "connected" after close().

import type { Concern } from '../context';
import { pin } from '../lib/pin';

/** An SCTP, DTLS or ICE transport: each leads to the one beneath it. */
type Transport = object & { transport?: object | null; iceTransport?: object | null };

/** Marks a DTLS or SCTP transport and the transports beneath it closed. */
function closeTransport(transport: Transport | null | undefined): void {
  for (let t = transport; t; t = (t.transport || t.iceTransport) as Transport | null | undefined)
    if ('state' in t) pin(t, 'state', 'closed');
}

export const states: Concern = () => ({
  close(pc, before) {
    // Read before the engine's close(): afterwards an engine may return null transports.
    const transports: Array<Transport | null | undefined> = [pc.sctp];
    // Older engines have no sender.transport: undefined is skipped.
    for (const t of before.getTransceivers) transports.push(t.sender.transport, t.receiver.transport);
    const gathering = pc.iceGatheringState;
    return () => {
      pin(pc, 'iceGatheringState', gathering);
      transports.forEach(closeTransport);
    };
  },
});
