// Which connections and channels exist. Wraps the constructor, createDataChannel() and close(),
// and calls each concern's hooks at those points (a failing constructor goes to the one concern
// with a constructFailed hook, limit.ts).
//
// Ordering constraint: events at a target reach listeners in the order they were added (Chromium
// 156 does not run capturing listeners first at the target; Firefox does, hence `capture: true`).
// The shim's listeners must run before the page's, so a connection is registered inside the
// constructor, before the page can add any listener to it, and a channel before it is returned
// or announced. A connection built with a constructor saved before install() is registered at its
// first createDataChannel(); channels it received before that are not known to the shim.

import type { Hooks, ShimContext } from './context';

export function installTracking(ctx: ShimContext, concerns: Hooks[]): void {
  const { win, registry, patch, dispatcher } = ctx;
  const Native = win.RTCPeerConnection;
  const proto = Native.prototype;
  const recovering = concerns.find((hooks) => hooks.constructFailed);
  const recover = recovering && recovering.constructFailed;

  function onChannel(dc: RTCDataChannel, pc: RTCPeerConnection): void {
    if (registry.owner(dc)) return;
    registry.addChannel(dc, pc);
    dispatcher.listen(dc, ['close'], forgetOnClose);
    for (const hooks of concerns) if (hooks.channel) hooks.channel(dc, pc);
  }

  function forgetOnClose(this: RTCDataChannel): void {
    registry.forgetChannel(this);
  }

  function onDataChannel(this: RTCPeerConnection, event: Event): void {
    onChannel((event as RTCDataChannelEvent).channel, this);
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

  function track(pc: RTCPeerConnection): void {
    if (registry.connection(pc)) return;
    registry.addConnection(pc);
    dispatcher.listen(pc, ['datachannel'], onDataChannel);
    for (const hooks of concerns) if (hooks.connection) hooks.connection(pc);
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
      if (!recover) throw error;
      pc = recover(error, construct);
    }
    track(pc);
    return pc;
  };
  Object.defineProperty(RTCPeerConnection, 'length', { value: Native.length });
  Object.defineProperty(RTCPeerConnection, 'prototype', { value: proto, writable: false });
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

  patch.method<RTCPeerConnection['close']>(
    proto,
    'close',
    (original) =>
      function (this: RTCPeerConnection) {
        const state = registry.connection(this);
        const otherRealms = !state && otherRealmMethod(this, 'close');
        if (otherRealms) return otherRealms.call(this);
        if (!state || state.closed) return original.call(this);
        const after: Array<() => void> = [];
        const before = { getSenders: this.getSenders(), getReceivers: this.getReceivers() };
        for (const hooks of concerns) {
          const then = hooks.close && hooks.close(this, before);
          if (then) after.push(then);
        }
        original.call(this);
        state.closed = true;
        state.channels.clear();
        for (const then of after) then();
      },
  );
}
