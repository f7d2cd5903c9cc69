// The token layer: every animated message is one element from a fixed pool of SVG groups,
// moved by ONE requestAnimationFrame loop (no per-token transitions), so hundreds of tokens
// stay smooth. Token kinds:
//   delivered  travels the whole link, from the sender's port to the receiver's
//   filtered   travels toward the SUB, stops short of it and bursts with an ✕
//   dropped    travels half way, then falls and fades (red)
//   pulse      a ring on the sending port (a `sent` event)

import { family } from "../model/meta.js";
import { endKey } from "../model/topology.js";
import { pointAt, portPos } from "../editor/geometry.js";

const SVGNS = "http://www.w3.org/2000/svg";
const MAX_TOKENS = 600;
const BASE_TRAVEL_MS = 650; // travel time at 1× real time; divided by the speed
const MAX_TRAVEL_MS = 5000;
const PULSE_MS = 520;

const nodeOfKey = (key) => String(key ?? "").slice(0, Math.max(0, String(key ?? "").lastIndexOf(".")));
const ease = (p) => (p < 0.5 ? 2 * p * p : 1 - (-2 * p + 2) ** 2 / 2);

export function createTokenLayer(layer, { bus, canvas, getSpeed }) {
  const root = layer.node();
  const free = [];
  const active = [];
  let bindKeyOf = new Map(); // link id → "node.socket" of its bind end (the curve's t = 0)
  let famOf = new Map();
  let running = false;
  let highlighted = null;
  const lastOn = new Map(); // "link:kind" → start time of its latest token
  const ready = new Map(); // node id → when its latest incoming token lands (performance.now ms)

  function makeEl() {
    const g = document.createElementNS(SVGNS, "g");
    g.setAttribute("class", "token");
    const halo = document.createElementNS(SVGNS, "circle");
    halo.setAttribute("class", "tk-halo");
    halo.setAttribute("r", 9);
    const dot = document.createElementNS(SVGNS, "circle");
    dot.setAttribute("class", "tk-dot");
    dot.setAttribute("r", 6);
    const x = document.createElementNS(SVGNS, "path");
    x.setAttribute("class", "tk-x");
    x.setAttribute("d", "M-4,-4L4,4M4,-4L-4,4");
    g.append(halo, dot, x);
    root.appendChild(g);
    return g;
  }

  function acquire() {
    if (free.length) return free.pop();
    if (active.length + free.length < MAX_TOKENS) return makeEl();
    return null; // pool exhausted: skip drawing this one (counters stay exact regardless)
  }

  function release(tok) {
    tok.el.style.display = "none";
    tok.el.removeAttribute("data-msg");
    free.push(tok.el);
  }

  // Slow motion slows the tokens down too, up to a few seconds per trip.
  function travel() {
    return Math.min(MAX_TRAVEL_MS, BASE_TRAVEL_MS / Math.max(0.05, getSpeed()));
  }

  // Causal timing: tokens take far longer to travel than real messages do, so a node's next
  // token must not leave before the token that triggered it has visibly arrived (a reply
  // after its request, a worker's result after its task). `ready` holds, per node, when its
  // latest incoming token lands. When the display falls behind real time, trips get shorter
  // so the lag cannot grow without bound.
  function causalStart(node, at) {
    const lag = Math.max(0, (ready.get(node) ?? 0) - at);
    const maxLag = travel() * 1.5;
    return { start: at + Math.min(lag, maxLag), squeeze: Math.max(0.35, 1 - lag / (2 * maxLag)) };
  }

  /** Start a token for a delivered / filtered / dropped event at `startAt` (performance.now ms). */
  function launch(ev, at) {
    const fromNode = nodeOfKey(ev.from);
    const { start: startAt, squeeze } = causalStart(fromNode, at);
    // Keep tokens on one link visibly apart: a busy link shows a steady stream, not a clump.
    const gap = travel() / 10;
    const key = `${ev.link}:${ev.ev}`;
    if (startAt - (lastOn.get(key) ?? -Infinity) < gap) return;
    lastOn.set(key, startAt);
    const el = acquire();
    if (!el) return;
    const fwd = bindKeyOf.get(ev.link) === ev.from;
    const dur = travel() * squeeze * (ev.ev === "filtered" ? 1.35 : ev.ev === "dropped" ? 1.2 : 1);
    if (ev.ev === "delivered") {
      const to = nodeOfKey(ev.to);
      ready.set(to, Math.max(ready.get(to) ?? 0, startAt + dur));
    }
    el.setAttribute("class", `token kind-${ev.ev} fam-${famOf.get(ev.link) || "pair"}${highlighted === String(ev.msg) ? " hl" : ""}`);
    el.setAttribute("data-msg", ev.msg);
    el.setAttribute("data-link", ev.link);
    el.setAttribute("data-ev", ev.ev);
    el.style.display = "none";
    active.push({ el, kind: ev.ev, link: ev.link, fwd, start: startAt, dur, msg: String(ev.msg) });
    kick();
  }

  function pulse(ev, at) {
    const startAt = causalStart(ev.node, at).start;
    const node = canvas.nodeIndex.get(ev.node);
    if (!node || !node.sockets.some((s) => s.name === ev.socket)) return;
    // One ring per port at a time: restart it instead of stacking.
    const key = `${ev.node}.${ev.socket}`;
    const existing = active.find((t) => t.kind === "pulse" && t.port === key);
    if (existing) {
      existing.start = startAt;
      return;
    }
    const el = acquire();
    if (!el) return;
    el.setAttribute("class", "token kind-pulse");
    el.style.display = "none";
    active.push({ el, kind: "pulse", port: key, node: ev.node, socket: ev.socket, start: startAt, dur: Math.max(PULSE_MS, travel() * 0.6) });
    kick();
  }

  function frame(now) {
    running = false;
    const curves = canvas.curves;
    // Tokens stay readable when zoomed out: shrink less than the drawing does.
    const zk = Math.min(1.8, Math.max(1, 1 / Math.sqrt(canvas.transform.k)));
    for (let i = active.length - 1; i >= 0; i--) {
      const t = active[i];
      const p = (now - t.start) / t.dur;
      if (p < 0) continue;
      if (p >= 1) {
        release(t);
        active.splice(i, 1);
        continue;
      }
      const el = t.el;
      if (el.style.display === "none") el.style.display = "";
      if (t.kind === "pulse") {
        const n = canvas.nodeIndex.get(t.node);
        if (!n) { t.start = -1e12; continue; }
        const pos = portPos(n, t.socket);
        el.setAttribute("transform", `translate(${pos.x},${pos.y}) scale(${zk * (1 + p * 1.6)})`);
        el.style.opacity = String(0.7 * (1 - p));
        continue;
      }
      const c = curves.get(t.link);
      if (!c) { t.start = -1e12; continue; }
      let u, scale = 1, opacity = 1, dy = 0;
      if (t.kind === "delivered") {
        u = ease(p);
      } else if (t.kind === "filtered") {
        const stop = 0.86;
        if (p < 0.7) u = stop * ease(p / 0.7);
        else {
          u = stop;
          const q = (p - 0.7) / 0.3;
          scale = 1 + q * 1.2;
          opacity = 1 - q * q;
          if (!el.classList.contains("burst")) el.classList.add("burst");
        }
      } else {
        if (p < 0.55) u = 0.5 * ease(p / 0.55);
        else {
          u = 0.5;
          const q = (p - 0.55) / 0.45;
          dy = 40 * q * q;
          opacity = 1 - q;
          if (!el.classList.contains("burst")) el.classList.add("burst");
        }
      }
      const [x, y] = pointAt(c, t.fwd ? u : 1 - u);
      el.setAttribute("transform", `translate(${x},${y + dy}) scale(${scale * zk})`);
      el.style.opacity = String(opacity);
    }
    if (active.length) kick();
  }

  function kick() {
    if (!running) {
      running = true;
      requestAnimationFrame(frame);
    }
  }

  bus.on("canvas:rendered", ({ nodeIndex }) => {
    const doc = canvas.docRef();
    bindKeyOf = new Map(doc.links.map((l) => [l.id, endKey(l.bind)]));
    famOf = new Map(
      doc.links.map((l) => {
        const s = nodeIndex.get(l.bind.node)?.sockets.find((x) => x.name === l.bind.socket);
        return [l.id, s ? family(s.type) : "pair"];
      }),
    );
  });

  // Pointer-down (not click): a moving token is rarely under the pointer on release.
  root.addEventListener("pointerdown", (e) => {
    const g = e.target.closest(".token[data-msg]");
    if (!g) return;
    e.stopPropagation();
    bus.emit("msg:show", { msg: g.getAttribute("data-msg"), link: g.getAttribute("data-link"), ev: g.getAttribute("data-ev") });
  });

  return {
    /** Handle one server batch: schedule tokens at their relative times within the batch. */
    batch(events) {
      const now = performance.now();
      let t0 = null;
      for (const ev of events) {
        if (ev.ev !== "sent" && ev.ev !== "delivered" && ev.ev !== "filtered" && ev.ev !== "dropped") continue;
        if (t0 === null) t0 = ev.t;
        const at = now + Math.min(250, Math.max(0, ev.t - t0));
        if (ev.ev === "sent") pulse(ev, at);
        else if (ev.link) launch(ev, at);
      }
    },
    highlight(msg) {
      highlighted = String(msg);
      for (const t of active) t.el.classList.toggle("hl", t.msg === msg);
    },
    clear() {
      for (const t of active) release(t);
      active.length = 0;
      lastOn.clear();
      ready.clear();
    },
    get activeCount() {
      return active.length;
    },
  };
}
