// Test-only engine profiles: make the engine under test behave, for RTCPeerConnection.close(),
// like an engine we cannot run here. Applied in the page before the shim, so the shim sees them
// as "the engine" and takes exactly the code path it would take in that engine. Never shipped.
//
// The two WebKit profiles are the shipped emulations (src/emulate/, docs/emulate.md), which
// tests/server.mjs loads in their place: 'safari-before-304859' is
// dist/emulate/safari-before-304859.js and 'safari-trunk' is dist/emulate/webkit-trunk.js.
//
// Sources:
// - late-close: an engine whose own close event comes long after close() (as WebKit trunk's may:
//   it is queued, not fired from close()); 150 ms is an arbitrary delay, far beyond one task.
// - double-close: an engine that fires close twice (the failure mode the contract rules out).
// - no-connection-state: an engine without RTCPeerConnection.connectionState (older Firefox and
//   Safari releases shipped without it). The shim must neither invent nor break it.
// Chromium's `closing` before `close` and Firefox's sctp.state left "connected" need no profile:
// the real engines here do that.
(function () {
  'use strict';

  /**
   * An engine whose close() leaves the channels' readyState alone and replaces their own `close`
   * (and `closing`, `error`) events by one plain `close` per delay, in ms after close().
   */
  function closeEventsAfter(delays) {
    const Native = window.RTCPeerConnection;
    const proto = Native.prototype;
    const channelsOf = new WeakMap();
    const replaced = new WeakSet();
    const nativeClose = proto.close;
    const nativeCreate = proto.createDataChannel;

    function guard(event) {
      if (event.isTrusted && replaced.has(this)) event.stopImmediatePropagation();
    }
    function adopt(pc, dc) {
      let set = channelsOf.get(pc);
      if (!set) channelsOf.set(pc, (set = new Set()));
      set.add(dc);
      for (const type of ['close', 'closing', 'error']) dc.addEventListener(type, guard, true);
    }
    function Profiled(...args) {
      const pc = Reflect.construct(Native, args, new.target || Profiled);
      pc.addEventListener('datachannel', (e) => adopt(pc, e.channel), true);
      return pc;
    }
    Object.defineProperty(Profiled, 'name', { value: 'RTCPeerConnection' });
    Object.defineProperty(Profiled, 'prototype', { value: proto, writable: false });
    Object.setPrototypeOf(Profiled, Native);
    window.RTCPeerConnection = Profiled;
    proto.createDataChannel = function createDataChannel(...args) {
      const dc = nativeCreate.apply(this, args);
      adopt(this, dc);
      return dc;
    };
    proto.close = function close() {
      const open = [...(channelsOf.get(this) || [])].filter((dc) => dc.readyState !== 'closed');
      nativeClose.call(this);
      open.forEach((dc) => replaced.add(dc));
      for (const delay of delays) setTimeout(() => open.forEach((dc) => dc.dispatchEvent(new Event('close'))), delay);
    };
  }

  const profiles = {
    'no-connection-state'() {
      delete RTCPeerConnection.prototype.connectionState;
      delete RTCPeerConnection.prototype.onconnectionstatechange;
    },
    // A page without WebRTC (Node-like, SSR, a browser built without it).
    'no-webrtc'() {
      for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel']) delete window[name];
    },
    'late-close'() {
      closeEventsAfter([150]);
    },
    'double-close'() {
      closeEventsAfter([0, 20]);
    },
  };

  window.engineProfiles = {
    names: Object.keys(profiles),
    apply(name) {
      if (!profiles[name]) throw new Error(`unknown engine profile ${name}`);
      profiles[name]();
      window.engineProfile = name;
    },
  };
})();
