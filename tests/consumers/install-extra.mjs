// Calls install() with one extra: the bundle must contain that extra and no other.
import { install, settlePendingOnClose } from 'webrtc-close-shim';

console.log(install({ extras: [settlePendingOnClose] }));
