// Replaces members of built-in objects so that they can be put back exactly.
//
// A replaced method or getter keeps the original's `name`, `length` and property attributes
// (ungap/core-js style: writable, configurable, enumerable as the engine defined them). On restore,
// a member that still holds our value gets its original descriptor back; one that other code has
// wrapped since (webrtc-adapter, a page script) is left alone, because restoring it would drop
// their wrapper, and our function inside theirs turns into a pass-through to the original instead.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any method of any interface
type AnyFunction = (this: any, ...args: any[]) => any;

export interface Patcher {
  /** Whether the replacements behave as the shim; false once `restore()` ran. */
  readonly active: boolean;
  /**
   * Replaces the method (`as` "value"), getter ("get") or setter ("set") `obj[key]` with what `make`
   * builds from the original; the replacement gets the original's `name` and `length`.
   */
  replace(obj: object, key: string, as: 'value' | 'get' | 'set', make: (native: AnyFunction) => AnyFunction): void;
  /** Replaces the method `obj[key]`; `impl` receives the original to call through to. */
  method<F extends AnyFunction>(obj: object, key: string, impl: (original: F) => F): void;
  /** Defines `obj[key]` as a data property with `value`, keeping the other attributes. */
  value(obj: object, key: PropertyKey, value: unknown): void;
  /** Runs `undo` with restore(), in reverse order of registration like the members. */
  onRestore(undo: () => void): void;
  /** Puts every member back. */
  restore(): void;
}

export function createPatcher(): Patcher {
  let active = true;
  const undo: Array<() => void> = [];

  function define(obj: object, key: PropertyKey, ours: PropertyDescriptor): void {
    const original = Object.getOwnPropertyDescriptor(obj, key);
    Object.defineProperty(obj, key, ours);
    undo.push(() => {
      const current = Object.getOwnPropertyDescriptor(obj, key);
      if (!current || current.value !== ours.value || current.get !== ours.get || current.set !== ours.set) return;
      if (original) Object.defineProperty(obj, key, original);
      else delete (obj as Record<PropertyKey, unknown>)[key];
    });
  }

  function replace(obj: object, key: string, as: 'value' | 'get' | 'set', make: (native: AnyFunction) => AnyFunction): void {
    const descriptor = Object.getOwnPropertyDescriptor(obj, key);
    const native = descriptor && descriptor[as];
    if (typeof native !== 'function') throw new TypeError(`${key} is not a ${as === 'value' ? 'method' : as + 'ter'} of ${String(obj)}`);
    const replacement = make(native);
    Object.defineProperties(replacement, { name: { value: native.name }, length: { value: native.length } });
    // A fresh object from getOwnPropertyDescriptor(): changing it changes nothing else.
    descriptor![as] = replacement;
    define(obj, key, descriptor!);
  }

  return {
    get active() {
      return active;
    },
    replace,
    method(obj, key, impl) {
      replace(obj, key, 'value', (native) => {
        const replacement = impl(native as never);
        // Method shorthand: not constructible, like a WebIDL operation.
        return {
          [key](this: unknown, ...args: unknown[]) {
            return (active ? replacement : native).apply(this, args);
          },
        }[key];
      });
    },
    value(obj, key, value) {
      define(obj, key, Object.assign({ configurable: true, writable: true }, Object.getOwnPropertyDescriptor(obj, key), { value }));
    },
    onRestore(fn) {
      undo.push(fn);
    },
    restore() {
      active = false;
      while (undo.length) undo.pop()!();
    },
  };
}
