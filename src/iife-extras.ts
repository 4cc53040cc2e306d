// Script-tag entry with every extra: installs with the extras whose boolean attribute the script
// tag carries, present or absent:
//   <script src="webrtc-close-shim.extras.min.js" data-settle-pending-on-close data-stop-tracks-on-close
//           data-release-handlers data-recover-connection-limit>
import { recoverConnectionLimit, releaseHandlers, settlePendingOnClose, stopTracksOnClose } from './extras';
import { autoInstall, currentScript } from './lib/auto-install';

const EXTRAS = { settlePendingOnClose, stopTracksOnClose, releaseHandlers, recoverConnectionLimit };

// settlePendingOnClose ← data-settle-pending-on-close, and so on.
const attribute = (key: string) => `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
autoInstall(
  (Object.keys(EXTRAS) as Array<keyof typeof EXTRAS>)
    .filter((key) => currentScript && currentScript.hasAttribute(attribute(key)))
    .map((key) => EXTRAS[key]),
);
