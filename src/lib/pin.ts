// What a closed object reads as, pinned on that object.
//
// After close() the shim fixes what a closed object's attribute reads (a channel's readyState, a
// transport's state, a sender's track, …) as an own data property of that object, shadowing the
// engine's getter on the prototype: non-enumerable and non-writable like the getter, configurable.
// The prototypes' getters stay the engine's own, so reading an attribute of an object that is not
// closed (readyState in a send loop) costs exactly what it costs natively, and a frozen prototype
// does not stop the shim. It stays after uninstall(): what it says was true when close() returned.
// An object the page made non-extensible (Object.freeze(dc)) cannot take it: Reflect.defineProperty
// then returns false instead of throwing out of close(), and that object reads what the engine says.

export function pin(obj: object, key: string, value: unknown): void {
  Reflect.defineProperty(obj, key, { value, configurable: true });
}
