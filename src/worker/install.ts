// The shim in a dedicated worker: the worker half of the contract for data channels a page
// transferred to it (the page half is src/concerns/workers.ts; what they say, ./protocol.ts).
//
// A worker has RTCDataChannel and no RTCPeerConnection: the connection is the page's, so only the
// page knows when it closes, and tells the worker over a private port (the hello, posted at
// install, carries it). The worker's shim meets a channel when the worker's code first adds a
// listener to it or sets one of its `on…` handlers (addEventListener and the setters are wrapped on
// RTCDataChannel.prototype), and adds its own listeners then, before that first one; it pairs the
// channel with the page's note of the transfer by fingerprint, in order.
//
// When the page says its connection closed (or answers LOCAL), the channel reads "closed" (pinned),
// gets exactly one `close`, the shim's, and nothing more from the engine (no message, open,
// bufferedamountlow, closing, error, nor the engine's own close); then the page is acknowledged.
// A `closing`, `error` or `close` of the engine before that is held and the page asked: LOCAL as
// above; REMOTE (the far side ended the association) the remote rule of lib/announce.ts, `closing`,
// `error`, then one `close`; PASS (the far side closed the channel, or a failed send) the events as
// they were. A channel the worker closes itself (dc.close()), one the page never noted, and
// listeners added through a saved EventTarget method are left to the engine.
//
// A note can come after the engine's events on its channel (separate queues). Once the page's shim
// has answered the hello (WELCOME), such events are held and the page asked to SYNC: every note it
// sent before its answer has then arrived, and a channel still without one was not noted. Before the
// WELCOME (a close before the page took the hello, or a page without the shim) they pass, and a
// channel whose close passed is the engine's: a later note only tells the page that it ended.

import type { ShimContext } from '../context';
import { announce } from '../lib/announce';
import type { Patcher } from '../lib/define';
import type { Dispatcher } from '../lib/dispatch';
import { handlerNames } from '../lib/handlers';
import { pin } from '../lib/pin';
import {
  ACK,
  ANSWER,
  ASK,
  BRAND,
  CLOSED,
  ENDED,
  LOCAL,
  NOTE,
  REMOTE,
  SYNC,
  WELCOME,
  fingerprint,
  sameChannel,
  type Fingerprint,
} from './protocol';

/** What the worker's shim knows of a channel it met. */
interface Met {
  readonly print: Fingerprint;
  /** The page's number for it, once paired. */
  n?: number;
  /** The shim ended it (local or remote close): the engine's events are stopped, but one expected close. */
  ended?: boolean;
  /** After REMOTE before the engine's close: that close is its one. */
  expectClose?: boolean;
  /** Left to the engine: the worker's own dc.close(), a channel the page did not note, or one whose close came first. */
  left?: boolean;
  /** The engine's events held while the page is asked, and the type asked about. */
  held: Event[];
  asked?: string;
  /** A `closing` or `error` of the engine's was passed through. */
  closing?: boolean;
  error?: boolean;
}

/** Whether `scope` is a dedicated worker's global scope. */
export const isDedicatedWorker = (scope: typeof globalThis): boolean =>
  typeof (scope as { importScripts?: unknown }).importScripts === 'function' && typeof scope.postMessage === 'function';

