// Which connections and channels exist. Wraps the constructor, createDataChannel() and close(),
// adds the shim's one listener per event type to each connection and channel, and calls each
// concern's hooks at those points (a failing constructor goes to the one concern with a
// constructFailed hook, the recoverConnectionLimit extra).
//
// Ordering constraint: events at a target reach listeners in the order they were added (Chromium
// 156 does not run capturing listeners first at the target; Firefox does, hence `capture: true`).
// The shim's listeners must run before the page's, so a connection is registered inside the
// constructor, before the page can add any listener to it, and a channel before it is returned
// or announced. A connection built with a constructor saved before install() is registered at its
// first createDataChannel(); channels it received before that are not known to the shim.
//
// The engine's state is the truth, the registry a cache: code the shim never sees can close a
// connection (a close() saved before install(), another realm's close()). Every path that acts on
// a connection it lists as open (close(), an event of the connection, a channel's closing, error or
// close, the goodbye, closed(pc), stats()) first asks isClosed(), which reads signalingState
// ("closed" at once in every engine) and, for such a connection, runs the close hooks then
// (closeNow(pc, true)): from there the contract holds as after the shim's own close(), except what
// only the call could do.
//
// Cost: one listener per event type per object, shared by every concern (each extra listener costs
// about 6-9 µs per channel in Firefox ESR 153, a third of createDataChannel() itself). A channel's
// events go through every concern, but for `message`, which does only once its connection is
// closed, where quiet.ts stops it: a message of an open connection costs one lookup and one branch.

import type { Hooks, ShimContext } from './context';
import type { ConnectionState } from './registry';
import { handlerNames } from './lib/handlers';

/** Brings the registry's word on a connection in line with the engine's (see isClosed()). */
export type Sync = (pc: RTCPeerConnection) => void;

