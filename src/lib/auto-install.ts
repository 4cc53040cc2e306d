// What both script-tag builds do when they load: expose window.webrtcCloseShim and install.
import { closed, install, stats, uninstall, version, type Extra } from '../install';

/** The script tag being run, whose data- attributes are options (null in a module or a worker). */
export const currentScript = typeof document === 'object' ? document.currentScript : null;

const api = { install, uninstall, stats, closed, version };

/** `window.webrtcCloseShim`: the module's own functions and version, as the script-tag builds expose them. */
export type ScriptTagApi = typeof api;

export function autoInstall(extras: Extra[]): void {
  if (!globalThis.webrtcCloseShim) globalThis.webrtcCloseShim = api;
  try {
    install({ extras });
  } catch (error) {
    // A hardened page (frozen prototypes): install() changed nothing. Say so, and leave the page
    // working natively; webrtcCloseShim.install() throws the same error for the page to inspect.
    console.warn(String(error));
  }
}
