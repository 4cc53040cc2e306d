// The `on…` event handler attributes an interface defines, read from its prototype (WebIDL
// attributes are enumerable), so the lists follow the engine instead of being written out here.

export function handlerNames(proto: object): string[] {
  return Object.keys(proto).filter((key) => key.startsWith('on'));
}
