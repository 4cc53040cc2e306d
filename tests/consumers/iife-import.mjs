// Imports the script-tag build for its side effect ("sideEffects" in package.json lists it): kept.
import 'webrtc-close-shim/iife';
