// Script-tag entry with every extra: installs with the extras whose boolean attribute the script
// tag carries, present or absent:
//   <script src="webrtc-close-shim.extras.min.js" data-settle-pending-on-close data-stop-tracks-on-close
//           data-release-handlers data-recover-connection-limit data-end-failed-connections>
// data-end-failed-connections="5000" is endFailedConnections({ disconnectedMs: 5000 }); a value that
// is not a whole number of milliseconds throws its TypeError here, and nothing is installed.
import { endFailedConnections, recoverConnectionLimit, releaseHandlers, settlePendingOnClose, stopTracksOnClose } from './extras';
import { autoInstall, currentScript } from './lib/auto-install';

const EXTRAS = { settlePendingOnClose, stopTracksOnClose, releaseHandlers, recoverConnectionLimit, endFailedConnections };

// settlePendingOnClose ← data-settle-pending-on-close, and so on.
const attribute = (key: string) => `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const attributeValue = (key: string) => (currentScript && currentScript.getAttribute(attribute(key))) || '';
const disconnectedMs = attributeValue('endFailedConnections').trim();
autoInstall(
  (Object.keys(EXTRAS) as Array<keyof typeof EXTRAS>)
    .filter((key) => currentScript && currentScript.hasAttribute(attribute(key)))
    .map((key) =>
      key === 'endFailedConnections' && disconnectedMs
        ? // The raw text when it is no number, so that the error shows it.
          endFailedConnections({ disconnectedMs: /^\d+$/.test(disconnectedMs) ? Number(disconnectedMs) : (disconnectedMs as never) })
        : EXTRAS[key],
    ),
);
