// Drawing and dragging nodes. Each node is rebuilt only when what it shows changed
// (a signature string); moving a node just updates its transform.

import { drag } from "../../vendor/d3.mjs";
import { family } from "../model/meta.js";
import { extraSideOf, HEADER_H, NODE_W, ROW_H, nodeHeight, sideOf } from "./geometry.js";
import { ICONS, kindIcon } from "./icons.js";
import { getLang, t as tr } from "../i18n.js";
import { problemText } from "../ui/problem-text.js";

const SVGNS = "http://www.w3.org/2000/svg";

function el(parent, tag, attrs = {}, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

const isSelected = (n, view) => view.selected.has(n.id) || (view.selection?.type === "node" && view.selection.id === n.id);

function signature(n, view) {
  const selected = isSelected(n, view);
  const probs = view.problems.get(n.id) || [];
  return JSON.stringify([n.id, n.kind, n.label, n.sockets.map((s) => [s.name, s.type, s.mode, sideOf(n, s), extraSideOf(n, s)]), selected, probs.map((p) => problemText(p)), getLang()]);
}

// Shorten an SVG text with "…" until it fits `width` (measured, so any font works).
function fitText(t, width) {
  const full = t.textContent;
  if (!t.getComputedTextLength || t.getComputedTextLength() <= width) return;
  let lo = 0, hi = full.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    t.textContent = `${full.slice(0, mid)}…`;
    if (t.getComputedTextLength() <= width) lo = mid;
    else hi = mid - 1;
  }
  t.textContent = `${full.slice(0, lo)}…`;
}

function build(g, n, view) {
  g.textContent = "";
  const h = nodeHeight(n);
  const probs = view.problems.get(n.id) || [];
  el(g, "rect", { class: "node-body", width: NODE_W, height: h, rx: 10, filter: "url(#shadow)" });
  el(g, "rect", { class: "node-outline", width: NODE_W, height: h, rx: 10 });
  const head = el(g, "g", { class: "node-head" });
  el(head, "rect", { class: "node-icon-bg", x: 10, y: 7, width: 20, height: 20, rx: 6 });
  el(head, "path", { class: "node-icon", d: ICONS[kindIcon(n.kind)], transform: "translate(12,9) scale(1)" });
  const title = n.label || n.id;
  const kind = el(head, "text", { class: "node-kind", x: NODE_W - 10, y: 21, "text-anchor": "end" }, n.kind.replace(/_/g, " "));
  const t = el(head, "text", { class: "node-title", x: 38, y: 22 }, title);
  // The label matters most: give it the kind's room, then a smaller font, then an ellipsis.
  const full = NODE_W - 38 - 10;
  if (t.getComputedTextLength() > full - 6 - kind.getComputedTextLength()) {
    kind.remove();
    if (t.getComputedTextLength() > full) t.style.fontSize = "12px";
    fitText(t, full);
  }
  el(t, "title", {}, n.label ? `${n.label} (${n.id})` : n.id);
  el(g, "line", { class: "node-sep", x1: 0, x2: NODE_W, y1: HEADER_H, y2: HEADER_H });

  n.sockets.forEach((s, i) => {
    const side = sideOf(n, s);
    const fam = family(s.type);
    const cy = HEADER_H + i * ROW_H + ROW_H / 2;
    const row = el(g, "g", { class: `sock fam-${fam}`, "data-socket": s.name });
    const left = side === "left";
    const chipW = s.type.length * 7.4 + 12;
    const chipX = left ? 14 : NODE_W - 14 - chipW;
    el(row, "rect", { class: "type-chip", x: chipX, y: cy - 9, width: chipW, height: 18, rx: 5 });
    el(row, "text", { class: "type-text", x: chipX + chipW / 2, y: cy + 4, "text-anchor": "middle" }, s.type);
    const nameX = left ? chipX + chipW + 8 : chipX - 8;
    const modeTxt = s.mode === "bind" ? "bind" : "connect";
    el(row, "text", { class: "sock-name", x: nameX, y: cy + 4, "text-anchor": left ? "start" : "end" }, s.name);
    el(row, "text", { class: "sock-mode", x: left ? NODE_W - 12 : 12, y: cy + 4, "text-anchor": left ? "end" : "start" }, modeTxt);
    const port = el(row, "circle", {
      class: `port fam-${fam} ${s.mode === "bind" ? "is-bind" : "is-connect"}`,
      cx: left ? 0 : NODE_W,
      cy,
      r: 6.5,
      "data-node": n.id,
      "data-socket": s.name,
      "data-testid": `port-${n.id}-${s.name}`,
    });
    el(port, "title", {}, tr("canvas.port", { type: s.type, mode: s.mode, where: `${n.id}.${s.name}` }));
    // links to peers on the other side attach to a second port there (geometry.js)
    if (extraSideOf(n, s)) {
      const alt = el(row, "circle", {
        class: `port-alt fam-${fam} ${s.mode === "bind" ? "is-bind" : "is-connect"}`,
        cx: left ? NODE_W : 0,
        cy,
        r: 5,
        "data-testid": `port-alt-${n.id}-${s.name}`,
      });
      el(alt, "title", {}, tr("canvas.port", { type: s.type, mode: s.mode, where: `${n.id}.${s.name}` }));
    }
  });

  el(g, "circle", { class: "status-dot", cx: 14, cy: h - 12, r: 3.5 });
  el(g, "text", { class: "node-status", x: 23, y: h - 8.5 }, "");
  const alert = el(g, "g", { class: "node-alert", transform: `translate(${NODE_W - 2},-2)` });
  el(alert, "circle", { r: 9 });
  el(alert, "text", { y: 4, "text-anchor": "middle" }, "!");
  el(alert, "title", {}, "");
  if (probs.length) {
    const chip = el(g, "g", { class: "node-problem", transform: `translate(0,-10)` });
    const txt = tr("canvas.problems", { n: probs.length });
    const rect = el(chip, "rect", { x: 0, y: -10, width: txt.length * 6.6 + 12, height: 18, rx: 9 });
    const label = el(chip, "text", { x: 6, y: 3 }, txt);
    if (label.getComputedTextLength) rect.setAttribute("width", Math.max(label.getComputedTextLength(), 10) + 12); // measured: any script fits
    el(chip, "title", {}, probs.map((p) => problemText(p)).join("\n"));
  }
}

