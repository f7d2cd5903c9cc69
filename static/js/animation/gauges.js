// Why a message did not arrive, drawn where it happens:
//   link gauge    a bar under each link's counter pill: messages sent on the link and not received
//                 yet, against the link's HWM budget (sender SNDHWM + receiver RCVHWM)
//   socket gauge  at a sending port whose links cannot be told apart (a PUSH dealing round robin
//                 to several PULLs: libzmq picks the pipe and does not say which), the total
//   blocked       a red ring and a tag on a port whose send() waits: "blocked at HWM", or "no
//                 peer" when the socket has no pipe at all (no link, its links cut or removed, or
//                 as the binding end, every peer killed): libzmq then blocks a PUSH/DEALER/REQ/PAIR
//                 send although nothing is queued (app/topology/advice.py says it before the run)
//   drop flash    a red burst at a link's pill when its dropped count grows
// A gauge appears once something queues there and stays for the rest of the run.
// Numbers come only from `stats` (exact, never sampled) and `blocked`/`unblocked` events. A depth
// the server cannot know exactly (queued: null, see docs/protocol.md) is shown as unknown.
// How one gauge is drawn from its numbers, and the words it uses: gauge-paint.js.

import { pointAt, portPos } from "../editor/geometry.js";
import { onLangChange, t } from "../i18n.js";
import { hasPeer } from "../model/peers.js";
import { el, paint, set, TEXT } from "./gauge-paint.js";

const DEFAULT_HWM = 1000; // libzmq's SNDHWM / RCVHWM when the document sets none
const FANOUT = new Set(["PUB", "XPUB"]);
const RECEIVE_ONLY = new Set(["PULL", "SUB", "XSUB"]);
const BAR_W = 64;
const PORT_BAR_W = 44;
const UNBLOCK_HOLD_MS = 400;

const nodeOf = (key) => key.slice(0, key.lastIndexOf("."));

