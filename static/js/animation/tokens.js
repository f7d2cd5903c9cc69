// The token layer: every animated message is a token drawn on a <canvas> laid over the SVG
// canvas (not an SVG element: moving hundreds of elements made Chromium repaint the whole big
// SVG every frame). ONE requestAnimationFrame loop moves and draws them all, and runs only
// while tokens are active. Token kinds:
//   delivered  travels the whole link, from the sender's port to the receiver's
//   filtered   appears at the publisher's port on the link to the SUB that did not match, a dot
//              with a cross, and bursts there with an ✕ naming that SUB (libzmq's PUB filters
//              before sending: nothing travels the link)
//   dropped    a red dot with a bar across its link: travels half way, then falls and fades, its
//              bar left on the link
//   pulse      a ring on the sending port (a `sent` event)
// Clicking a token (pointer-down, hit-tested here, handled in token-pointer.js) shows its message
// (bus "msg:show"). The canvas lies between the SVG of nodes and links and the SVG of counters
// (editor/canvas.js). How a token moves and looks: token-draw.js; its colours come from CSS
// custom properties on the canvas host, read once and again when the theme or language changes.
// Tokens move on the page's own clock (token-clock.js): setPaused(true) freezes every token where
// it is, step() lets the next message's tokens travel their hop. Labels (token-label.js) are
// drawn when switched on.

import { family } from "../model/meta.js";
import { endKey } from "../model/topology.js";
import { onLangChange } from "../i18n.js";
import { circles, colourOf, DOT_R, drawLabel, drawOne, HALO_R, HIT_R, labelText, placeToken, PULSE_R, readColours } from "./token-draw.js";
import { labelOf } from "./token-label.js";
import { createTokenClock } from "./token-clock.js";
import { attachTokenPointer } from "./token-pointer.js";

const MAX_TOKENS = 600;
const BASE_TRAVEL_MS = 650; // travel time at 1× real time; divided by the speed
const MAX_TRAVEL_MS = 5000;
const PULSE_MS = 520;

const nodeOfKey = (key) => String(key ?? "").slice(0, Math.max(0, String(key ?? "").lastIndexOf(".")));

