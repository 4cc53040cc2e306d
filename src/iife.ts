// Script-tag entry (the core): installs into the page it is loaded in and exposes
// `window.webrtcCloseShim`. A second copy on the same page finds the first installation and
// changes nothing, and leaves the first copy's global in place.
import { autoInstall, currentScript, type ScriptTagApi } from './lib/auto-install';

// What the script-tag builds add to the page, for TypeScript: rollup-plugin-dts turns this into
// dist/webrtc-close-shim.d.ts, the types of `webrtc-close-shim/iife` and `/iife/extras`.
declare global {
  /** webrtc-close-shim's API, put on the window by its script-tag builds. */
  var webrtcCloseShim: ScriptTagApi;
}

// The extras' attributes belong on webrtc-close-shim.extras.min.js: here they would do nothing.
if (currentScript && currentScript.getAttributeNames().some((name) => /^data-(settle|stop|release|recover|end|close)-/.test(name))) {
  console.warn('webrtc-close-shim: data- options need webrtc-close-shim.extras.min.js; this file has no extras');
}
autoInstall([]);
