// Members of an interface read from its prototype (WebIDL attributes are enumerable), so that the
// lists follow the engine instead of being written out here: the `on…` event handler attributes,
// and the session-description getters (concerns/descriptions.ts).

export function attributes(proto: object, name: RegExp): string[] {
  return Object.keys(proto).filter((key) => name.test(key));
}

export const handlerNames = (proto: object): string[] => attributes(proto, /^on/);
