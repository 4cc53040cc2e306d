// Calls install(): the bundle must contain the shim.
import { install } from 'webrtc-close-shim';

console.log(install());
