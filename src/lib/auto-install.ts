// What both script-tag builds do when they load: expose window.webrtcCloseShim and install.
import { closed, install, stats, uninstall, version, type Extra } from '../install';

/** The script tag being run, whose data- attributes are options (null in a module or a worker). */
export const currentScript = typeof document === 'object' ? document.currentScript : null;

export function autoInstall(extras: Extra[]): void {
  const api = { install, uninstall, stats, closed, version };
  const win = globalThis as typeof globalThis & { webrtcCloseShim?: typeof api };
  if (!win.webrtcCloseShim) win.webrtcCloseShim = api;
  try {
    install({ extras });
  } catch (error) {
    // A hardened page (frozen prototypes): install() changed nothing. Say so, and leave the page
    // working natively; webrtcCloseShim.install() throws the same error for the page to inspect.
    console.warn(String(error));
  }
}
