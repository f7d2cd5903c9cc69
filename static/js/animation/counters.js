// Per-link counters (delivered / filtered / dropped) drawn as a pill at each link's middle.
// Values come only from `stats` events (and the `stopped` totals), which the server never
// samples, so they are always exact. Badges are repositioned after every canvas render.

import { pointAt } from "../editor/geometry.js";
import { t } from "../i18n.js";

const SVGNS = "http://www.w3.org/2000/svg";

export function createCounters(layer, { bus, canvas }) {
  const root = layer.node();
  let counts = {}; // link id → {delivered, filtered, dropped}
  let visible = false;

  // One entry per badge: its elements and what they show now, so an update touches the DOM
  // only where a value changed (stats arrive four times a second for every link).
  const badges = new Map(); // link id → {g, rect, text, tip, spans, key, w, at, shown}

  function set(el, name, value) {
    if (el.getAttribute(name) !== String(value)) el.setAttribute(name, value);
  }

  function badge(id) {
    let b = badges.get(id);
    if (!b || !b.g.isConnected) {
      const g = document.createElementNS(SVGNS, "g");
      g.setAttribute("class", "badge");
      g.setAttribute("data-link", id);
      g.setAttribute("data-testid", `link-counter-${id}`);
      const rect = document.createElementNS(SVGNS, "rect");
      rect.setAttribute("rx", 9);
      rect.setAttribute("height", 18);
      rect.setAttribute("y", -9);
      const text = document.createElementNS(SVGNS, "text");
      text.setAttribute("y", 4);
      const tip = document.createElementNS(SVGNS, "title");
      g.append(rect, text, tip);
      g.addEventListener("click", (e) => {
        e.stopPropagation();
        bus.emit("link:select", { id });
      });
      root.appendChild(g);
      b = { g, rect, text, tip, spans: [], key: null, w: null, at: null, shown: null };
      badges.set(id, b);
    }
    return b;
  }

  function fill(b, c) {
    const d = c.delivered || 0, f = c.filtered || 0, x = c.dropped || 0, q = c.queued || 0;
    // unknown (unresolved: in a queue or dropped, libzmq does not say) and not observable (sent
    // to outside peers) get their own glyphs, never folded into the known counts
    const u = c.unresolved || c.undelivered || 0, o = c.outside || 0, a = c.unattributed || 0;
    const key = `${d}|${f}|${x}|${q}|${u}|${o}|${a}|${c.why || ""}|${JSON.stringify(c.proven || {})}`;
    if (key === b.key) return;
    b.key = key;
    const g = b.g;
    set(g, "data-queued", q);
    set(g, "data-delivered", d);
    set(g, "data-filtered", f);
    set(g, "data-dropped", x);
    set(g, "data-unresolved", u);
    const parts = [["d", `✓ ${d}`]];
    if (f) parts.push(["f", `✕ ${f}`]);
    if (x) parts.push(["x", `⚠ ${x}`]);
    if (u) parts.push(["u", `? ${u}`]);
    if (o) parts.push(["o", `↗ ${o}`]);
    // the queue depth is drawn as a gauge under the pill (gauges.js), not repeated here
    const shape = parts.map(([cls]) => cls).join("");
    if (b.spans.map((s) => s.__cls).join("") !== shape) {
      b.text.textContent = "";
      b.spans = parts.map(([cls], i) => {
        const s = document.createElementNS(SVGNS, "tspan");
        s.setAttribute("class", `c-${cls}`);
        if (i) s.setAttribute("dx", 8);
        s.__cls = cls;
        b.text.appendChild(s);
        return s;
      });
    }
    parts.forEach(([, txt], i) => {
      if (b.spans[i].textContent !== txt) b.spans[i].textContent = txt;
    });
    b.tip.textContent = knowledgeTip(g.getAttribute("data-link"), c);
    const chars = parts.reduce((n, [, s]) => n + s.length, 0);
    const w = chars * 6.6 + (parts.length - 1) * 8 + 16;
    if (w !== b.w) {
      b.w = w;
      b.rect.setAttribute("width", w);
      b.rect.setAttribute("x", -w / 2);
      b.text.setAttribute("x", -w / 2 + 8);
    }
    g.classList.toggle("has-filtered", f > 0);
    g.classList.toggle("has-dropped", x > 0);
  }

  /** The pill's tooltip: each number with the kind of knowledge behind it (docs/protocol.md). */
  function knowledgeTip(id, c) {
    const lines = [t("know.head", { id, d: c.delivered || 0, f: c.filtered || 0 })];
    if (c.known) lines.push(t("know.known", { n: c.known }));
    for (const [rule, n] of Object.entries(c.proven || {})) {
      lines.push(t("know.proven", { n, rule: t(`know.rule.${rule}`) }));
    }
    if (typeof c.queued === "number") lines.push(t("know.queued", { n: c.queued }));
    const u = c.unresolved || c.undelivered;
    if (u) lines.push(t(c.undelivered ? "know.undelivered" : "know.unresolved", { n: u, why: c.why ? t(`know.why.${c.why}`) : "" }));
    if (c.outside) lines.push(t("know.outside", { n: c.outside }));
    if (c.unattributed) lines.push(t("know.unattributed", { n: c.unattributed }));
    return lines.join("\n");
  }

  function place() {
    const curves = canvas.curves;
    for (const [id, b] of badges) {
      const c = curves.get(id);
      if (!c || !b.g.isConnected) {
        b.g.remove();
        badges.delete(id);
        continue;
      }
      const [x, y] = pointAt(c, 0.5);
      const at = `translate(${x},${y})`;
      if (at !== b.at) b.g.setAttribute("transform", (b.at = at));
      if (visible !== b.shown) b.g.style.display = (b.shown = visible) ? "" : "none";
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
