// What each node is doing during a run, drawn on the node itself: a status dot and line
// (started / waiting / stopped / crashed, sent and received counts from `stats`), and a red
// alert badge with libzmq's error name for `error` events. Re-applied after each render
// because a node's drawing may be rebuilt.

import { t as tr, tState } from "../i18n.js";
import { hasPeer } from "../model/peers.js";

export function createNodeStatus({ bus, canvas, store = null }) {
  let states = {}; // node → {state, detail}
  let errors = {}; // node → {error, message, count}
  let sockets = {}; // "node.socket" → {sent, received, blocked}
  let blocked = new Set(); // "node.socket" waiting at its high-water mark
  let links = {}; // link id → connection state from libzmq's monitor

  // Stats arrive four times a second for every socket: each pass sums per node once, and
  // touches a node's drawing only where what it shows changed.
  function perNode() {
    const sums = new Map(); // node → {sent, recv}
    for (const [k, v] of Object.entries(sockets)) {
      const id = k.slice(0, k.lastIndexOf("."));
      let t = sums.get(id);
      if (!t) sums.set(id, (t = { sent: 0, recv: 0 }));
      t.sent += v.sent || 0;
      t.recv += v.received || 0;
    }
    return sums;
  }

  function apply(g, sums, stuckNodes) {
    const id = g.getAttribute("data-node");
    const st = states[id];
    const err = errors[id];
    const t = sums.get(id) || { sent: 0, recv: 0 };
    const parts = [];
    if (st?.state && st.state !== "started") parts.push(tState(st.state));
    if (t.sent || t.recv || st) parts.push(tr("canvas.traffic", { sent: fmt(t.sent), recv: fmt(t.recv) }));
    if (err) parts.push(err.error);
    const stuck = stuckNodes.has(id);
    if (stuck) parts.push(tr(stuckNodes.get(id) ? "canvas.blocked" : "canvas.noPeer"));
    g.classList.toggle("is-blocked", stuck);
    const text = g.querySelector(".node-status");
    const line = parts.join(" · ");
    if (text && text.textContent !== line) text.textContent = line;
    const state = st?.state || "";
    if (g.getAttribute("data-state") !== state) g.setAttribute("data-state", state);
    g.classList.toggle("has-error", Boolean(err));
    const title = g.querySelector(".node-alert title");
    const tip = err ? `${err.error}: ${err.message}${err.count > 1 ? ` (×${err.count})` : ""}` : null;
    if (title && tip && title.textContent !== tip) title.textContent = tip;
  }

  function applyAll() {
    const sums = perNode();
    // node → true when one of its blocked sockets is at its HWM, false when each has no peer
    const doc = store?.doc;
    const down = (l) => links[l] === "cut" || links[l] === "removed";
    const dead = (n) => states[n]?.state === "killed" || states[n]?.state === "removed";
    const stuckNodes = new Map();
    for (const k of blocked) {
      const n = k.slice(0, k.lastIndexOf("."));
      stuckNodes.set(n, Boolean(stuckNodes.get(n)) || hasPeer(doc, k, down, dead));
    }
    for (const g of canvas.layers.nodes.node().querySelectorAll("g.node")) apply(g, sums, stuckNodes);
    for (const g of canvas.layers.links.node().querySelectorAll("g.link")) {
      const id = g.getAttribute("data-link");
      const st = links[id] || "";
      if (g.getAttribute("data-state") !== st) g.setAttribute("data-state", st);
      // a link whose node at either end is killed carries nothing: drawn broken, not healthy
      const l = doc?.links.find((x) => x.id === id);
      const down = Boolean(l && [l.connect.node, l.bind.node].some((n) => states[n]?.state === "killed"));
      if (g.classList.contains("end-killed") !== down) g.classList.toggle("end-killed", down);
    }
  }

  bus.on("canvas:rendered", applyAll);

  return {
    batch(events) {
      let dirty = false;
      for (const ev of events) {
        if (ev.ev === "node") {
          states[ev.node] = { state: ev.state, detail: ev.detail };
          dirty = true;
        } else if (ev.ev === "error") {
          const prev = errors[ev.node];
          errors[ev.node] = { error: ev.error, message: ev.message, count: (prev?.count || 0) + 1 };
          dirty = true;
        } else if (ev.ev === "stats" && ev.sockets) {
          sockets = { ...sockets, ...ev.sockets };
          for (const [k, v] of Object.entries(ev.sockets)) if (typeof v.blocked === "boolean") v.blocked ? blocked.add(k) : blocked.delete(k);
          dirty = true;
        } else if (ev.ev === "blocked" || ev.ev === "unblocked") {
          const k = `${ev.node}.${ev.socket}`;
          ev.ev === "blocked" ? blocked.add(k) : blocked.delete(k);
          dirty = true;
        } else if (ev.ev === "link") {
          links[ev.link] = ev.state;
          dirty = true;
          bus.emit("link:state", { link: ev.link, state: ev.state });
        }
      }
      if (dirty) applyAll();
    },
    totals(t) {
      if (t?.sockets) sockets = { ...sockets, ...t.sockets };
      applyAll();
    },
    reset() {
      states = {};
      errors = {};
      sockets = {};
      blocked = new Set();
      links = {};
      applyAll();
    },
  };
}

function fmt(n) {
  return n >= 10000 ? `${(n / 1000).toFixed(n >= 100000 ? 0 : 1)}k` : String(n);
}