export function installTracking(ctx: ShimContext, concerns: Hooks[]): Sync {
  const { win, registry, patch, dispatcher } = ctx;
  const Native = win.RTCPeerConnection;
  const proto = Native.prototype;
  const eventsOf = (prototype: object) => handlerNames(prototype).map((name) => name.slice(2));
  const connectionEvents = eventsOf(proto);
  // Every channel event but `message` (the hot path) goes through the concerns and can teach the
  // shim of a close behind its back: also a queued `open` or `bufferedamountlow` the engine delivers
  // after such a close (Chromium 156: a received channel's `open`, tests/behind.spec.ts).
  const channelEvents = eventsOf(win.RTCDataChannel.prototype).filter((type) => type !== 'message');
  const recovering = concerns.find((hooks) => hooks.constructFailed);

  /** The shim's close() of a connection it knows: `late` when the engine has closed it already. */
  let closeNow: (pc: RTCPeerConnection, late: boolean) => void;

  /**
   * Whether the connection is closed, the engine's word first: one the engine closed behind the
   * shim's back is closed as by close() now. After uninstall(), what the registry says.
   */
  function isClosed(state: ConnectionState): boolean {
    if (!state.closed && state.pc.signalingState === 'closed' && patch.active) closeNow(state.pc, true);
    return state.closed;
  }

  // After uninstall() the listeners stay on the objects they were added to, as pass-throughs, but
  // for the connections closed before it: their channels still get exactly one close.
  function onChannelEvent(this: RTCDataChannel, event: Event): void {
    const state = registry.channel(this)!;
    if (!isClosed(state) && !patch.active) return;
    if (concerns.some((hooks) => hooks.channelEvent && hooks.channelEvent(this, event, state.pc))) event.stopImmediatePropagation();
    else if (event.type === 'close') registry.forgetChannel(this);
  }

  /**
   * The message path: nothing to do while the connection is open. It does not ask the engine:
   * signalingState costs about 1.4 µs a read in Firefox ESR 153 (a JS-implemented interface), half a
   * message's own cost; a close behind the shim's back is learnt at the channel's next other
   * event (its close comes after the messages the engine had queued), or at a call.
   */
  function onMessage(this: RTCDataChannel, event: Event): void {
    if (registry.channel(this)!.closed) onChannelEvent.call(this, event);
  }

  function onConnectionEvent(this: RTCPeerConnection, event: Event): void {
    if (!isClosed(registry.connection(this)!) && !patch.active) return;
    if (concerns.some((hooks) => hooks.connectionEvent && hooks.connectionEvent(this, event))) event.stopImmediatePropagation();
    else if (event.type === 'datachannel') onChannel((event as RTCDataChannelEvent).channel, this);
  }

  function onChannel(dc: RTCDataChannel, pc: RTCPeerConnection): void {
    if (registry.channel(dc)) return;
    registry.addChannel(dc, pc);
    dispatcher.listen(dc, channelEvents, onChannelEvent);
    dispatcher.listen(dc, ['message'], onMessage);
  }

  function track(pc: RTCPeerConnection): void {
    if (registry.connection(pc)) return;
    registry.addConnection(pc);
    dispatcher.listen(pc, connectionEvents, onConnectionEvent);
    for (const hooks of concerns) if (hooks.connection) hooks.connection(pc);
  }

  /**
   * For a connection of another realm reached with this realm's method
   * (`RTCPeerConnection.prototype.close.call(iframePc)`), that realm's own method: its shim, if it
   * has one, is the one that knows the connection.
   */
  function otherRealmMethod<K extends 'close' | 'createDataChannel'>(pc: RTCPeerConnection, key: K): RTCPeerConnection[K] | undefined {
    const isOtherRealms = !(pc instanceof Native) && Object.prototype.toString.call(pc) === '[object RTCPeerConnection]';
    return isOtherRealms ? pc[key] : undefined;
  }

  // A proxy of the engine's constructor, so that it reads as the engine's own: name, length,
  // prototype, statics (generateCertificate) as own properties, [[Prototype]] EventTarget, and a
  // Function.prototype.toString() of "[native code]" (WPT's idlharness checks each). Called
  // without `new`, it is the engine's: its own TypeError. Subclasses get their new.target.
  const RTCPeerConnection = new Proxy(Native, {
    construct(target, args, newTarget) {
      const construct = () => Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      if (!patch.active) return construct();
      let pc: RTCPeerConnection;
      try {
        pc = construct();
      } catch (error) {
        if (!recovering) throw error;
        pc = recovering.constructFailed!(error, construct);
      }
      track(pc);
      return pc;
    },
  });

  for (const key of ['RTCPeerConnection', 'webkitRTCPeerConnection']) {
    if ((win as unknown as Record<string, unknown>)[key] === Native) patch.value(win, key, RTCPeerConnection);
  }
  patch.value(proto, 'constructor', RTCPeerConnection);

  patch.method<RTCPeerConnection['createDataChannel']>(
    proto,
    'createDataChannel',
    (original) =>
      function (this: RTCPeerConnection, ...args) {
        const otherRealms = otherRealmMethod(this, 'createDataChannel');
        if (otherRealms) return otherRealms.apply(this, args);
        const dc = original.apply(this, args);
        track(this);
        onChannel(dc, this);
        return dc;
      },
  );

  patch.method<RTCPeerConnection['close']>(proto, 'close', (original) => {
    closeNow = (pc, late) => {
      // getTransceivers() first: in Firefox ESR 153 the first of the three costs most, and least when
      // it is this one (npm run bench, close() breakdown).
      const before = {
        getTransceivers: pc.getTransceivers ? pc.getTransceivers() : [],
        getSenders: pc.getSenders(),
        getReceivers: pc.getReceivers(),
      };
      const after = concerns.map((hooks) => hooks.close && hooks.close(pc, before));
      if (!late) original.call(pc);
      registry.closeConnection(pc);
      for (const then of after) if (then) then();
    };
    return function (this: RTCPeerConnection) {
      const state = registry.connection(this);
      const otherRealms = !state && otherRealmMethod(this, 'close');
      if (otherRealms) return otherRealms.call(this);
      if (!state || isClosed(state)) return original.call(this);
      closeNow(this, false);
    };
  });

  /** Closes every open connection of the window; one that fails is reported and the others still closed. */
  function closeAll(): void {
    for (const pc of registry.open()) {
      try {
        if (!isClosed(registry.connection(pc)!)) closeNow(pc, false);
      } catch (error) {
        dispatcher.report(error);
      }
    }
  }

  // The window's lifecycle (concerns/unload.ts): one listener per installed window, not capturing,
  // so that the page's own listeners added before install() still see the connections open. A
  // page that enters the back/forward cache is frozen right after (Chromium fires `freeze` at the
  // document): what the shim has queued runs first, so that nothing of it fires after `pageshow`,
  // and what that opens (an app that reconnects from onclose) is closed too while a concern asks
  // (closeOnPagehide), for at most ten rounds.
  function onPageHide(event: Event): void {
    // A pagehide the page fired itself (dispatchEvent) is no page going away.
    if (event.isTrusted && concerns.some((hooks) => hooks.pagehide && hooks.pagehide(event as PageTransitionEvent))) closeAll();
  }
  function onFreeze(): void {
    dispatcher.flush();
    for (let round = 0; round < 10 && registry.open().length && concerns.some((hooks) => hooks.freeze && hooks.freeze()); round++) {
      closeAll();
      dispatcher.flush();
    }
  }
  dispatcher.listen(win, ['pagehide'], onPageHide, false);
  dispatcher.listen(win.document, ['freeze'], onFreeze, false);
  patch.onRestore(() => {
    dispatcher.unlisten(win, ['pagehide'], onPageHide, false);
    dispatcher.unlisten(win.document, ['freeze'], onFreeze, false);
  });

  return (pc) => {
    const state = registry.connection(pc);
    if (state) isClosed(state);
  };
}
