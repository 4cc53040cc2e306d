// Uses only `version`: the bundle must contain the version string and none of the shim's code.
import { version } from 'webrtc-close-shim';

console.log(version);