export function createGauges(layer, { bus, canvas }) {
  const root = layer.node();
  const back = el(root, "g", { class: "gauges-back" }); // drop flashes, blocked rings: under the pills
  const front = el(root, "g", { class: "gauges" });
  let links = {}; // link id → counters from `stats`
  let sockets = {}; // "node.socket" → counters from `stats`
  let blocked = new Set();
  let doc = null; // the document the run started with (its HWMs)
  let transport = "ipc";
  let live = false;
  const down = new Set(); // links cut or removed during the run
  const dead = new Set(); // nodes killed or removed during the run

  // --- the document: sockets, their HWMs, the links of each socket ----------------------------
  // Looked up for every link on every `stats` (four a second): indexed once per run.
  let specs = new Map(); // "node.socket" → the socket's spec
  let linksBy = new Map(); // "node.socket" → its links
  function index() {
    specs = new Map();
    linksBy = new Map();
    for (const n of doc?.nodes || []) for (const sk of n.sockets || []) specs.set(`${n.id}.${sk.name}`, sk);
    for (const l of doc?.links || []) {
      for (const k of new Set([keyOf(l.bind), keyOf(l.connect)])) {
        if (!linksBy.has(k)) linksBy.set(k, []);
        linksBy.get(k).push(l);
      }
    }
  }
  function sockSpec(key) {
    return specs.get(key) || null;
  }
  const hwm = (spec, name) => {
    const v = spec?.options?.[name];
    return Number.isInteger(v) && v >= 0 ? v : DEFAULT_HWM;
  };
  const keyOf = (end) => `${end.node}.${end.socket}`;
  const linksOf = (key) => linksBy.get(key) || [];

  /** The HWM budget of messages flowing from socket `from` to socket `to`: 0 = no limit. */
  function budget(from, to) {
    const snd = hwm(sockSpec(from), "sndhwm"), rcv = hwm(sockSpec(to), "rcvhwm");
    return { cap: snd && rcv ? snd + rcv : 0, part: TEXT.hwmPart(from, snd, to, rcv) };
  }

  /** The ends of a link that send on it: the fan-out end, else those that have sent. */
  function senders(l) {
    const ends = [keyOf(l.bind), keyOf(l.connect)];
    const fan = ends.filter((k) => FANOUT.has(sockSpec(k)?.type));
    if (fan.length) return fan;
    const sent = ends.filter((k) => (sockets[k]?.sent || 0) > 0);
    return sent.length ? sent : ends.filter((k) => !RECEIVE_ONLY.has(sockSpec(k)?.type));
  }

  function capacityOf(pairs) {
    const parts = pairs.map(([a, b]) => budget(a, b));
    const cap = parts.some((p) => !p.cap) ? 0 : parts.reduce((n, p) => n + p.cap, 0);
    return { cap, tip: TEXT.capacity(cap, parts.map((p) => p.part).join(" + ")) };
  }

  // --- drawing ------------------------------------------------------------------------------
  function gauge(testid, kind, id) {
    let g = front.querySelector(`g[data-testid="${CSS.escape(testid)}"]`);
    if (!g) {
      g = el(front, "g", { class: `gauge ${kind}`, "data-testid": testid, "data-id": id });
      el(g, "rect", { class: "g-track", rx: 3.5, height: 7, y: -3.5 });
      el(g, "rect", { class: "g-fill", rx: 3.5, height: 7, y: -3.5 });
      el(g, "text", { class: "g-text", y: 3.5 });
      el(g, "title");
      if (kind === "link-gauge") {
        g.addEventListener("click", (e) => {
          e.stopPropagation();
          bus.emit("link:select", { id });
        });
      }
    }
    g.__seen = true;
    return g;
  }

  function drawLinkGauges() {
    for (const l of doc?.links || []) {
      const c = links[l.id];
      if (!c || !("queued" in c || "unresolved" in c || "undelivered" in c)) continue;
      const from = senders(l);
      const pairs = from.map((k) => [k, k === keyOf(l.bind) ? keyOf(l.connect) : keyOf(l.bind)]);
      const { cap, tip } = capacityOf(pairs.length ? pairs : [[keyOf(l.bind), keyOf(l.connect)]]);
      // a sender blocked with this one link: this is the queue it waits on
      const stuck = from.filter((k) => blocked.has(k) && linksOf(k).length === 1);
      const dir = pairs.length === 2 ? `${pairs[0][0]} ⇄ ${pairs[0][1]}` : pairs.length ? `${pairs[0][0]} → ${pairs[0][1]}` : l.id;
      const q = c.queued;
      const fan = from.some((k) => FANOUT.has(sockSpec(k)?.type));
      const g = gauge(`link-gauge-${l.id}`, "link-gauge", l.id);
      paint(g, {
        q,
        cap,
        full: stuck.length > 0,
        barW: BAR_W,
        tip: typeof q === "number" ? [TEXT.linkHead(l.id, dir, q), tip, ...stuck.map((k) => TEXT.blockedNote(k))].join("\n") : unresolvedTip(l.id, c, tip),
        overTip: fan ? TEXT.overFanout(transport) : TEXT.overP2p(),
        unresolved: c.unresolved || c.undelivered || 0,
      });
    }
  }

  /** What is not known about a link's messages, and why (the server's `why`, in words). */
  function unresolvedTip(id, c, capTip) {
    const n = c.unresolved || c.undelivered || 0;
    if (!n) return TEXT.unknownTip(TEXT.unknownLink(id));
    const key = c.undelivered ? "know.undelivered" : "know.unresolved";
    return [t(key, { n, why: c.why ? t(`know.why.${c.why}`) : "" }), capTip].join("\n");
  }

  function drawSocketGauges() {
    for (const [key, st] of Object.entries(sockets)) {
      if (!st || !("queued" in st)) continue;
      const spec = sockSpec(key);
      if (!spec || FANOUT.has(spec.type)) continue;
      const own = linksOf(key);
      // shown where the links cannot say it: some link of this socket has no per-link depth
      if (!own.length || own.every((l) => links[l.id] && "queued" in links[l.id])) continue;
      const pairs = own.map((l) => [key, keyOf(l.bind) === key ? keyOf(l.connect) : keyOf(l.bind)]);
      const { cap, tip } = capacityOf(pairs);
      const q = st.queued;
      const g = gauge(`socket-gauge-${nodeOf(key)}-${spec.name}`, "socket-gauge", key);
      set(g, "data-socket", key);
      const n = canvas.nodeIndex.get(nodeOf(key));
      g.__left = n ? portPos(n, spec.name).side === "left" : false;
      const head = spec.type === "ROUTER" ? TEXT.routerHead(key, own.length, q)
        : own.length === 1 ? TEXT.socketHeadOne(key, spec.type, pairs[0][1], q)
        : TEXT.socketHead(key, spec.type, own.length, q);
      const notes = [head, tip];
      if (blocked.has(key)) notes.push(TEXT.blockedNote(key));
      paint(g, {
        q,
        cap,
        full: blocked.has(key),
        barW: PORT_BAR_W,
        tip: typeof q === "number" ? notes.join("\n") : TEXT.unknownTip(key),
        overTip: TEXT.overP2p(),
      });
    }
  }

  const noPeer = (key) => !hasPeer(doc, key, (id) => down.has(id), (n) => dead.has(n));

  function drawBlocked() {
    for (const key of blocked) {
      const spec = sockSpec(key);
      if (!spec) continue;
      const id = `blocked-${nodeOf(key)}-${spec.name}`;
      let tag = front.querySelector(`g[data-testid="${CSS.escape(id)}"]`);
      if (!tag) {
        tag = el(front, "g", { class: "blocked-tag", "data-testid": id, "data-socket": key });
        el(tag, "rect", { class: "bt-bg", rx: 5, height: 18, y: -9 });
        el(tag, "rect", { class: "bt-icon", width: 2.6, height: 9, y: -4.5 }); // a pause sign: two bars
        el(tag, "rect", { class: "bt-icon", width: 2.6, height: 9, y: -4.5 });
        el(tag, "text", { y: 4 });
        el(tag, "title");
        el(back, "circle", { class: "blocked-ring", r: 11, "data-socket": key });
      }
      const lonely = noPeer(key);
      const label = lonely ? TEXT.noPeer() : TEXT.blocked();
      const tip = lonely ? TEXT.noPeerTip(key, spec.type, spec.mode) : TEXT.blockedTip(key, spec.type);
      tag.classList.toggle("no-peer", lonely);
      if (tag.querySelector("text").textContent !== label) tag.querySelector("text").textContent = label;
      if (tag.querySelector("title").textContent !== tip) tag.querySelector("title").textContent = tip;
      tag.__seen = true;
    }
  }

  function place() {
    const nodeIndex = canvas.nodeIndex;
    for (const g of front.querySelectorAll("g.link-gauge")) {
      const c = canvas.curves.get(g.getAttribute("data-id"));
      if (!c) { g.remove(); continue; }
      const [x, y] = pointAt(c, 0.5);
      set(g, "transform", `translate(${x},${y + 17})`);
    }
    const at = (key) => {
      const n = nodeIndex.get(nodeOf(key));
      return n ? portPos(n, key.slice(key.lastIndexOf(".") + 1)) : null;
    };
    for (const g of front.querySelectorAll("g.socket-gauge")) {
      const p = at(g.getAttribute("data-socket"));
      if (!p) { g.remove(); continue; }
      const left = p.side === "left";
      set(g, "transform", `translate(${p.x + (left ? -14 : 14)},${p.y + 15})`);
    }
    for (const g of front.querySelectorAll("g.blocked-tag")) {
      const p = at(g.getAttribute("data-socket"));
      if (!p) { g.remove(); continue; }
      const txt = g.querySelector("text");
      if (g.__label !== txt.textContent || !g.__tw) {
        g.__label = txt.textContent;
        g.__tw = txt.getComputedTextLength?.() || 0; // forces a layout: only when the text changed
      }
      const w = (g.__tw || txt.textContent.length * 6.3) + 30;
      const left = p.side === "left";
      const x0 = left ? -w : 0;
      set(g.querySelector(".bt-bg"), "width", w);
      set(g.querySelector(".bt-bg"), "x", x0);
      g.querySelectorAll(".bt-icon").forEach((r, i) => set(r, "x", x0 + 8 + i * 4.6));
      set(txt, "x", x0 + 20);
      // above the link line, clear of the counter pill and gauge in the link's middle
      set(g, "transform", `translate(${p.x + (left ? -14 : 14)},${p.y - 20})`);
    }
    for (const r of back.querySelectorAll("circle.blocked-ring")) {
      const p = at(r.getAttribute("data-socket"));
      if (!p) { r.remove(); continue; }
      set(r, "cx", p.x);
      set(r, "cy", p.y);
    }
  }

  /** Mark the ports of blocked sockets (the node drawing may have been rebuilt). */
  function markPorts() {
    for (const p of canvas.layers.nodes.node().querySelectorAll(".port.is-blocked")) {
      if (!blocked.has(`${p.getAttribute("data-node")}.${p.getAttribute("data-socket")}`)) p.classList.remove("is-blocked");
    }
    for (const key of blocked) {
      const n = CSS.escape(nodeOf(key)), s = CSS.escape(key.slice(key.lastIndexOf(".") + 1));
      canvas.layers.nodes.node().querySelector(`.port[data-node="${n}"][data-socket="${s}"]`)?.classList.add("is-blocked");
    }
  }

  function redraw() {
    for (const g of front.children) g.__seen = false;
    if (live && doc) {
      drawLinkGauges();
      drawSocketGauges();
      drawBlocked();
    }
    for (const g of [...front.children]) if (!g.__seen) g.remove();
    if (root.lastElementChild !== front) root.appendChild(front); // over the counter pills
    for (const r of [...back.querySelectorAll("circle.blocked-ring")]) if (!blocked.has(r.getAttribute("data-socket"))) r.remove();
    place();
    markPorts();
  }

  // A sender that takes one message each time the receiver makes room flips blocked / unblocked
  // many times a second: it stays marked until it has been unblocked for a moment.
  const clearing = new Map(); // key → timer
  function setBlocked(key, on) {
    if (on) {
      clearTimeout(clearing.get(key));
      clearing.delete(key);
      blocked.add(key);
    } else if (blocked.has(key) && !clearing.has(key)) {
      clearing.set(key, setTimeout(() => {
        clearing.delete(key);
        blocked.delete(key);
        redraw();
      }, UNBLOCK_HOLD_MS));
    }
  }

  function forgetBlocked() {
    for (const t of clearing.values()) clearTimeout(t);
    clearing.clear();
    blocked = new Set();
  }

  /** A red burst at the link's pill: its dropped count just grew. */
  function flash(id) {
    const c = canvas.curves.get(id);
    if (!c) return;
    const [x, y] = pointAt(c, 0.5);
    const f = el(back, "circle", { class: "drop-flash", cx: x, cy: y, r: 10, "data-link": id });
    setTimeout(() => f.remove(), 900);
  }

  // a live edit changed what runs (links added or removed): count against the new document
  bus.on("live:edit", (m) => {
    if (!m?.ok || !m.doc || !live) return;
    doc = m.doc;
    index();
    redraw();
  });

  bus.on("canvas:rendered", () => {
    place();
    markPorts();
  });
  onLangChange(() => redraw());

  return {
    /** Handle one server batch (stats, blocked / unblocked). */
    batch(events) {
      let dirty = false;
      for (const ev of events) {
        if (ev.ev === "stats") {
          for (const [id, c] of Object.entries(ev.links || {})) {
            if (live && (c.dropped || 0) > (links[id]?.dropped || 0)) flash(id);
            links[id] = c;
          }
          for (const [k, v] of Object.entries(ev.sockets || {})) {
            sockets[k] = v;
            setBlocked(k, Boolean(v.blocked)); // the server leaves `blocked` out when false
          }
          dirty = true;
        } else if (ev.ev === "link" && ev.link) {
          if (ev.state === "cut" || ev.state === "removed") down.add(ev.link);
          else if (ev.state === "restored" || ev.state === "added") down.delete(ev.link);
          dirty = true;
        } else if (ev.ev === "node" && ev.node) {
          if (ev.state === "killed" || ev.state === "removed") dead.add(ev.node);
          else if (ev.state === "restarted" || ev.state === "started") dead.delete(ev.node);
          dirty = true;
        } else if (ev.ev === "blocked" || ev.ev === "unblocked") {
          setBlocked(`${ev.node}.${ev.socket}`, ev.ev === "blocked");
          dirty = true;
        }
      }
      if (dirty) redraw();
    },
    /** The final counters of a stopped run: nothing waits on a closed socket any more. */
    totals(t) {
      if (t?.links) links = { ...links, ...t.links };
      if (t?.sockets) sockets = { ...sockets, ...t.sockets };
      forgetBlocked();
      redraw();
    },
    /** A new run: the document it runs is the one whose HWMs count. */
    reset(runDoc, runTransport) {
      links = {};
      sockets = {};
      down.clear();
      dead.clear();
      forgetBlocked();
      doc = runDoc;
      index();
      transport = runTransport || runDoc?.transport || "ipc";
      live = true;
      redraw();
    },
    /** What the last `stats` said (tests, debugging). */
    get stats() {
      return { links, sockets, blocked: [...blocked] };
    },
  };
}
