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
import { fingerprint, sameChannel, type Fingerprint } from '../worker/protocol';

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
  if (typeof win.RTCPeerConnection !== 'function') {
    // A dedicated worker that the page's emulation hands channels to (below): loaded with importScripts() before the shim.
    if (typeof win.RTCDataChannel === 'function' && typeof (win as { importScripts?: unknown }).importScripts === 'function')
      emulateWorker(engine);
    return; // no WebRTC here: nothing to emulate
  }
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
  const ownerOf = new WeakMap<RTCDataChannel, RTCPeerConnection>();
  /** Per connection, its channels transferred to workers: the worker's port (or queue) and the channel's number. */
  const transferred = new WeakMap<RTCPeerConnection, Array<[WorkerLink, number]>>();
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
    ownerOf.set(dc, pc);
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
        // Before the engine's close(), so that the worker has it before the engine's own events.
        for (const [link, n] of transferred.get(this) || []) link.send(['closed', n]);
        transferred.delete(this);
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

  // Channels transferred to a dedicated worker (worker.postMessage(dc, [dc])): the worker's copy of
  // the emulation (emulateWorker()) says hello with a port, and is told there which channels left
  // (by fingerprint) and when their connection closed. Its hello never reaches the page's listeners.
  const NativeWorker = (win as { Worker?: typeof Worker }).Worker;
  if (!NativeWorker) return;
  const links = new WeakMap<Worker, WorkerLink>();
  let count = 0;
  patch.value(
    win,
    'Worker',
    new Proxy(NativeWorker, {
      construct(target, args, newTarget) {
        const worker = Reflect.construct(target, args, newTarget) as Worker;
        const link: WorkerLink = {
          queue: [],
          owners: new Map(),
          send: (message) => (link.port ? link.port.postMessage(message) : link.queue.push(message)),
        };
        links.set(worker, link);
        dispatcher.listen(worker, ['message'], (event) => {
          const { data, ports } = event as MessageEvent;
          if (link.port || ports.length !== 1 || !data || Object.keys(data).join() !== HELLO) return;
          event.stopImmediatePropagation();
          link.port = ports[0];
          // The worker saw the engine end a channel before the note of its connection's close: was it closed here?
          link.port.onmessage = ({ data: [, n] }) => {
            const pc = link.owners.get(n);
            link.send(['answer', n, !!pc && (closedConnections.has(pc) || pc.signalingState === 'closed')]);
          };
          link.queue.splice(0).forEach((message) => ports[0].postMessage(message));
        });
        return worker;
      },
    }),
  );
  type PostMessage = (this: Worker, message: unknown, options?: Transferable[] | StructuredSerializeOptions) => void;
  patch.method<PostMessage>(
    NativeWorker.prototype,
    'postMessage',
    (original) =>
      function (this: Worker, ...args) {
        const link = links.get(this);
        const options = args[1];
        const list = Array.isArray(options) ? options : options && options.transfer;
        const leaving = (link && Array.isArray(list) ? list : []).filter((dc) => ownerOf.has(dc as RTCDataChannel)) as RTCDataChannel[];
        const prints = leaving.map(fingerprint);
        original.apply(this, args);
        leaving.forEach((dc, i) => {
          const pc = ownerOf.get(dc)!;
          channelsOf.get(pc)!.delete(dc); // detached: the worker's copy is the channel now
          transferred.set(pc, (transferred.get(pc) || []).concat([[link!, ++count]]));
          link!.owners.set(count, pc);
          link!.send(['note', count, prints[i]]);
        });
      },
  );
}

/** The emulation's hello from a worker: a plain object with this one key, and a port. */
const HELLO = 'webrtc-close-shim/emulate';

interface WorkerLink {
  port?: MessagePort;
  queue: unknown[];
  /** The connection of each channel transferred to the worker, by number. */
  owners: Map<number, RTCPeerConnection>;
  send(message: unknown): void;
}

