// Per-link counters (delivered / filtered / dropped) drawn as a pill at each link's middle.
// Values come only from `stats` events (and the `stopped` totals), which the server never
// samples, so they are always exact. Badges are repositioned after every canvas render.

import { pointAt } from "../editor/geometry.js";

const SVGNS = "http://www.w3.org/2000/svg";

export function createCounters(layer, { bus, canvas }) {
  const root = layer.node();
  let counts = {}; // link id → {delivered, filtered, dropped}
  let visible = false;

  function badge(id) {
    let g = root.querySelector(`g.badge[data-link="${CSS.escape(id)}"]`);
    if (!g) {
      g = document.createElementNS(SVGNS, "g");
      g.setAttribute("class", "badge");
      g.setAttribute("data-link", id);
      g.setAttribute("data-testid", `link-counter-${id}`);
      const r = document.createElementNS(SVGNS, "rect");
      r.setAttribute("rx", 9);
      r.setAttribute("height", 18);
      r.setAttribute("y", -9);
      const t = document.createElementNS(SVGNS, "text");
      t.setAttribute("y", 4);
      const tip = document.createElementNS(SVGNS, "title");
      g.append(r, t, tip);
      g.addEventListener("click", (e) => {
        e.stopPropagation();
        bus.emit("link:select", { id });
      });
      root.appendChild(g);
    }
    return g;
  }

  function fill(g, c) {
    const d = c.delivered || 0, f = c.filtered || 0, x = c.dropped || 0, q = c.queued || 0;
    g.setAttribute("data-queued", q);
    g.setAttribute("data-delivered", d);
    g.setAttribute("data-filtered", f);
    g.setAttribute("data-dropped", x);
    const t = g.querySelector("text");
    const parts = [["d", `✓ ${d}`]];
    if (f) parts.push(["f", `✕ ${f}`]);
    if (x) parts.push(["x", `⚠ ${x}`]);
    // the queue depth is drawn as a gauge under the pill (gauges.js), not repeated here
    t.textContent = "";
    parts.forEach(([cls, txt], i) => {
      const s = document.createElementNS(SVGNS, "tspan");
      s.setAttribute("class", `c-${cls}`);
      if (i) s.setAttribute("dx", 8);
      s.textContent = txt;
      t.appendChild(s);
    });
    g.querySelector("title").textContent = `link ${g.getAttribute("data-link")}: ${d} delivered · ${f} filtered · ${x} dropped${q ? ` · ${q} queued` : ""} (exact)`;
    const chars = parts.reduce((n, [, s]) => n + s.length, 0);
    const w = chars * 6.6 + (parts.length - 1) * 8 + 16;
    g.querySelector("rect").setAttribute("width", w);
    g.querySelector("rect").setAttribute("x", -w / 2);
    t.setAttribute("x", -w / 2 + 8);
    g.classList.toggle("has-filtered", f > 0);
    g.classList.toggle("has-dropped", x > 0);
  }

  function place() {
    const curves = canvas.curves;
    for (const g of [...root.querySelectorAll("g.badge")]) {
      const id = g.getAttribute("data-link");
      const c = curves.get(id);
      if (!c) {
        g.remove();
        continue;
      }
      const [x, y] = pointAt(c, 0.5);
      g.setAttribute("transform", `translate(${x},${y})`);
      g.style.display = visible ? "" : "none";
    }
  }

  function update(links) {
    counts = { ...counts, ...links };
    visible = true;
    for (const id of canvas.curves.keys()) fill(badge(id), counts[id] || {});
    place();
    bus.emit("stats:links", counts);
  }

  bus.on("canvas:rendered", () => {
    if (visible) for (const id of canvas.curves.keys()) fill(badge(id), counts[id] || {});
    place();
  });

  return {
    update,
    reset() {
      counts = {};
      visible = true;
      for (const id of canvas.curves.keys()) fill(badge(id), {});
      place();
      bus.emit("stats:links", counts);
    },
    get counts() {
      return counts;
    },
  };
}
