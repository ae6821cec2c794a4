/**
 * A port whose adapter module — an SDK client and what drives it — is loaded by `await import()` on
 * the port's first call, not at cold start: the function's bundle splits there
 * (infra/constructs/bundling.ts), so an invocation that never touches the port never parses its
 * client. Loaded once per container, as a module-scope client would be; a failed load is tried again
 * by the next call, never kept.
 */
type AsyncPort<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? T[K] : never };

export function onFirstUse<T extends AsyncPort<T>>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  const port = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy({} as T, {
    get: (_, key) => {
      // Not a thenable: `await deps.evidence` must not call a port method named `then`.
      if (key === 'then') return undefined;
      let method = methods.get(key);
      if (!method) {
        method = async (...args: unknown[]) => {
          const target = await port();
          const fn = target[key as keyof T] as (...a: unknown[]) => Promise<unknown>;
          return fn.apply(target, args);
        };
        methods.set(key, method);
      }
      return method;
    },
  });
}