/**
 * The emulation in a dedicated worker: the transferred channels whose connection the page closed
 * behave as WebKit's (no event and an unchanged readyState before 304859@main; "closed" at once and
 * one `close` later from it on). It meets a channel in the worker's `message` events (the data, or a
 * value of an array or object in it: where a test puts it), before the worker's own listeners.
 */
function emulateWorker(engine: EmulatedEngine): void {
  const scope = globalThis as typeof globalThis & { postMessage(message: unknown, transfer: Transferable[]): void };
  const dispatcher = createDispatcher(scope);
  const patch = createPatcher();
  const proto = scope.RTCDataChannel.prototype;
  const states = new WeakMap<RTCDataChannel, RTCDataChannelState>();
  patch.replace(
    proto,
    'readyState',
    'get',
    (native) =>
      function readyState(this: RTCDataChannel) {
        return states.has(this) ? states.get(this) : native.call(this);
      },
  );
  const cutOff = new WeakSet<RTCDataChannel>();
  /** What each channel read when met, or "open" once it opened: its state before a close. */
  const seen = new WeakMap<RTCDataChannel, RTCDataChannelState>();
  const met: RTCDataChannel[] = [];
  const notes = new Map<number, { print: Fingerprint; closed?: boolean; dc?: RTCDataChannel; held?: Event[]; open?: boolean }>();
  const noteOf = (dc: RTCDataChannel) => Array.from(notes).find(([, note]) => note.dc === dc);
  const close = (dc: RTCDataChannel) => {
    if (cutOff.has(dc)) return;
    // Before 304859@main: what it read before the close, which the engine may have changed by now.
    states.set(dc, engine === 'webkit-trunk' ? 'closed' : seen.get(dc) || dc.readyState);
    cutOff.add(dc);
    if (engine === 'webkit-trunk') dispatcher.queueTask(() => dispatcher.fire(dc, 'close'));
  };
  const pair = () => {
    notes.forEach((note) => {
      if (note.dc) return;
      const i = met.findIndex((dc) => sameChannel(note.print, fingerprint(dc)));
      if (i < 0) return;
      note.dc = met.splice(i, 1)[0];
      if (note.closed) close(note.dc);
    });
  };
  function meet(value: unknown): void {
    if (!(value instanceof scope.RTCDataChannel) || met.indexOf(value) >= 0) return;
    met.push(value);
    seen.set(value, value.readyState);
    dispatcher.listen(value, CHANNEL_STATE_EVENTS, function (this: RTCDataChannel, event) {
      if (!event.isTrusted) return;
      if (event.type === 'open' && !cutOff.has(this)) seen.set(this, 'open');
      if (cutOff.has(this)) return event.stopImmediatePropagation();
      // The engine ended the channel: held until the page says whether its connection was closed
      // (the engine's event can come before the page's note, in Firefox).
      const found = event.type !== 'open' && noteOf(this);
      if (!found || found[1].open) return;
      event.stopImmediatePropagation();
      const held = (found[1].held = found[1].held || []);
      if (held.push(event) === 1) port1.postMessage(['ask', found[0]]);
    });
    pair();
  }
  dispatcher.listen(scope, ['message'], (event) => {
    const data = (event as MessageEvent).data;
    meet(data);
    if (data && typeof data === 'object') Object.keys(data).forEach((key) => meet(data[key]));
  });
  const { port1, port2 } = new scope.MessageChannel();
  port1.onmessage = ({ data: [kind, n, print] }) => {
    if (kind === 'note') notes.set(n, { print });
    else if (kind === 'answer') {
      const note = notes.get(n)!;
      const held = note.held!.splice(0);
      if (print) close(note.dc!);
      else {
        // Not closed by its connection: the engine's events as they were (copies: Chromium does not deliver a stopped event twice).
        note.open = true;
        held.forEach((event) => dispatcher.fire(note.dc!, new (event.constructor as typeof Event)(event.type, event)));
      }
    } else {
      const note = notes.get(n);
      if (note && note.dc) close(note.dc);
      else if (note) note.closed = true;
    }
    pair();
  };
  scope.postMessage({ [HELLO]: 1 }, [port2]);
}
