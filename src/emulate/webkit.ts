// Engine emulations (docs/emulate.md): loaded before anything else in Chromium or Firefox, they
// make RTCPeerConnection.close() behave as a WebKit revision does, so that a test suite without a
// Mac sees Safari's teardown. They patch the engine's prototypes; a page, and a shim loaded after
// them, take them for the engine. Never part of the shim's own builds.
//
// What WebKit does (Source/WebCore/Modules/mediastream/RTCPeerConnection.cpp, doClose()):
// signaling, ICE connection and connection states read "closed" at once; every transceiver,
// sender and receiver is stopped, and RTCRtpReceiver::stop() ends the track with
// MediaStreamTrack::StopMode::PostEvent ("ended" at once, one `ended` event later); every
// RTCDtlsTransport is closed; pending operations are dropped (m_operations.clear(): they never
// settle). dispatchDataChannelEvent(), updateIceGatheringState(), updateIceConnectionState() and
// updateNegotiationNeededFlag() do nothing once isClosed(): no event on a closed connection.
// The data channels depend on the revision:
// - before 304859@main (bug 303052, PR #55471, 2025-12-16): doClose() leaves them alone and
//   closing the backend cuts their state updates: no event, and readyState never changes;
// - 304859@main and later: doClose() calls RTCDataChannelHandlerClient::peerConnectionIsClosing()
//   for each channel: readyState "closed" at once, one `close` in a queued task, no `closing`.
// Left to the engine (not known, or not about close()): the remote side, messages already queued,
// timing. Chromium and Firefox already match WebKit on states, transceivers and methods.
import { createDispatcher } from '../lib/dispatch';
import { createPatcher } from '../lib/define';
import { handlerNames } from '../lib/handlers';

export type EmulatedEngine = 'safari-before-304859' | 'webkit-trunk';

/** Where the emulation records itself on the window: loading a second one is an error. */
const EMULATING = Symbol.for('webrtc-close-shim/emulate');

/** The channel events that WebKit no longer delivers for a channel its connection closed. */
const CHANNEL_STATE_EVENTS = ['open', 'closing', 'close', 'error'];

/**
 * Patches this window's WebRTC prototypes so that close() behaves as `engine` does. Does nothing
 * without RTCPeerConnection; throws, changing nothing, over another emulation or the shim.
 */