/** `layer`: a d3 selection of the <canvas> element laid over the SVG (editor/canvas.js). */
export function createTokenLayer(layer, { bus, canvas, getSpeed, messages = null }) {
  const el = layer.node();
  const host = el.parentNode;
  const ctx2d = el.getContext("2d");
  const free = []; // recycled token objects
  const active = []; // tokens waiting to start or moving, in launch order
  const drawn = []; // the tokens of the last frame, in drawing order (hit tests, snapshot)
  const pulses = new Map(); // "node.socket" → its active pulse token
  let bindKeyOf = new Map(); // link id → "node.socket" of its bind end (the curve's t = 0)
  let famOf = new Map();
  let running = false;
  let dirty = false; // something is drawn on the canvas
  let highlighted = null;
  let lastView = { x: 0, y: 0, k: 1 }; // the transform of the last drawn frame
  const lastOn = new Map(); // "link:kind" → start time of its latest token
  const ready = new Map(); // node id → when its latest incoming token lands (clock ms)
  let labels = false;

  const clock = createTokenClock();
  let drawnKey = "";

  // --- colours ---------------------------------------------------------------------------
  let col = {};
  function resolveColours() {
    col = readColours(host);
    kick();
  }
  resolveColours();
  new MutationObserver(resolveColours).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  onLangChange(resolveColours);

  // --- size ------------------------------------------------------------------------------
  let dpr = 1, cssW = 0, cssH = 0;
  function resize() {
    dpr = window.devicePixelRatio || 1;
    cssW = host.clientWidth;
    cssH = host.clientHeight;
    const w = Math.max(1, Math.round(cssW * dpr)), h = Math.max(1, Math.round(cssH * dpr));
    if (el.width !== w || el.height !== h) {
      el.width = w; // also clears it
      el.height = h;
      dirty = false;
      kick(); // redraw what is in flight at once
    }
  }
  resize();
  if (typeof ResizeObserver === "function") new ResizeObserver(resize).observe(host);
  else window.addEventListener("resize", resize);

  // --- the pool --------------------------------------------------------------------------
  function acquire() {
    if (active.length >= MAX_TOKENS) return null; // skip drawing this one (counters stay exact)
    const t = free.pop() || {};
    t.x = t.y = t.r = 0;
    t.shown = false;
    return t;
  }

  function release(t) {
    if (t.kind === "pulse" && pulses.get(t.port) === t) pulses.delete(t.port);
    t.msg = t.link = t.port = t.node = t.socket = null;
    t.shown = false;
    free.push(t);
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

  // What a token says (token-label.js): from the sender's own frames when the page has them.
  function labelFor(ev) {
    const sent = messages?.get(ev.msg)?.sent;
    const typeOf = (key) => {
      const n = canvas.nodeIndex.get(nodeOfKey(key));
      return n?.sockets.find((x) => x.name === String(key).slice(String(key).lastIndexOf(".") + 1))?.type;
    };
    if (sent?.frames) return labelOf(sent.frames, typeOf(`${sent.node}.${sent.socket}`) === "ROUTER");
    if (ev.ev === "filtered") return ev.topic === undefined ? "" : labelOf([ev.topic]);
    return labelOf(ev.frames, typeOf(ev.to) === "ROUTER" || typeOf(ev.from) === "ROUTER");
  }

  /** Start a token for a delivered / filtered / dropped event at `startAt` (clock ms). */
  function launch(ev, at) {
    const fromNode = nodeOfKey(ev.from);
    const { start: startAt, squeeze } = causalStart(fromNode, at);
    // Keep tokens on one link visibly apart: a busy link shows a steady stream, not a clump.
    const gap = travel() / 10;
    const key = `${ev.link}:${ev.ev}`;
    if (startAt - (lastOn.get(key) ?? -Infinity) < gap) return;
    lastOn.set(key, startAt);
    const t = acquire();
    if (!t) return;
    const dur = travel() * squeeze * (ev.ev === "filtered" ? 1.35 : ev.ev === "dropped" ? 1.2 : 1);
    if (ev.ev === "delivered") {
      const to = nodeOfKey(ev.to);
      ready.set(to, Math.max(ready.get(to) ?? 0, startAt + dur));
    }
    t.kind = ev.ev;
    t.link = String(ev.link);
    t.msg = String(ev.msg);
    t.fam = famOf.get(t.link) || "pair";
    t.fwd = bindKeyOf.get(t.link) === ev.from;
    t.start = startAt;
    t.dur = dur;
    t.to = nodeOfKey(ev.to);
    t.label = labelFor(ev);
    clock.extendStep(startAt + dur); // a step shows it whole
    active.push(t);
    kick();
  }

  function pulse(ev, at) {
    const startAt = causalStart(ev.node, at).start;
    const node = canvas.nodeIndex.get(ev.node);
    if (!node || !node.sockets.some((s) => s.name === ev.socket)) return;
    // One ring per port at a time: restart it instead of stacking.
    const key = `${ev.node}.${ev.socket}`;
    const existing = pulses.get(key);
    if (existing) {
      existing.start = startAt;
      return;
    }
    const t = acquire();
    if (!t) return;
    t.kind = "pulse";
    t.port = key;
    t.node = ev.node;
    t.socket = ev.socket;
    t.start = startAt;
    t.dur = Math.max(PULSE_MS, travel() * 0.6);
    active.push(t);
    pulses.set(key, t);
    kick();
  }

  // --- one frame -------------------------------------------------------------------------
  // Positions first (each token gets x, y, scale s, opacity a, colour key), then drawing in a
  // few batches: moving tokens at full opacity share one path per colour for their halos and
  // one for their dots; fading ones (bursts, falls, pulses) are drawn one by one.
  const batches = new Map(); // colour key → tokens
  const single = [];
  const marked = new Set(); // links whose filtered mark is drawn in this frame

  function frame() {
    running = false;
    if (window.devicePixelRatio !== dpr) resize();
    const now = clock.tick();
    const view = canvas.transform;
    const k = view.k;
    // Frozen and nothing changed (view, size, highlight, labels): keep what is drawn.
    const key = !clock.frozen ? "" : `${now}|${view.x}|${view.y}|${k}|${el.width}|${el.height}|${highlighted}|${labels}|${active.length}`;
    if (key && key === drawnKey) {
      if (active.length) kick();
      return;
    }
    drawnKey = key;
    // Tokens stay readable when zoomed out: shrink less than the drawing does.
    const zk = Math.min(1.8, Math.max(1, 1 / Math.sqrt(k)));
    // What is in view, in canvas units (with room for the largest token).
    const pad = HALO_R * 2.2 * zk + 40;
    const x0 = -view.x / k - pad, y0 = -view.y / k - pad;
    const x1 = (cssW - view.x) / k + pad, y1 = (cssH - view.y) / k + pad;

    drawn.length = 0;
    for (const list of batches.values()) list.length = 0;
    single.length = 0;
    let w = 0;
    for (let i = 0; i < active.length; i++) {
      const t = active[i];
      const p = (now - t.start) / t.dur;
      if (p >= 1 || (p >= 0 && !placeToken(t, now, zk, canvas))) {
        release(t);
        continue;
      }
      active[w++] = t;
      t.shown = false;
      if (p < 0) continue;
      if (t.x < x0 || t.x > x1 || t.y < y0 || t.y > y1) continue; // off screen
      t.shown = true;
      // only plain dots are batched: a filtered or dropped token carries its shape (drawOne)
      if (t.kind === "delivered" && t.a >= 1 && t.s === zk && t.msg !== highlighted) {
        const key = colourOf(t, col);
        let list = batches.get(key);
        if (!list) batches.set(key, (list = []));
        list.push(t);
      } else single.push(t);
    }
    active.length = w;

    const g = ctx2d;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.globalAlpha = 1;
    g.clearRect(0, 0, el.width, el.height);
    g.setTransform(dpr * k, 0, 0, dpr * k, dpr * view.x, dpr * view.y);
    lastView = { x: view.x, y: view.y, k };
    // halos of the moving tokens, one path per colour
    g.globalAlpha = 0.16;
    circles(g, batches, HALO_R * zk, false);
    // their dots, white-edged
    g.globalAlpha = 1;
    g.strokeStyle = col.stroke;
    g.lineWidth = 1.6 * zk;
    circles(g, batches, DOT_R * zk, true);
    for (const list of batches.values()) for (const t of list) drawn.push(t);
    // fading, bursting, highlighted tokens and pulse rings on top, one by one
    for (const t of single) {
      drawOne(g, t, col, highlighted);
      drawn.push(t);
    }
    // labels over every dot: a filtered token's names its SUB (one mark per link, the newest:
    // marks of one link are written at the same place); the others when labels are on
    marked.clear();
    for (let i = drawn.length - 1; i >= 0; i--) {
      const t = drawn[i];
      if (t.kind === "pulse" || (t.kind === "filtered" && marked.has(t.link))) continue;
      if (t.kind === "filtered") marked.add(t.link);
      const text = labelText(t, labels);
      if (text) drawLabel(g, t, text, col);
    }
    g.globalAlpha = 1;
    dirty = drawn.length > 0;

    if (active.length) kick();
    else {
      drawn.length = 0;
      host.classList.remove("tk-hover");
    }
  }

  function kick() {
    if (!running && (active.length || dirty || clock.stepping)) {
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

  // --- pointer: hit tests on the drawn tokens ----------------------------------------------
  /** The topmost token drawn under a client point (pulse rings are not clickable), or null. */
  function tokenAt(clientX, clientY) {
    if (!drawn.length) return null;
    const r = host.getBoundingClientRect();
    const v = lastView;
    const x = (clientX - r.left - v.x) / v.k, y = (clientY - r.top - v.y) / v.k;
    for (let i = drawn.length - 1; i >= 0; i--) {
      const t = drawn[i];
      if (t.kind === "pulse" || !t.shown) continue;
      const rr = HIT_R * t.s;
      const dx = t.x - x, dy = t.y - y;
      if (dx * dx + dy * dy <= rr * rr) return t;
    }
    return null;
  }

  attachTokenPointer(host, bus, tokenAt);

  return {
    /** Handle one server batch: schedule tokens at their relative times within the batch. */
    batch(events) {
      const now = clock.now();
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
      highlighted = msg == null ? null : String(msg);
      kick();
    },
    /** The run paused (true) or went on (false): the tokens freeze where they are / move on. */
    setPaused(on) {
      clock.setPaused(on);
      kick();
    },
    /** One step while paused: the clock runs until the next message's tokens have landed (or
     *  one short trip, when no message comes). */
    step() {
      clock.step(travel() * 0.5);
      kick();
    },
    get paused() {
      return clock.frozen;
    },
    /** Labels on tokens (topic, first frame or service) on or off. */
    setLabels(on) {
      labels = Boolean(on);
      drawnKey = "";
      kick();
    },
    get labels() {
      return labels;
    },
    clear() {
      clock.setPaused(false);
      for (const t of active) release(t);
      active.length = 0;
      drawn.length = 0;
      pulses.clear();
      lastOn.clear();
      ready.clear();
      host.classList.remove("tk-hover");
      kick(); // clears what is drawn
    },
    get activeCount() {
      return active.length;
    },
    /** The tokens drawn in the last frame that are in view, in client (viewport) coordinates:
     *  [{msg, link, ev, kind, x, y, r}] (r: the clickable radius in CSS pixels). Pulse rings
     *  have kind "pulse", ev "sent" and no msg. For tests and debugging. */
    snapshot() {
      const r = host.getBoundingClientRect();
      const v = lastView;
      const out = [];
      for (const t of drawn) {
        if (!t.shown) continue;
        const x = r.left + v.x + t.x * v.k, y = r.top + v.y + t.y * v.k;
        if (x < r.left || x > r.right || y < r.top || y > r.bottom) continue;
        const pulseRing = t.kind === "pulse";
        out.push({
          msg: pulseRing ? null : t.msg,
          link: pulseRing ? null : t.link,
          ev: pulseRing ? "sent" : t.kind,
          kind: t.kind,
          x,
          y,
          r: (pulseRing ? PULSE_R : HIT_R) * t.s * v.k,
          to: pulseRing ? null : t.to,
          label: pulseRing ? null : labelText(t, labels),
        });
      }
      return out;
    },
  };
}
