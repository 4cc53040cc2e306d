// Replaces members of built-in objects so that they can be put back exactly.
//
// A replaced method keeps the original's `name`, `length` and property attributes (ungap/core-js
// style: writable, configurable, enumerable as the engine defined it). On restore, a member that
// still holds our value gets its original descriptor back; one that other code has wrapped since
// (webrtc-adapter, a page script) is left alone, because restoring it would drop their wrapper, and
// our function inside theirs turns into a pass-through to the original instead.

type AnyFunction = (this: any, ...args: any[]) => any;

export interface Patcher {
  /** Whether the replacements behave as the shim; false once `restore()` ran. */
  readonly active: boolean;
  /** Replaces the method `obj[key]`; `impl` receives the original to call through to. */
  method<F extends AnyFunction>(obj: object, key: string, impl: (original: F) => F): void;
  /** Replaces the getter of the accessor `obj[key]`, keeping its setter. */
  getter<T>(obj: object, key: string, impl: (original: (this: unknown) => T) => (this: unknown) => T): void;
  /** Defines `obj[key]` as a data property with `value`, keeping the other attributes. */
  value(obj: object, key: PropertyKey, value: unknown): void;
  /** Puts every member back; returns the keys left in place because other code replaced them. */
  restore(): string[];
}

export function createPatcher(): Patcher {
  let active = true;
  const undo: Array<() => string | undefined> = [];

  function record(obj: object, key: PropertyKey, original: PropertyDescriptor | undefined, ours: PropertyDescriptor): void {
    Object.defineProperty(obj, key, ours);
    undo.push(() => {
      const current = Object.getOwnPropertyDescriptor(obj, key);
      const stillOurs =
        current && current.value === ours.value && current.get === ours.get && current.set === ours.set;
      if (!stillOurs) return String(key);
      if (original) Object.defineProperty(obj, key, original);
      else delete (obj as Record<PropertyKey, unknown>)[key];
      return undefined;
    });
  }

  function ownDescriptor(obj: object, key: string): PropertyDescriptor {
    const descriptor = Object.getOwnPropertyDescriptor(obj, key);
    if (!descriptor) throw new TypeError(`webrtc-close-shim: ${String(key)} is not an own property to patch`);
    return descriptor;
  }

  /** Gives `fn` the `name` and `length` of `like`. */
  function mimic<F extends Function>(fn: F, like: Function): F {
    Object.defineProperty(fn, 'name', { value: like.name, configurable: true });
    Object.defineProperty(fn, 'length', { value: like.length, configurable: true });
    return fn;
  }

  return {
    get active() {
      return active;
    },
    method(obj, key, impl) {
      const original = ownDescriptor(obj, key);
      const native = original.value as AnyFunction;
      const replacement = impl(native as never) as AnyFunction;
      // Method shorthand: not constructible, like a WebIDL operation.
      const wrapper = {
        [key](this: unknown, ...args: unknown[]) {
          return (active ? replacement : native).apply(this, args);
        },
      }[key];
      record(obj, key, original, { ...original, value: mimic(wrapper, native) });
    },
    getter(obj, key, impl) {
      const original = ownDescriptor(obj, key);
      const native = original.get as (this: unknown) => never;
      const replacement = impl(native);
      const get = mimic(
        function (this: unknown) {
          return (active ? replacement : native).call(this);
        },
        native,
      );
      record(obj, key, original, { ...original, get });
    },
    value(obj, key, value) {
      const original = Object.getOwnPropertyDescriptor(obj, key);
      record(obj, key, original, {
        configurable: original ? original.configurable : true,
        enumerable: original ? original.enumerable : false,
        writable: original ? original.writable : true,
        value,
      });
    },
    restore() {
      active = false;
      const keptByOthers: string[] = [];
      while (undo.length) {
        const kept = undo.pop()!();
        if (kept) keptByOthers.push(kept);
      }
      return keptByOthers;
    },
  };
}
