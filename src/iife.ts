// Script-tag entry: installs into the page it is loaded in and exposes `window.webrtcCloseShim`.
// Options are boolean attributes of the script tag, present or absent:
//   <script src="webrtc-close-shim.min.js" data-settle-pending-on-close data-stop-tracks-on-close data-release-handlers>
// A second copy on the same page finds the first installation and changes nothing, and leaves
// the first copy's global in place.
import { FLAGS, install, stats, uninstall, version } from './install';

const api = { install, uninstall, stats, version };
const win = globalThis as typeof globalThis & { webrtcCloseShim?: typeof api };
if (!win.webrtcCloseShim) win.webrtcCloseShim = api;
const script = typeof document === 'object' && document.currentScript;
const options: Record<string, boolean> = {};
// settlePendingOnClose ← data-settle-pending-on-close, and so on.
for (const key of FLAGS) options[key] = !!script && script.hasAttribute(`data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
try {
  install(options);
} catch (error) {
  // A hardened page (frozen prototypes): install() changed nothing. Say so, and leave the page
  // working natively; webrtcCloseShim.install() throws the same error for the page to inspect.
  console.warn(String(error));
}
