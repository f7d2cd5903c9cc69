// Several nodes selected at once: Shift+click adds a node or takes it out, a drag on the empty
// canvas draws a box and selects every node it touches (Shift keeps the ones selected before),
// Ctrl/⌘+A selects every node. The selected nodes move together (a drag, the arrow keys) and are
// deleted, copied and duplicated together (main.js, keyboard.js, clipboard.js), each one undo
// step. The inspector shows the node clicked last (main.js's single selection); this module
// holds the set. The canvas pans with Space + drag, a middle-button drag or a touch drag
// (canvas.js asks panning()).

import { NODE_W, nodeHeight } from "./geometry.js";
import { t } from "../i18n.js";

const SVGNS = "http://www.w3.org/2000/svg";

export function createSelection(canvas, ctx) {
  const { bus, store } = ctx;
  let ids = new Set();
  let space = false;
  let pointerDown = false;
  let box = null; // {x0, y0, x1, y1, add, el} in canvas coordinates
  let swallowClick = false;

  const live = () => [...ids].filter((id) => store.doc.nodes.some((n) => n.id === id));

  function set(next, { announce = true } = {}) {
    const before = [...ids].sort().join(" ");
    ids = new Set(next);
    if ([...ids].sort().join(" ") === before) return;
    canvas.render();
    bus.emit("selection:nodes", { ids: live() });
    if (announce && ids.size > 1) bus.emit("a11y:announce", { text: t("sel.count", { n: ids.size }) });
  }

  function toggle(id) {
    const next = new Set(ids);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set(next);
    // The inspector shows one of them (the one just added), or none when the last one went.
    const primary = next.has(id) ? id : [...next].pop();
    ctx.select(primary ? { type: "node", id: primary } : null, { keep: true });
  }

  const typing = (e) => e.target.closest?.("input, textarea, select, [contenteditable]");

  // Space held: the next drag on the canvas pans instead of drawing a box.
  window.addEventListener("keydown", (e) => {
    if (e.key === " " && !typing(e) && !e.target.closest?.("button, [role=button], g.node, .pal-item")) {
      space = true;
      document.body.classList.add("is-panning");
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "a" && !typing(e)) {
      e.preventDefault();
      set(store.doc.nodes.map((n) => n.id));
      const last = store.doc.nodes.at(-1);
      if (last) ctx.select({ type: "node", id: last.id }, { keep: true });
    }
  });
  window.addEventListener("keyup", (e) => {
    if (e.key === " ") {
      space = false;
      document.body.classList.remove("is-panning");
    }
  });

  const svg = canvas.svg.node();
  const nodesLayer = canvas.layers.nodes.node();
  // A press on a node, then the focus it gives: keyboard.js leaves the selection to the pointer.
  nodesLayer.addEventListener("pointerdown", () => (pointerDown = true), true);
  window.addEventListener("pointerup", () => (pointerDown = false), true);

  svg.addEventListener("pointerdown", (e) => {
    const empty = e.target === svg || e.target.classList?.contains("bg");
    if (!empty || e.button !== 0 || space || e.pointerType === "touch" || e.ctrlKey) return;
    const [x, y] = canvas.toCanvas(e.clientX, e.clientY);
    const el = document.createElementNS(SVGNS, "rect");
    el.setAttribute("class", "marquee");
    el.setAttribute("data-testid", "marquee");
    canvas.layers.wire.node().appendChild(el);
    box = { x0: x, y0: y, x1: x, y1: y, add: e.shiftKey, el, moved: false, sx: e.clientX, sy: e.clientY };
    svg.setPointerCapture?.(e.pointerId);
  });
  svg.addEventListener("pointermove", (e) => {
    if (!box) return;
    [box.x1, box.y1] = canvas.toCanvas(e.clientX, e.clientY);
    if (Math.hypot(e.clientX - box.sx, e.clientY - box.sy) > 4) box.moved = true;
    const r = rect(box);
    for (const [k, v] of Object.entries({ x: r.x, y: r.y, width: r.w, height: r.h })) box.el.setAttribute(k, v);
  });
  const finish = () => {
    if (!box) return;
    const b = box;
    box = null;
    b.el.remove();
    if (!b.moved) return; // a click: canvas.js clears the selection
    swallowClick = true;
    const r = rect(b);
    const hit = store.doc.nodes
      .filter((n) => n.x < r.x + r.w && n.x + NODE_W > r.x && n.y < r.y + r.h && n.y + nodeHeight(n) > r.y)
      .map((n) => n.id);
    const next = b.add ? [...new Set([...ids, ...hit])] : hit;
    set(next);
    ctx.select(next.length ? { type: "node", id: next.at(-1) } : null, { keep: true });
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", finish);
  // The click that ends a box is not a click on the background (which would clear it all).
  svg.addEventListener(
    "click",
    (e) => {
      if (!swallowClick) return;
      swallowClick = false;
      e.stopPropagation();
    },
    true,
  );

  return {
    /** The selected node ids that still exist, in the order they were selected. */
    get ids() {
      return live();
    },
    has: (id) => ids.has(id),
    set,
    toggle,
    /** main.js's select(): a plain click or focus makes the set that one node (or none). */
    only(id) {
      set(id ? [id] : [], { announce: false });
    },
    panning: () => space,
    pointerDown: () => pointerDown,
  };
}

function rect(b) {
  return { x: Math.min(b.x0, b.x1), y: Math.min(b.y0, b.y1), w: Math.abs(b.x1 - b.x0), h: Math.abs(b.y1 - b.y0) };
}