export function emulate(engine: EmulatedEngine): void {
  const win = globalThis as typeof globalThis & { [EMULATING]?: string };
  const where = `webrtc-close-shim/emulate/${engine}`;
  if (typeof win.RTCPeerConnection !== 'function') return; // no WebRTC here: nothing to emulate
  if (win[EMULATING]) throw new Error(`${where}: this page already emulates ${win[EMULATING]}; load one emulation only`);
  if (Symbol.for('webrtc-close-shim') in win) throw new Error(`${where}: load the emulation before webrtc-close-shim, not after it`);
  Object.defineProperty(win, EMULATING, { value: engine });

  const Native = win.RTCPeerConnection;
  const proto = Native.prototype;
  const patch = createPatcher();
  const dispatcher = createDispatcher(win);
  const channelsOf = new WeakMap<RTCPeerConnection, Set<RTCDataChannel>>();
  const closedConnections = new WeakSet<RTCPeerConnection>();
  const cutOff = new WeakSet<RTCDataChannel>(); // channels that get no more state event from the engine
  /** Replaces the getter `obj[key]`: for an object put in `values` it reports that value instead of the engine's. */
  function override<K extends object, V>(obj: object, key: string, values = new WeakMap<K, V>()): WeakMap<K, V> {
    patch.replace(
      obj,
      key,
      'get',
      (native) =>
        ({
          [key](this: K) {
            return values.has(this) ? values.get(this) : native.call(this);
          },
        })[key],
    );
    return values;
  }
  const channelStates = override<RTCDataChannel, RTCDataChannelState>(win.RTCDataChannel.prototype, 'readyState');
  const closedTransports = new WeakMap<object, 'closed'>();
  for (const name of ['RTCSctpTransport', 'RTCDtlsTransport', 'RTCIceTransport']) {
    const Transport = (win as unknown as Record<string, { prototype: object } | undefined>)[name];
    if (Transport && Object.getOwnPropertyDescriptor(Transport.prototype, 'state'))
      override(Transport.prototype, 'state', closedTransports);
  }
  const endedTracks = override<MediaStreamTrack, MediaStreamTrackState>(win.MediaStreamTrack.prototype, 'readyState');

  function stopEngineEvent(this: RTCDataChannel, event: Event): void {
    if (event.isTrusted && cutOff.has(this)) event.stopImmediatePropagation();
  }
  function adopt(pc: RTCPeerConnection, dc: RTCDataChannel): void {
    const channels = channelsOf.get(pc);
    if (!channels) return; // a connection built before the emulation: left to the engine
    channels.add(dc);
    dispatcher.listen(dc, CHANNEL_STATE_EVENTS, stopEngineEvent);
  }
  function onConnectionEvent(this: RTCPeerConnection, event: Event): void {
    if (!event.isTrusted) return;
    if (closedConnections.has(this)) event.stopImmediatePropagation();
    else if (event.type === 'datachannel') adopt(this, (event as RTCDataChannelEvent).channel);
  }

  // Wrapped, not subclassed: the prototype, statics and subclassing stay the engine's.
  const RTCPeerConnection = function RTCPeerConnection(this: unknown, ...args: unknown[]) {
    if (!new.target) return Reflect.apply(Native, this, args); // the engine's own TypeError
    const pc = Reflect.construct(Native, args, new.target) as RTCPeerConnection;
    channelsOf.set(pc, new Set());
    dispatcher.listen(
      pc,
      handlerNames(proto).map((name) => name.slice(2)),
      onConnectionEvent,
    );
    return pc;
  };
  Object.defineProperty(RTCPeerConnection, 'length', { value: Native.length });
  Object.defineProperty(RTCPeerConnection, 'prototype', { value: proto, writable: false });
  Object.setPrototypeOf(RTCPeerConnection, Native);
  patch.value(win, 'RTCPeerConnection', RTCPeerConnection);
  patch.value(proto, 'constructor', RTCPeerConnection);

  patch.method<RTCPeerConnection['createDataChannel']>(
    proto,
    'createDataChannel',
    (original) =>
      function (this: RTCPeerConnection, ...args) {
        const dc = original.apply(this, args);
        adopt(this, dc);
        return dc;
      },
  );

  /** The transports of `pc`, and each one's ICE transport. */
  function transportsOf(pc: RTCPeerConnection): object[] {
    const found: object[] = [];
    const add = (dtls: RTCDtlsTransport | null) => {
      if (dtls) found.push(dtls, dtls.iceTransport);
    };
    if (pc.sctp) {
      found.push(pc.sctp);
      add(pc.sctp.transport);
    }
    for (const transceiver of pc.getTransceivers()) {
      add(transceiver.sender.transport);
      add(transceiver.receiver.transport);
    }
    return found;
  }

  patch.method<RTCPeerConnection['close']>(
    proto,
    'close',
    (original) =>
      function (this: RTCPeerConnection) {
        const channels = channelsOf.get(this);
        if (!channels || closedConnections.has(this)) return original.call(this);
        // Read before the engine's close(): Firefox empties getReceivers() there.
        const open = Array.from(channels).filter((dc) => dc.readyState !== 'closed');
        const before = open.map((dc) => dc.readyState);
        const transports = transportsOf(this);
        const tracks = this.getReceivers().map((receiver) => receiver.track);
        original.call(this);
        closedConnections.add(this);
        channelsOf.set(this, new Set());
        for (const transport of transports) closedTransports.set(transport, 'closed');
        for (const track of tracks) endedTracks.set(track, 'ended');
        open.forEach((dc, i) => {
          cutOff.add(dc);
          channelStates.set(dc, engine === 'webkit-trunk' ? 'closed' : before[i]);
          if (engine === 'webkit-trunk') dispatcher.queueTask(() => dispatcher.fire(dc, 'close'));
        });
      },
  );
}
