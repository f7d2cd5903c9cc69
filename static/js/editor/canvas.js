// The canvas: an SVG that pans and zooms (d3-zoom), draws nodes and links, under a <canvas>
// the tokens are drawn on. Redraws are batched into one per animation frame.
//
// Layer tree (top of the file, node-red style):
//   svg.canvas
//     defs                     grid pattern, drop shadow
//     rect.bg                  grid; a drag draws a selection box (Space + drag pans; an embed
//                              pans with a plain drag), a click clears the selection
//     g.viewport               d3-zoom transform
//       g.links                g.link > path.link-hit (wide, invisible) + path.link-line
//       g.wire                 the temporary wire while dragging from a port
//       g.nodes                g.node > body, header, socket rows with ports, status line
//   canvas.token-canvas        over the SVG, pointer-events: none: the tokens
//                              (animation/tokens.js draws them with the same transform)
//   svg.canvas-over            over the tokens, pointer-events only on what it draws
//     g.viewport               the same transform
//       g.badges               per-link counters (animation/counters.js), gauges: above the
//                              tokens, as they were when tokens were SVG

import { select, zoom, zoomIdentity } from "../../vendor/d3.mjs";
import { assignSides, bounds, linkCurve } from "./geometry.js";
import { drawNodes } from "./nodes-view.js";
import { drawLinks } from "./links-view.js";
import { attachWiring } from "./wire.js";

