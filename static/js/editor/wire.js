// Wiring gesture: drag from a socket port to another. While dragging, the temporary wire is
// green over a compatible port and red over an incompatible one, with the reason shown at
// once; releasing on a compatible port adds the link (the model decides which end connects).

import { drag, select } from "../../vendor/d3.mjs";
import { checkWire } from "../model/wiring.js";
import { addLink } from "../model/topology.js";
import { curve, pathD, portPos } from "./geometry.js";
import { t } from "../i18n.js";

const SNAP = 18; // canvas px around a port that count as "on" it

export function attachWiring(canvas, ctx) {
  const { store, bus } = ctx;
  const wireLayer = canvas.layers.wire;
  let from = null;
  let temp = null;

  function portNear(x, y) {
    let best = null;
    let bestD = SNAP * SNAP;
    for (const n of store.doc.nodes) {
      for (const s of n.sockets) {
        const p = portPos(n, s.name);
        const d = (p.x - x) ** 2 + (p.y - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = { node: n.id, socket: s.name };
        }
      }
    }
    return best;
  }

  const markTargets = (source) => markWireTargets(canvas, ctx, source);
  const clearTargets = () => clearWireTargets(canvas);

  const gesture = drag()
    .container(() => canvas.layers.nodes.node().parentNode)
    .filter((e) => !e.button)
    .subject(function () {
      // `this` is the port element the gesture started on.
      const node = this.getAttribute("data-node");
      const socket = this.getAttribute("data-socket");
      const n = store.doc.nodes.find((x) => x.id === node);
      const p = n ? portPos(n, socket) : { x: 0, y: 0 };
      return { x: p.x, y: p.y, node, socket };
    })
    .on("start", (e) => {
      from = { node: e.subject.node, socket: e.subject.socket };
      temp = wireLayer.append("path").attr("class", "wire-temp");
      document.body.classList.add("is-wiring");
      markTargets(from);
    })
    .on("drag", (e) => {
      if (!from) return;
      const n = store.doc.nodes.find((x) => x.id === from.node);
      if (!n) return;
      const a = portPos(n, from.socket);
      const target = portNear(e.x, e.y);
      canvas.layers.nodes.selectAll("circle.port").classed("hover", false);
      let b = { x: e.x, y: e.y, side: e.x < a.x ? "right" : "left" };
      let state = "";
      if (target && !(target.node === from.node && target.socket === from.socket)) {
        const tn = store.doc.nodes.find((x) => x.id === target.node);
        b = portPos(tn, target.socket);
        const check = checkWire(store.doc, ctx.meta(), from, target);
        state = check.ok ? "ok" : "no";
        if (check.ok) bus.emit("toast:hide", { source: "wire" });
        else bus.emit("toast:show", { kind: "error", text: check.reason, source: "wire" });
        canvas.layers.nodes.select(`circle.port[data-node="${target.node}"][data-socket="${target.socket}"]`).classed("hover", true);
      } else {
        bus.emit("toast:hide", { source: "wire", soft: true });
      }
      temp.attr("d", pathD(curve(a, b))).attr("class", `wire-temp ${state}`);
    })
    .on("end", (e) => {
      const source = from;
      from = null;
      temp?.remove();
      temp = null;
      document.body.classList.remove("is-wiring");
      clearTargets();
      if (!source) return;
      const target = portNear(e.x, e.y);
      if (!target || (target.node === source.node && target.socket === source.socket)) return;
      connectPorts(ctx, source, target);
    });

  // Ports are re-created when a node is rebuilt: (re)attach the gesture after each render.
  bus.on("canvas:rendered", () => {
    canvas.layers.nodes.selectAll("circle.port").each(function () {
      if (!this.__wired) {
        this.__wired = true;
        select(this).call(gesture);
      }
    });
  });
}

/**
 * Wire `source` to `target` ({node, socket} each), as releasing a drag on a port does: adds the
 * link when the pair is valid (the model decides which end connects), else shows the refusal with
 * its reason (and a one-click fix when a mode switch would make it valid). Returns the new link
 * or null. Used by the drag gesture and by the keyboard (editor/keyboard.js).
 */
export function connectPorts(ctx, source, target) {
  const { store, bus } = ctx;
  const check = checkWire(store.doc, ctx.meta(), source, target);
  if (!check.ok) {
    const fix = check.fix && {
      label: t("wire.fix", { where: `${check.fix.node}.${check.fix.socket}`, mode: check.fix.mode }),
      run: () => {
        const link = store.edit("switch mode and wire", (doc) => {
          const n = doc.nodes.find((x) => x.id === check.fix.node);
          const sk = n?.sockets.find((x) => x.name === check.fix.socket);
          if (!sk) return false;
          sk.mode = check.fix.mode;
          const again = checkWire(doc, ctx.meta(), source, target);
          return again.ok ? addLink(doc, again.connect, again.bind) : false;
        });
        if (link) ctx.select({ type: "link", id: link.id });
      },
    };
    bus.emit("toast:show", { kind: "error", text: t("wire.cannot", { reason: check.reason }), source: "wire", sticky: fix ? 8000 : 5000, action: fix });
    bus.emit("wire:refused", { from: source, to: target, reason: check.reason });
    return null;
  }
  bus.emit("toast:hide", { source: "wire" });
  const link = store.edit("add link", (doc) => addLink(doc, check.connect, check.bind));
  if (link) ctx.select({ type: "link", id: link.id });
  return link || null;
}

/** Mark every port a wire from `source` could (target-ok) or could not (target-no) end on. */
export function markWireTargets(canvas, ctx, source) {
  canvas.layers.nodes.selectAll("circle.port").each(function () {
    const to = { node: this.getAttribute("data-node"), socket: this.getAttribute("data-socket") };
    if (to.node === source.node && to.socket === source.socket) return;
    const ok = checkWire(ctx.store.doc, ctx.meta(), source, to).ok;
    this.classList.add(ok ? "target-ok" : "target-no");
  });
}

export function clearWireTargets(canvas) {
  canvas.layers.nodes.selectAll("circle.port").classed("target-ok", false).classed("target-no", false).classed("hover", false);
}