export function drawNodes(layer, doc, view, ctx, canvas) {
  const sel = layer.selectAll("g.node").data(doc.nodes, (n) => n.id);
  sel.exit().remove();
  const entered = sel
    .enter()
    .append("g")
    .attr("class", "node")
    .attr("data-node", (n) => n.id)
    .attr("data-testid", (n) => `node-${n.id}`);
  entered.call(nodeDrag(ctx, canvas));
  entered.merge(sel).each(function (n) {
    const sig = signature(n, view);
    if (this.__sig !== sig) {
      this.__sig = sig;
      build(this, n, view);
    }
    this.classList.toggle("selected", isSelected(n, view));
    this.classList.toggle("has-problem", view.problems.has(n.id));
    this.setAttribute("data-node", n.id);
    this.setAttribute("data-testid", `node-${n.id}`);
    this.setAttribute("transform", `translate(${n.x},${n.y})`);
  });
}

// A drag moves the node, and with it every other selected node (editor/selection.js);
// Shift+press adds the node to the selection or takes it out, and moves nothing.
function nodeDrag(ctx, canvas) {
  let moved = false;
  let toggled = false;
  let group = []; // [{node, x, y}] where each moved node started
  return drag()
    .container(() => canvas.layers.nodes.node().parentNode)
    .filter((e) => !e.button && !e.target.closest(".port"))
    .subject((e, n) => ({ x: n.x, y: n.y }))
    .on("start", (e, n) => {
      moved = false;
      // (an editable embed has one selection only: no toggleSelect, no selectedIds)
      toggled = Boolean(e.sourceEvent?.shiftKey && ctx.toggleSelect);
      if (toggled) return ctx.toggleSelect(n.id);
      const ids = ctx.selectedIds?.() || [];
      if (ids.length > 1 && ids.includes(n.id)) ctx.select({ type: "node", id: n.id }, { keep: true });
      else ctx.select({ type: "node", id: n.id });
      const moving = new Set(ids.length > 1 && ids.includes(n.id) ? ids : [n.id]);
      group = ctx.store.doc.nodes.filter((x) => moving.has(x.id)).map((x) => ({ node: x, x: x.x, y: x.y }));
      ctx.store.begin();
    })
    .on("drag", (e, n) => {
      if (toggled) return;
      const lead = group.find((g) => g.node.id === n.id);
      if (!lead) return;
      moved = true;
      const dx = Math.round(e.x) - lead.x;
      const dy = Math.round(e.y) - lead.y;
      for (const g of group) {
        g.node.x = g.x + dx;
        g.node.y = g.y + dy;
      }
      ctx.store.touch("move");
    })
    .on("end", () => {
      if (toggled) return;
      if (moved) ctx.store.commit(group.length > 1 ? "move nodes" : "move node");
      else ctx.store.commit("select");
      group = [];
    });
}
