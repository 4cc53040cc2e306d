// Test-only engine profiles: make the engine under test behave, for RTCPeerConnection.close(),
// like an engine we cannot run here. Applied in the page before the shim, so the shim sees them
// as "the engine" and takes exactly the code path it would take in that engine. Never shipped.
//
// Sources:
// - safari-before-304859: WebKit before 304859@main (bug 303052, PR #55471, 2025-12-16):
//   RTCPeerConnection::close() stopped the backend, which cut the channels' state updates: no
//   close/closing event and readyState never updated. Remote close: LayoutTests/imported/w3c/
//   web-platform-tests/webrtc/RTCDataChannel-close-expected.txt records close without error and
//   no closing on a remote dc.close().
// - safari-trunk: WebKit after 304859@main: RTCPeerConnection::close() closes each channel,
//   readyState "closed" at once, and one close event in a queued task, no closing.
// - late-close: an engine whose own close event comes long after close() (as WebKit trunk's may:
//   it is queued, not fired from close()); 150 ms is an arbitrary delay, far beyond one task.
// - double-close: an engine that fires close twice (the failure mode the contract rules out).
// - no-connection-state: an engine without RTCPeerConnection.connectionState (older Firefox and
//   Safari releases shipped without it). The shim must neither invent nor break it.
// Chromium's `closing` before `close` and Firefox's sctp.state left "connected" need no profile:
// the real engines here do that.
(function () {
  'use strict';

  function setUp(onClose, readyStateFor, stopEngineEvent) {
    const Native = window.RTCPeerConnection;
    const proto = Native.prototype;
    const channelsOf = new WeakMap();
    const nativeReadyState = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'readyState').get;
    const nativeClose = proto.close;
    const nativeCreate = proto.createDataChannel;

    function guard(event) {
      if (event.isTrusted && stopEngineEvent(this, event)) event.stopImmediatePropagation();
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
      const open = [...(channelsOf.get(this) || [])].filter((dc) => nativeReadyState.call(dc) !== 'closed');
      const before = open.map((dc) => nativeReadyState.call(dc));
      nativeClose.call(this);
      onClose(open, before);
    };
    Object.defineProperty(RTCDataChannel.prototype, 'readyState', {
      get() {
        return readyStateFor(this, () => nativeReadyState.call(this));
      },
      configurable: true,
      enumerable: true,
    });
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
    'safari-before-304859'() {
      const frozen = new WeakMap();
      setUp(
        (open, before) => open.forEach((dc, i) => frozen.set(dc, before[i])),
        (dc, native) => (frozen.has(dc) ? frozen.get(dc) : native()),
        (dc, event) => frozen.has(dc) || event.type === 'error' || event.type === 'closing',
      );
    },
    'safari-trunk'() {
      const closed = new WeakSet();
      setUp(
        (open) => {
          open.forEach((dc) => closed.add(dc));
          setTimeout(() => open.forEach((dc) => dc.dispatchEvent(new Event('close'))));
        },
        (dc, native) => (closed.has(dc) ? 'closed' : native()),
        (dc) => closed.has(dc),
      );
    },
    'late-close'() {
      const late = new WeakSet();
      setUp(
        (open) => {
          open.forEach((dc) => late.add(dc));
          setTimeout(() => open.forEach((dc) => dc.dispatchEvent(new Event('close'))), 150);
        },
        (dc, native) => native(),
        (dc) => late.has(dc),
      );
    },
    'double-close'() {
      const twice = new WeakSet();
      setUp(
        (open) => {
          open.forEach((dc) => twice.add(dc));
          for (const delay of [0, 20]) setTimeout(() => open.forEach((dc) => dc.dispatchEvent(new Event('close'))), delay);
        },
        (dc, native) => native(),
        (dc) => twice.has(dc),
      );
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