export function installWorker(scope: typeof globalThis, patch: Patcher, dispatcher: Dispatcher): void {
  const proto = scope.RTCDataChannel.prototype;
  const types = handlerNames(proto).map((name) => name.slice(2));
  const ends = types.filter((type) => /^(closing|error|close)$/.test(type));
  const activity = types.filter((type) => ends.indexOf(type) < 0);
  const met = new WeakMap<RTCDataChannel, Met>();
  /** Channels met and notes received, not paired yet, in order. */
  const unpaired: RTCDataChannel[] = [];
  const notes = new Map<number, { print: Fingerprint; closed?: boolean }>();
  const paired = new Map<number, RTCDataChannel>();
  /** The page's shim answered the hello. */
  let welcomed = false;
  /** The channels whose SYNC is under way, in the order sent (the page answers in order). */
  const syncs: RTCDataChannel[] = [];
  const { port1, port2 } = new scope.MessageChannel();
  const send = (message: unknown[]) => port1.postMessage(message);

  /** The end the shim gives a channel its connection closed: read "closed", one close, then the ack. */
  function local(dc: RTCDataChannel): void {
    const state = met.get(dc)!;
    state.held.length = 0;
    if (!state.ended || state.expectClose) {
      state.ended = true;
      state.expectClose = false;
      pin(dc, 'readyState', 'closed');
      dispatcher.fire(dc, 'close');
    }
    paired.delete(state.n!);
    send([ACK, state.n]);
  }

  function pair(dc: RTCDataChannel, n: number, closed?: boolean): void {
    const state = met.get(dc)!;
    state.n = n;
    // The engine's close came first (its one), or the worker's own dc.close() was called; unless
    // the engine's events are held, the page need not wait for it.
    if (state.left && !state.held.length) return send([ENDED, n]);
    paired.set(n, dc);
    // Held while the note was on its way.
    if (state.held.length) send([ASK, n, (state.asked = state.held[0].type)]);
    if (closed) dispatcher.queueTask(() => local(dc));
  }

  /** Stops `event` and asks the page why the engine ended `dc`. */
  function hold(state: Met, event: Event): void {
    event.stopImmediatePropagation();
    if (state.held.push(event) === 1) send([ASK, state.n, (state.asked = event.type)]);
  }

  function onEnd(this: RTCDataChannel, event: Event): void {
    const state = met.get(this)!;
    const { type } = event;
    if (!patch.active || dispatcher.isOwn(event)) return;
    if (state.n === undefined) {
      // Its note may be on its way: held, or (the page's shim not heard from yet) passed, until the
      // page has sent every note.
      if (welcomed && !state.left) {
        event.stopImmediatePropagation();
        if (state.held.push(event) === 1) sync(this);
      } else if (type === 'close') {
        state.left = true;
        sync(this);
      }
    } else if (state.ended) {
      if (type === 'close' && state.expectClose) state.expectClose = false;
      else event.stopImmediatePropagation();
    } else if (state.left || (type === 'close' && state.error)) {
      if (type === 'close') ended(state);
    } else hold(state, event);
  }

  /** Asks the page to answer once it has sent every note (the port keeps order). */
  function sync(dc: RTCDataChannel): void {
    syncs.push(dc);
    send([SYNC]);
  }

  /** The page has sent every note: a channel still without one is the engine's, its events as they were. */
  function synced(): void {
    const dc = syncs.shift()!;
    const i = unpaired.indexOf(dc);
    // Otherwise its note came first (pair() asked the page or told it the channel ended), or it was synced already.
    if (i < 0) return;
    const state = met.get(dc)!;
    state.left = true;
    unpaired.splice(i, 1);
    for (const event of state.held.splice(0)) dispatcher.fire(dc, copy(event));
  }

  /** A channel that ended on its own, as the engine said: the page stops waiting for it. */
  function ended(state: Met): void {
    paired.delete(state.n!);
    send([ENDED, state.n]);
  }

  function onActivity(this: RTCDataChannel, event: Event): void {
    if (met.get(this)!.ended && patch.active) event.stopImmediatePropagation();
  }

  function meet(dc: RTCDataChannel): void {
    if (met.has(dc) || !patch.active) return;
    met.set(dc, { print: fingerprint(dc), held: [] });
    dispatcher.listen(dc, ends, onEnd);
    dispatcher.listen(dc, activity, onActivity);
    for (const [n, note] of notes) {
      if (sameChannel(note.print, fingerprint(dc))) {
        notes.delete(n);
        return pair(dc, n, note.closed);
      }
    }
    unpaired.push(dc);
  }

  /**
   * A held event of the engine's, to fire again: Chromium 156 does not deliver an event object that
   * was stopped once. Its own interface (RTCErrorEvent, with its error), also where the worker does not expose it.
   */
  function copy(event: Event): Event {
    try {
      return new (event.constructor as typeof Event)(event.type, event);
    } catch {
      return new scope.Event(event.type);
    }
  }

  function onAnswer(dc: RTCDataChannel, verdict: number): void {
    const state = met.get(dc)!;
    const held = state.held.splice(0);
    if (verdict === LOCAL) return local(dc);
    if (verdict === REMOTE) {
      paired.delete(state.n!);
      state.ended = state.expectClose = true;
      // The engine's own error where it fired one (its RTCErrorEvent: a worker may not expose the constructor).
      const error = held.find((event) => event.type === 'error');
      announce({ win: scope, dispatcher } as ShimContext, dc, !state.closing, error ? undefined : 'SCTP transport closed');
      if (error) dispatcher.fire(dc, copy(error));
      if (held.some((event) => event.type === 'close')) local(dc);
      return;
    }
    // As the engine fired them; a close that came while a closing or error was asked about is asked about itself.
    for (const event of held) {
      if (event.type === 'close' && state.asked !== 'close' && !state.error) return hold(state, event);
      if (event.type === 'closing') state.closing = true;
      if (event.type === 'error') state.error = true;
      dispatcher.fire(dc, copy(event));
      if (event.type === 'close') ended(state);
    }
  }

  port1.onmessage = ({ data: [kind, n, detail] }: MessageEvent) => {
    const dc = paired.get(n);
    if (kind === WELCOME) welcomed = true;
    else if (kind === SYNC) synced();
    else if (kind === NOTE) {
      const i = unpaired.findIndex(
        (candidate) => sameChannel(detail, met.get(candidate)!.print) || sameChannel(detail, fingerprint(candidate)),
      );
      if (i < 0) notes.set(n, { print: detail });
      else pair(unpaired.splice(i, 1)[0], n);
    } else if (kind === CLOSED) {
      for (const each of n as number[]) {
        const dc = paired.get(each);
        if (dc) local(dc);
        else {
          // Not met yet (no listener on it): it will read closed when met, and nothing was listening.
          if (notes.has(each)) notes.get(each)!.closed = true;
          send([ACK, each]);
        }
      }
    } else if (kind === ANSWER && dc) onAnswer(dc, detail);
  };

  // Meeting a channel: before the worker's first listener or handler on it.
  patch.value(
    proto,
    'addEventListener',
    {
      // Two named parameters: the length of EventTarget's own (2).
      addEventListener(
        this: RTCDataChannel,
        type: string,
        listener: EventListenerOrEventListenerObject | null,
        ...rest: [options?: boolean | AddEventListenerOptions]
      ) {
        meet(this);
        return scope.EventTarget.prototype.addEventListener.call(this, type, listener, ...rest);
      },
    }.addEventListener,
  );
  for (const name of handlerNames(proto)) {
    patch.replace(
      proto,
      name,
      'set',
      (native) =>
        function (this: RTCDataChannel, value: unknown) {
          meet(this);
          native.call(this, value);
        },
    );
  }
  patch.method<RTCDataChannel['close']>(
    proto,
    'close',
    (original) =>
      function (this: RTCDataChannel) {
        const state = met.get(this);
        if (state) state.left = true;
        original.call(this);
      },
  );

  (scope as unknown as { postMessage(message: unknown, transfer: Transferable[]): void }).postMessage({ [BRAND]: 1 }, [port2]);
}
