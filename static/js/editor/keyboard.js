// The canvas by keyboard. Nodes, ports and links take focus (Tab, in document order: links, then
// each node followed by its ports) and carry an accessible name. On a focused node the arrow
// keys move it (Shift: further), Delete removes it (main.js's handler: focus selects).
// On a focused port Enter or Space starts a wire; Enter on a second port connects the two,
// exactly as dropping a dragged wire there (wire.js connectPorts); Escape cancels. A focused link
// is selected (Delete removes it). Every change is one undoable store edit.

import { findNode } from "../model/topology.js";
import { clearWireTargets, connectPorts, markWireTargets } from "./wire.js";
import { t } from "../i18n.js";

const STEP = 10; // canvas px per arrow key
const BIG_STEP = 50; // with Shift

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) if (el.getAttribute(k) !== v) el.setAttribute(k, v);
}

export function attachKeyboard(canvas, ctx) {
  const { store, bus } = ctx;
  const nodesLayer = canvas.layers.nodes.node();
  const linksLayer = canvas.layers.links.node();
  let wiringFrom = null; // {node, socket}
  let pendingFocus = null; // selector to focus after the next render

  const announce = (text, assertive = false) => bus.emit("a11y:announce", { text, assertive });
  const portSel = (p) => `circle.port[data-node="${CSS.escape(p.node)}"][data-socket="${CSS.escape(p.socket)}"]`;

  // Names and tab stops, refreshed after every render (attributes are only written on change).
  function decorate() {
    const meta = ctx.meta();
    for (const g of nodesLayer.querySelectorAll("g.node")) {
      const n = findNode(store.doc, g.getAttribute("data-node"));
      if (!n) continue;
      const kind = meta.kinds[n.kind]?.label || n.kind;
      setAttrs(g, {
        tabindex: "0",
        role: "group",
        "aria-label": t("kb.node", { name: n.label ? `${n.label} (${n.id})` : n.id, kind, n: n.sockets.length }),
      });
    }
    for (const c of nodesLayer.querySelectorAll("circle.port")) {
      const node = c.getAttribute("data-node");
      const socket = c.getAttribute("data-socket");
      const s = findNode(store.doc, node)?.sockets.find((x) => x.name === socket);
      if (!s) continue;
      const source = wiringFrom && wiringFrom.node === node && wiringFrom.socket === socket;
      setAttrs(c, {
        tabindex: "0",
        role: "button",
        "aria-pressed": String(Boolean(source)),
        "aria-label": t("kb.port", { type: s.type, mode: s.mode, where: `${node}.${socket}` }),
      });
    }
    for (const g of linksLayer.querySelectorAll("g.link")) {
      const l = store.doc.links.find((x) => x.id === g.getAttribute("data-link"));
      if (!l) continue;
      setAttrs(g, {
        tabindex: "0",
        role: "button",
        "aria-label": t("kb.link", { id: l.id, connect: `${l.connect.node}.${l.connect.socket}`, bind: `${l.bind.node}.${l.bind.socket}` }),
      });
    }
    if (wiringFrom) {
      clearWireTargets(canvas);
      if (findNode(store.doc, wiringFrom.node)) markWireTargets(canvas, ctx, wiringFrom);
      nodesLayer.querySelector(portSel(wiringFrom))?.classList.add("wire-source");
    }
    if (pendingFocus) {
      const el = document.querySelector(pendingFocus);
      pendingFocus = null;
      el?.focus();
    }
  }
  bus.on("canvas:rendered", decorate);

  /** Focus a node or link once it is drawn (palette quick-add, a new link). */
  function focusLater(what) {
    pendingFocus = what.type === "node" ? `g.node[data-node="${CSS.escape(what.id)}"]` : `g.link[data-link="${CSS.escape(what.id)}"]`;
    canvas.render();
  }
  bus.on("canvas:focus", focusLater);

  function cancelWiring(say = true) {
    if (!wiringFrom) return;
    wiringFrom = null;
    clearWireTargets(canvas);
    nodesLayer.querySelector(".wire-source")?.classList.remove("wire-source");
    document.body.classList.remove("is-wiring");
    if (say) announce(t("kb.wireCancelled"));
    canvas.render();
  }

  function portKey(e, port) {
    const here = { node: port.getAttribute("data-node"), socket: port.getAttribute("data-socket") };
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    e.stopPropagation();
    if (!wiringFrom || (wiringFrom.node === here.node && wiringFrom.socket === here.socket)) {
      if (wiringFrom) return cancelWiring();
      wiringFrom = here;
      document.body.classList.add("is-wiring");
      port.setAttribute("aria-pressed", "true");
      port.classList.add("wire-source");
      markWireTargets(canvas, ctx, here);
      announce(t("kb.wireFrom", { where: `${here.node}.${here.socket}` }));
      return;
    }
    const source = wiringFrom;
    cancelWiring(false);
    const link = connectPorts(ctx, source, here);
    if (link) {
      announce(t("kb.wired", { connect: `${link.connect.node}.${link.connect.socket}`, bind: `${link.bind.node}.${link.bind.socket}` }));
      focusLater({ type: "link", id: link.id });
    }
  }

  // The arrows move the focused node, or all the selected nodes when it is one of them.
  function nodeKey(e, g) {
    const id = g.getAttribute("data-node");
    const d = e.shiftKey ? BIG_STEP : STEP;
    const delta = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] }[e.key];
    if (!delta || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    const selected = ctx.selectedIds?.() || [];
    const ids = selected.length > 1 && selected.includes(id) ? selected : [id];
    store.edit(ids.length > 1 ? "move nodes" : "move node", (doc) => {
      const ns = ids.map((x) => findNode(doc, x)).filter(Boolean);
      if (!ns.length) return false;
      for (const n of ns) {
        n.x = Math.round(n.x + delta[0]);
        n.y = Math.round(n.y + delta[1]);
      }
    });
  }

  nodesLayer.addEventListener("keydown", (e) => {
    const port = e.target.closest?.("circle.port");
    if (port) return portKey(e, port);
    const g = e.target.closest?.("g.node");
    if (g && e.target === g) nodeKey(e, g);
  });
  // Escape anywhere ends a keyboard wire (the page's own Escape clears the selection).
  // (captured first and stopped there: the selection stays, and with it the focused port)
  document.addEventListener(
    "keydown",
    (e) => {
      if (e.key !== "Escape" || !wiringFrom) return;
      e.stopPropagation();
      cancelWiring();
    },
    true,
  );

  // Focus selects: the inspector follows the keyboard as it follows clicks. A press of the
  // pointer selects by itself (nodes-view.js: Shift+click adds), and focusing a node of a
  // multiple selection keeps the selection.
  nodesLayer.addEventListener("focusin", (e) => {
    const g = e.target.closest?.("g.node");
    if (g && e.target === g && !ctx.pointerDown?.()) {
      const id = g.getAttribute("data-node");
      const sel = ctx.selection();
      const keep = (ctx.selectedIds?.() || []).length > 1 && ctx.selectedIds().includes(id);
      if (!(sel?.type === "node" && sel.id === id)) ctx.select({ type: "node", id }, { keep });
    }
  });
  linksLayer.addEventListener("focusin", (e) => {
    const g = e.target.closest?.("g.link");
    if (!g) return;
    const id = g.getAttribute("data-link");
    const sel = ctx.selection();
    if (!(sel?.type === "link" && sel.id === id)) ctx.select({ type: "link", id });
  });

  return { cancelWiring, focusLater, get wiringFrom() { return wiringFrom; } };
}
