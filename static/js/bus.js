// A tiny event bus. Event names are "area:verb" (node-red style), e.g. "doc:changed",
// "selection:changed", "run:events", "msg:show". Handlers run synchronously in order.

export function createBus() {
  const handlers = new Map();
  return {
    on(name, fn) {
      if (!handlers.has(name)) handlers.set(name, []);
      handlers.get(name).push(fn);
      return () => this.off(name, fn);
    },
    off(name, fn) {
      const list = handlers.get(name);
      if (list) handlers.set(name, list.filter((f) => f !== fn));
    },
    emit(name, payload) {
      for (const fn of handlers.get(name) || []) {
        try {
          fn(payload);
        } catch (err) {
          // One broken listener must not silence the others; surface it loudly.
          console.error(`bus handler for ${name} failed`, err);
        }
      }
    },
  };
}
