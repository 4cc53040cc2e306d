// Imports install() and never calls it: every bundler must leave all of the shim out.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import { install } from 'webrtc-close-shim';

console.log('consumer that never calls install()');