export function createCanvas(host, ctx) {
  const { bus, store } = ctx;
  const svg = select(host).append("svg").attr("class", "canvas").attr("data-testid", "canvas");
  const defs = svg.append("defs");
  const grid = defs.append("pattern").attr("id", "grid").attr("width", 24).attr("height", 24).attr("patternUnits", "userSpaceOnUse");
  grid.append("circle").attr("cx", 1).attr("cy", 1).attr("r", 1).attr("class", "grid-dot");
  const shadow = defs.append("filter").attr("id", "shadow").attr("x", "-20%").attr("y", "-20%").attr("width", "140%").attr("height", "150%");
  shadow.append("feDropShadow").attr("dx", 0).attr("dy", 2).attr("stdDeviation", 3).attr("flood-color", "#1e293b").attr("flood-opacity", 0.1);

  const bg = svg.append("rect").attr("class", "bg").attr("width", "100%").attr("height", "100%").attr("fill", "url(#grid)");
  const vp = svg.append("g").attr("class", "viewport");
  const layers = {
    links: vp.append("g").attr("class", "links"),
    wire: vp.append("g").attr("class", "wire"),
    nodes: vp.append("g").attr("class", "nodes"),
    // not in the SVG: moving hundreds of SVG elements repainted the whole SVG every frame
    tokens: select(host).append("canvas").attr("class", "token-canvas").attr("aria-hidden", "true"),
  };
  const over = select(host).append("svg").attr("class", "canvas-over");
  const vpOver = over.append("g").attr("class", "viewport");
  layers.badges = vpOver.append("g").attr("class", "badges");
  // The wheel zooms over a counter too: handed to the canvas underneath.
  over.node().addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      svg.node().dispatchEvent(new WheelEvent(e.type, e));
    },
    { passive: false },
  );

  let transform = zoomIdentity;
  let viewTimer = 0;
  const zoomer = zoom()
    .scaleExtent([0.15, 3])
    // Wheel zooms anywhere. A drag pans when it starts on the background with Space held, with
    // the middle button or by touch; a plain mouse drag there draws selection.js's box.
    .filter((e) => {
      if (e.type === "wheel") return true;
      if (e.ctrlKey || e.target.closest?.(".node, .port, .link, .badge")) return false;
      // (a page without a selection box, such as an embed, pans with a plain drag)
      return e.type.startsWith("touch") || e.button === 1 || (!e.button && (ctx.panning ? ctx.panning() : true));
    })
    .on("zoom", (e) => {
      transform = e.transform;
      vp.attr("transform", transform);
      vpOver.attr("transform", transform);
      grid.attr("patternTransform", transform);
      clearTimeout(viewTimer);
      viewTimer = setTimeout(() => store.setView(transform), 250);
    });
  svg.call(zoomer).on("dblclick.zoom", null);
  bg.on("click", () => ctx.select(null));

  // Derived per-render data other modules read (token paths, badge positions).
  let nodeIndex = new Map();
  const curves = new Map();
  let scheduled = false;

  function renderNow() {
    scheduled = false;
    const doc = store.doc;
    nodeIndex = new Map(doc.nodes.map((n) => [n.id, n]));
    assignSides(doc);
    curves.clear();
    for (const l of doc.links) {
      const c = linkCurve(doc, l, nodeIndex);
      if (c) curves.set(l.id, c);
    }
    const view = { selection: ctx.selection(), selected: new Set(ctx.selectedIds?.() || []), problems: ctx.problems(), meta: ctx.meta() };
    drawLinks(layers.links, doc, curves, view, ctx);
    drawNodes(layers.nodes, doc, view, ctx, api);
    host.classList.toggle("is-empty", doc.nodes.length === 0);
    bus.emit("canvas:rendered", { curves, nodeIndex });
  }

  const api = {
    svg,
    layers,
    curves,
    get nodeIndex() {
      return nodeIndex;
    },
    docRef: () => store.doc,
    get transform() {
      return transform;
    },
    render() {
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(renderNow);
      }
    },
    renderNow,
    /** Client (page) coordinates → canvas coordinates. */
    toCanvas(clientX, clientY) {
      const r = svg.node().getBoundingClientRect();
      return transform.invert([clientX - r.left, clientY - r.top]);
    },
    /** Canvas point of the middle of the visible area. */
    center() {
      const r = svg.node().getBoundingClientRect();
      return transform.invert([r.width / 2, r.height / 2]);
    },
    containsClient(clientX, clientY) {
      const r = svg.node().getBoundingClientRect();
      return clientX >= r.left && clientX <= r.right && clientY >= r.top && clientY <= r.bottom;
    },
    nodeAtClient(clientX, clientY) {
      const el = document.elementFromPoint(clientX, clientY)?.closest?.(".node");
      return el ? el.getAttribute("data-node") : null;
    },
    /** Zoom and pan so every node and comment is visible (presets, Fit button, the embed). A
     *  comment counts as its width and a short note's height (its text may run longer). */
    fit(animate = true) {
      const b = bounds(store.doc.nodes, (store.doc.view?.comments || []).map((c) => ({ x: c.x, y: c.y, w: 200, h: 60 })));
      const r = svg.node().getBoundingClientRect();
      if (!b || !r.width) return;
      const pad = 40;
      // Leave room for overlays (the preset explanation banner) at the top, the zoom buttons
      // at the right.
      const top = Math.min(r.height * 0.4, ctx.insetTop?.() || 0);
      const h = r.height - top - Math.min(r.height * 0.2, ctx.insetBottom?.() || 0);
      const right = Math.max(pad, Math.min(r.width * 0.15, (ctx.insetRight?.() || 0) + 10));
      const w = r.width - pad - right;
      const k = Math.min(1.4, Math.max(0.2, Math.min(w / b.w, (h - 2 * pad) / b.h)));
      const t = zoomIdentity.translate(pad + w / 2 - k * (b.x0 + b.w / 2), top + h / 2 - k * (b.y0 + b.h / 2)).scale(k);
      // Eased by hand (one rAF loop) rather than through d3-transition.
      if (animate) smoothTo(t);
      else zoomer.transform(svg, t);
    },
    setView(view) {
      if (!view) return;
      zoomer.transform(svg, zoomIdentity.translate(view.x || 0, view.y || 0).scale(view.k || 1));
    },
    zoomBy(f) {
      zoomer.scaleBy(svg, f);
    },
  };

  // While a fit glides, the svg carries data-fitting (what is drawn is between two views: tests
  // measure the page once it is gone); a newer glide takes over from an older one.
  let glide = 0;
  function smoothTo(t1) {
    const t0 = transform;
    const start = performance.now();
    const dur = 450;
    const mine = ++glide;
    svg.node().dataset.fitting = "1";
    const step = (now) => {
      if (mine !== glide) return;
      const p = Math.min(1, (now - start) / dur);
      const e = p < 0.5 ? 2 * p * p : 1 - Math.pow(-2 * p + 2, 2) / 2;
      const k = t0.k + (t1.k - t0.k) * e;
      const x = t0.x + (t1.x - t0.x) * e;
      const y = t0.y + (t1.y - t0.y) * e;
      zoomer.transform(svg, zoomIdentity.translate(x, y).scale(k));
      if (p < 1) requestAnimationFrame(step);
      else delete svg.node().dataset.fitting;
    };
    requestAnimationFrame(step);
  }

  attachWiring(api, ctx);
  return api;
}
