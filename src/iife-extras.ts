// Script-tag entry with every extra: installs with the extras whose attribute the script tag carries:
//   <script src="webrtc-close-shim.extras.min.js" data-settle-pending-on-close data-stop-tracks-on-close
//           data-release-handlers data-recover-connection-limit data-end-failed-connections
//           data-close-on-pagehide>
// data-end-failed-connections="5000" is endFailedConnections({ disconnectedMs: 5000 }); the others
// are boolean attributes, present with no value (or their own name, or "true"). Any other value
// (data-close-on-pagehide="false", say) throws its TypeError here, and nothing is installed: a
// misread option should be loud.
// Every extra the package exports, by its export name.
import * as EXTRAS from './extras';
import { autoInstall, currentScript } from './lib/auto-install';
import { typeError } from './lib/type-error';

// settlePendingOnClose ← data-settle-pending-on-close, and so on.
const attribute = (key: string) => `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function extraOf(key: keyof typeof EXTRAS, value: string) {
  if (key === 'endFailedConnections')
    // The raw text when it is no number, so that the error shows it.
    return value ? EXTRAS.endFailedConnections({ disconnectedMs: /^\d+$/.test(value) ? Number(value) : (value as never) }) : EXTRAS[key];
  if (!['', 'true', attribute(key)].includes(value.toLowerCase()))
    throw typeError(`${attribute(key)} is a boolean attribute: present with no value turns ${key} on; got "${value}"`);
  return EXTRAS[key];
}

autoInstall(
  (Object.keys(EXTRAS) as Array<keyof typeof EXTRAS>)
    .filter((key) => currentScript && currentScript.hasAttribute(attribute(key)))
    .map((key) => extraOf(key, currentScript!.getAttribute(attribute(key))!.trim())),
);
