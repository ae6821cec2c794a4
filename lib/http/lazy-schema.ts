/**
 * A zod schema built on its first use, not at import: the edge's schemas are module constants
 * (lib/<capability>/web.ts, pages.ts, schemas.ts), and building them all is a large part of a web function's
 * cold start although one request checks one route's. `lazySchema(() => z.object(…))` has the very
 * type of the schema it builds and behaves as it does — every property read, method call and
 * `instanceof` goes to the schema, built once, on the first of them.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const schema = () => {
    built ??= build();
    return built;
  };
  // The target is only a stand-in: every trap answers from the built schema.
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => {
      const target = schema();
      const value = Reflect.get(target, key, target);
      return value;
    },
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
    ownKeys: () => Reflect.ownKeys(schema()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      // A proxy may not report a property as fixed that its stand-in lacks.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
  });
}
