// Data channels the page transferred to a dedicated worker (`worker.postMessage(dc, [dc])`): the
// page half. The worker half is src/worker/install.ts; what they say to each other,
// src/worker/protocol.ts.
//
// A transferred channel lives on in the worker as a new object; the page's object is detached
// (reads "closed", fires nothing). So at the transfer the channel leaves its connection's set
// (channels.ts would otherwise "close" the detached object) and is noted as that worker's, with
// its fingerprint. At close() each transferred channel is told "closed" over the worker shim's
// private port, and closed(pc) waits for the worker's acknowledgement that its one `close` has been
// dispatched (settled(), used by teardown.ts). A worker that was terminated, or that has not said
// hello by then (no shim in it, or not loaded yet), counts as done at once.
//
// The engine's own `closing`, `error` or `close` can reach the worker before the note: the worker
// cannot tell a local close from a remote one, so it holds the event and asks; the page answers from
// the engine's word on the connection (signalingState) and its SCTP transport, as remote.ts does on
// the main thread. A `close` while the transport still reads open is answered at the transport's
// next state change or after REMOTE_WAIT ms (the worker's close can come first: Firefox ESR 153).
//
// The note of a transfer can itself come after the engine's events on that channel (the port is a
// queue of its own): the page WELCOMEs the worker's shim when it takes the hello, and answers the
// worker's SYNC once every earlier note is sent.
//
// Each Worker gets, in its constructor (before the page can add any listener), one capturing
// `message` listener that takes the worker shim's hello off it; nothing else is touched.

import type { Hooks, ShimContext } from '../context';
import { ANSWER, ASK, BRAND, CLOSED, LOCAL, NOTE, PASS, REMOTE, SYNC, WELCOME, fingerprint } from '../worker/protocol';

/** How long a worker's `close` may wait for the page's SCTP transport to say whether it failed. */
const REMOTE_WAIT = 500;

export type Workers = Hooks & { settled(pc: RTCPeerConnection): Promise<unknown> | undefined };

/** A worker as the page's shim sees it. */
interface Place {
  port?: MessagePort;
  /** What to send once the hello has come. */
  queue: unknown[][];
  notes: Map<number, Moved>;
}

/** A channel transferred to a worker, until it has ended there. */
interface Moved {
  readonly pc: RTCPeerConnection;
  readonly place: Place;
  readonly n: number;
  ack?: () => void;
}

type PostMessage = (this: Worker, message: unknown, options?: Transferable[] | StructuredSerializeOptions) => void;

export const workers = ({ win, registry, patch, dispatcher }: ShimContext): Workers => {
  const Native = (win as { Worker?: typeof Worker }).Worker;
  const moved = new WeakMap<RTCPeerConnection, Set<Moved>>();
  const acks = new WeakMap<RTCPeerConnection, Promise<unknown>>();
  const places = new WeakMap<Worker, Place>();
  let count = 0;
  if (!Native) return { settled: () => undefined };

  const send = (place: Place, message: unknown[]) => (place.port ? place.port.postMessage(message) : place.queue.push(message));

  function end(note: Moved): void {
    note.place.notes.delete(note.n);
    moved.get(note.pc)!.delete(note);
    if (note.ack) note.ack();
  }

  function answer(note: Moved, type: string): void {
    const { pc } = note;
    const sctp = pc.sctp;
    let answered = false;
    const decide = () => {
      if (answered) return;
      answered = true;
      if (sctp) dispatcher.unlisten(sctp, ['statechange'], decide);
      const verdict = pc.signalingState === 'closed' ? LOCAL : sctp && sctp.state === 'closed' ? REMOTE : PASS;
      if (verdict === REMOTE || (verdict === PASS && type === 'close')) end(note);
      send(note.place, [ANSWER, note.n, verdict]);
    };
    if (pc.signalingState === 'closed' || type !== 'close' || !sctp || sctp.state === 'closed') return decide();
    dispatcher.listen(sctp, ['statechange'], decide);
    win.setTimeout(decide, REMOTE_WAIT);
  }

  function onHello(this: Worker, hello: Event): void {
    const event = hello as MessageEvent;
    const place = places.get(this)!;
    const data = event.data;
    if (
      place.port ||
      event.ports.length !== 1 ||
      !data ||
      typeof data !== 'object' ||
      Object.keys(data).join() !== BRAND ||
      data[BRAND] !== 1
    )
      return;
    event.stopImmediatePropagation();
    const port = (place.port = event.ports[0]);
    port.onmessage = ({ data: [kind, n, type] }) => {
      const note = place.notes.get(n);
      // Every note before this answer has been sent (the port keeps order).
      if (kind === SYNC) port.postMessage([SYNC]);
      else if (note && kind === ASK) answer(note, type);
      else if (note) end(note);
    };
    port.postMessage([WELCOME]);
    place.queue.splice(0).forEach((message) => port.postMessage(message));
  }

  const Wrapped = new Proxy(Native, {
    construct(target, args, newTarget) {
      const worker = Reflect.construct(target, args, newTarget) as Worker;
      if (patch.active) {
        places.set(worker, { queue: [], notes: new Map() });
        dispatcher.listen(worker, ['message'], onHello);
      }
      return worker;
    },
  });
  patch.value(win, 'Worker', Wrapped);
  patch.value(Native.prototype, 'constructor', Wrapped);

  patch.method<PostMessage>(
    Native.prototype,
    'postMessage',
    (original) =>
      function (this: Worker, ...args) {
        const place = places.get(this);
        const options = args[1];
        // Arrays only: another iterable could be consumed by reading it here.
        const list = Array.isArray(options) ? options : options && options.transfer;
        const leaving = (place && Array.isArray(list) ? list : []).filter((dc) => {
          const state = dc instanceof win.RTCDataChannel && registry.channel(dc);
          return state && !state.closed;
        }) as RTCDataChannel[];
        const prints = leaving.map(fingerprint);
        original.apply(this, args);
        leaving.forEach((dc, i) => {
          const pc = registry.channel(dc)!.pc;
          const note: Moved = { pc, place: place!, n: ++count };
          registry.forgetChannel(dc);
          place!.notes.set(note.n, note);
          moved.set(pc, (moved.get(pc) || new Set()).add(note));
          send(place!, [NOTE, note.n, prints[i]]);
        });
      },
  );

  patch.method<Worker['terminate']>(
    Native.prototype,
    'terminate',
    (original) =>
      function (this: Worker) {
        const place = places.get(this);
        if (place) place.notes.forEach(end);
        original.call(this);
      },
  );

  return {
    settled: (pc) => acks.get(pc),
    close(pc) {
      const set = moved.get(pc);
      if (!set || !set.size) return;
      // One message per worker, so that its channels read closed together.
      const byPlace = new Map<Place, number[]>();
      const waits = Array.from(set, (note) => {
        byPlace.set(note.place, (byPlace.get(note.place) || []).concat(note.n));
        // No hello yet: nothing to wait for, and nothing kept of the connection (what is queued for
        // that worker names channels by number only).
        return new Promise<void>((resolve) => (note.place.port ? (note.ack = resolve) : (end(note), resolve())));
      });
      byPlace.forEach((ns, place) => send(place, [CLOSED, ns]));
      acks.set(pc, Promise.all(waits));
    },
  };
};
