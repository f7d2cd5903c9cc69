// The postMessage API of an embed (docs/embedding.md). Commands in from the host page:
//   {zpg: 1, op: "start" | "stop" | "pause" | "resume" | "speed", value?: 0.25}
// Events out to it: {zpg: 1, event: "ready" | "started" | "stopped" | "state" | "counts", name, ...}
// A command is obeyed only when it comes from the parent window AND its event.origin is in the
// allow-list given in the embed URL (?origin=https://docs.example.com, or origin=* for any).
// Events go only to the parent, and only when its origin is allowed.

export function createBridge({ allowed = [], name = "", onCommand }) {
  const any = allowed.includes("*");
  const ok = (origin) => any || allowed.includes(origin);
  const framed = window.parent !== window;
  // Where the parent lives: Chromium and WebKit tell us; otherwise the referrer does.
  let parentOrigin = null;
  try {
    parentOrigin = location.ancestorOrigins?.[0] || (document.referrer ? new URL(document.referrer).origin : null);
  } catch {
    parentOrigin = null;
  }
  let ignored = 0;

  window.addEventListener("message", (e) => {
    if (!framed || e.source !== window.parent) return;
    const d = e.data;
    if (!d || typeof d !== "object" || d.zpg !== 1 || typeof d.op !== "string") return;
    if (!ok(e.origin)) {
      ignored++;
      document.body.dataset.ignoredMessages = String(ignored); // visible to tests, harmless
      return;
    }
    onCommand(d);
  });

  return {
    get enabled() {
      return framed && allowed.length > 0;
    },
    post(event, detail = {}) {
      if (!framed || !allowed.length) return;
      const target = any ? parentOrigin || "*" : parentOrigin && ok(parentOrigin) ? parentOrigin : null;
      if (!target) return;
      window.parent.postMessage({ zpg: 1, event, name, ...detail }, target);
    },
  };
}
