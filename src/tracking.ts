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
// Cost: one listener per event type per object, shared by every concern (each extra listener costs
// about 6-9 µs per channel in Firefox ESR 153, a third of createDataChannel() itself). A channel's
// events that can end it (closing, error, close) go through every concern; the others (message,
// open, bufferedamountlow) only once its connection is closed, where quiet.ts stops them: a message
// of an open connection costs one lookup and one branch.

import type { Hooks, ShimContext } from './context';
import { handlerNames } from './lib/handlers';

export function installTracking(ctx: ShimContext, concerns: Hooks[]): void {
  const { win, registry, patch, dispatcher } = ctx;
  const Native = win.RTCPeerConnection;
  const proto = Native.prototype;
  const eventsOf = (prototype: object) => handlerNames(prototype).map((name) => name.slice(2));
  const connectionEvents = eventsOf(proto);
  const ends = /^(closing|error|close)$/;
  const channelEvents = eventsOf(win.RTCDataChannel.prototype);
  const channelEnds = channelEvents.filter((type) => ends.test(type));
  const channelActivity = channelEvents.filter((type) => !ends.test(type));
  const recovering = concerns.find((hooks) => hooks.constructFailed);

  // After uninstall() the listeners stay on the objects they were added to, as pass-throughs.
  function onChannelEvent(this: RTCDataChannel, event: Event): void {
    if (!patch.active) return;
    const { pc } = registry.channel(this)!;
    if (concerns.some((hooks) => hooks.channelEvent && hooks.channelEvent(this, event, pc))) event.stopImmediatePropagation();
    else if (event.type === 'close') registry.forgetChannel(this);
  }

  /** The message path: nothing to do while the connection is open. */
  function onChannelActivity(this: RTCDataChannel, event: Event): void {
    if (registry.channel(this)!.closed) onChannelEvent.call(this, event);
  }

  function onConnectionEvent(this: RTCPeerConnection, event: Event): void {
    if (!patch.active) return;
    if (concerns.some((hooks) => hooks.connectionEvent && hooks.connectionEvent(this, event))) event.stopImmediatePropagation();
    else if (event.type === 'datachannel') onChannel((event as RTCDataChannelEvent).channel, this);
  }

  function onChannel(dc: RTCDataChannel, pc: RTCPeerConnection): void {
    if (registry.channel(dc)) return;
    registry.addChannel(dc, pc);
    dispatcher.listen(dc, channelEnds, onChannelEvent);
    dispatcher.listen(dc, channelActivity, onChannelActivity);
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

  // The constructor keeps the native prototype, statics (generateCertificate) and subclassing.
  const RTCPeerConnection = function RTCPeerConnection(this: unknown, ...args: unknown[]) {
    // Without `new`, the engine throws its own TypeError.
    if (!new.target) return (Native as unknown as (...a: unknown[]) => unknown).apply(this, args);
    const newTarget = new.target;
    const construct = () => Reflect.construct(Native, args, newTarget) as RTCPeerConnection;
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
  };
  Object.defineProperties(RTCPeerConnection, { length: { value: Native.length }, prototype: { value: proto, writable: false } });
  Object.setPrototypeOf(RTCPeerConnection, Native);

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

  /** The shim's close() of a connection it knows and that is open. */
  let closeOpen: (pc: RTCPeerConnection) => void;
  patch.method<RTCPeerConnection['close']>(proto, 'close', (original) => {
    closeOpen = (pc) => {
      // getTransceivers() first: in Firefox ESR 153 the first of the three costs most, and least when
      // it is this one (npm run bench, close() breakdown).
      const before = {
        getTransceivers: pc.getTransceivers ? pc.getTransceivers() : [],
        getSenders: pc.getSenders(),
        getReceivers: pc.getReceivers(),
      };
      const after = concerns.map((hooks) => hooks.close && hooks.close(pc, before));
      original.call(pc);
      registry.closeConnection(pc);
      for (const then of after) if (then) then();
    };
    return function (this: RTCPeerConnection) {
      const state = registry.connection(this);
      const otherRealms = !state && otherRealmMethod(this, 'close');
      if (otherRealms) return otherRealms.call(this);
      if (!state || state.closed) return original.call(this);
      closeOpen(this);
    };
  });

  // The window's lifecycle (concerns/unload.ts): one listener per installed window, not capturing,
  // so that the page's own listeners added before install() still see the connections open. A
  // page that enters the back/forward cache is frozen right after (Chromium fires `freeze` at the
  // document): what the shim has queued runs first, so that nothing of it fires after `pageshow`.
  function onPageHide(event: Event): void {
    // A pagehide the page fired itself (dispatchEvent) is no page going away.
    if (event.isTrusted && concerns.some((hooks) => hooks.pagehide && hooks.pagehide(event as PageTransitionEvent)))
      registry.open().forEach(closeOpen);
  }
  dispatcher.listen(win, ['pagehide'], onPageHide, false);
  dispatcher.listen(win.document, ['freeze'], dispatcher.flush, false);
  patch.onRestore(() => {
    dispatcher.unlisten(win, ['pagehide'], onPageHide, false);
    dispatcher.unlisten(win.document, ['freeze'], dispatcher.flush, false);
  });
}
