// Script-tag entry (the core): installs into the page it is loaded in and exposes
// `window.webrtcCloseShim`. A second copy on the same page finds the first installation and
// changes nothing, and leaves the first copy's global in place.
import { autoInstall, currentScript } from './lib/auto-install';

// The extras' attributes belong on webrtc-close-shim.extras.min.js: here they would do nothing.
if (currentScript && currentScript.getAttributeNames().some((name) => /^data-(settle|stop|release|recover)-/.test(name))) {
  console.warn('webrtc-close-shim: data- options need webrtc-close-shim.extras.min.js; this file has no extras');
}
autoInstall([]);
