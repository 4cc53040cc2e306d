// Script-tag entry: installs into the page it is loaded in and exposes `window.webrtcCloseShim`.
// A second copy on the same page finds the first installation and changes nothing, and leaves
// the first copy's global in place.
import { install, uninstall, version } from './install';

const api = { install, uninstall, version };
const win = globalThis as typeof globalThis & { webrtcCloseShim?: typeof api };
if (!win.webrtcCloseShim) win.webrtcCloseShim = api;
install();
