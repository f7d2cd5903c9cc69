// One gauge's drawing (the bar, its label and tooltip) from its numbers, and every word the
// gauges use. The gauge layer (gauges.js) decides which gauges exist, with what numbers.

import { t } from "../i18n.js";

const SVGNS = "http://www.w3.org/2000/svg";

// Every user-visible string of the gauges (the text is in static/i18n/*.json, keys gauge.*).
export const TEXT = {
  label: (q, cap) => t("gauge.label", { q, cap }),
  labelOver: (cap, n) => t("gauge.labelOver", { cap, n }),
  labelNoLimit: (q) => t("gauge.labelNoLimit", { q }),
  labelUnknown: () => t("gauge.labelUnknown"),
  labelUnresolved: (n) => t("gauge.labelUnresolved", { n }),
  blocked: () => t("gauge.blocked"),
  noPeer: () => t("gauge.noPeer"),
  noPeerTip: (key, type, mode) => t(mode === "connect" ? "gauge.noPeerTip.connect" : "gauge.noPeerTip.bind", { key, type }),
  capacity: (cap, parts) => (cap ? t("gauge.room", { cap, parts }) : t("gauge.noLimit")),
  hwmPart: (from, snd, to, rcv) => t("gauge.hwmPart", { from, snd, to, rcv }),
  linkHead: (id, dir, q) => t("gauge.linkHead", { id, dir, q }),
  socketHead: (key, type, n, q) => t("gauge.socketHead", { key, type, n, q }),
  socketHeadOne: (key, type, peer, q) => t("gauge.socketHeadOne", { key, type, peer, q }),
  routerHead: (key, n, q) => t("gauge.routerHead", { key, n, q }),
  overFanout: (transport) => t(transport === "inproc" ? "gauge.overInproc" : "gauge.overNet"),
  overP2p: () => t("gauge.overP2p"),
  blockedNote: (key) => t("gauge.blockedNote", { key }),
  batchNote: () => t("gauge.batchNote"),
  unknownLink: (id) => t("gauge.unknownLink", { id }),
  unknownTip: (what) => t("gauge.unknownTip", { what }),
  blockedTip: (key, type) => t("gauge.blockedTip", { key, type }),
};

/** A new SVG element under `parent`. */
export function el(parent, tag, attrs = {}) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  parent.appendChild(e);
  return e;
}

/** Set an attribute only when it changes (stats come four times a second). */
export function set(e, name, value) {
  if (e.getAttribute(name) !== String(value)) e.setAttribute(name, value);
}

/** Paint one gauge: q (number, or null = unknown), capacity (0 = no limit). Touches the DOM
 *  only when what it shows changed: stats come four times a second for every link. */
export function paint(g, { q, cap, full: blockedHere, tip, overTip, barW, unresolved = 0 }) {
  const known = typeof q === "number";
  const full = blockedHere && known;
  const fill = !known ? 0 : full ? 1 : cap ? Math.min(1, q / cap) : 0;
  // Drawn from the first time something queues (one message in flight at a snapshot is not a
  // queue) until the run ends, so a draining queue stays in view; the data is always there.
  if (!known || full || q > 1) g.__shown = true;
  let label;
  if (!known && unresolved) label = TEXT.labelUnresolved(unresolved);
  else if (!known) label = TEXT.labelUnknown();
  else if (!cap) label = TEXT.labelNoLimit(q);
  else if (q > cap) label = TEXT.labelOver(cap, q - cap);
  else label = TEXT.label(q, cap);
  const notes = [tip, known && cap && q > cap ? overTip : "", known && full && q < cap ? TEXT.batchNote() : ""];
  const title = notes.filter(Boolean).join("\n");
  const sig = [known ? q : "", unresolved, cap, full, barW, g.__left, Boolean(g.__shown), label, title].join("\u0001");
  if (sig === g.__sig) return;
  g.__sig = sig;
  set(g, "data-queued", known ? q : "");
  set(g, "data-capacity", cap);
  set(g, "data-fill", fill.toFixed(3));
  set(g, "data-blocked", full ? "true" : "false");
  g.classList.toggle("unknown", !known);
  g.classList.toggle("unresolved", !known && unresolved > 0);
  set(g, "data-unresolved", known ? 0 : unresolved);
  g.classList.toggle("unlimited", known && !cap);
  g.classList.toggle("lvl-amber", known && fill >= 0.6 && fill < 0.9);
  g.classList.toggle("lvl-red", known && fill >= 0.9);
  g.classList.toggle("is-blocked", full);
  g.classList.toggle("quiet", !g.__shown);
  set(g, "data-shown", g.__shown ? "true" : "false");
  const text = g.querySelector(".g-text");
  if (text.textContent !== label) {
    text.textContent = label;
    g.__tw = 0;
  }
  // Measuring forces a layout: only a shown gauge whose text changed is measured (a hidden
  // one measures 0 and takes the estimate).
  if (!g.__tw && g.__shown) g.__tw = text.getComputedTextLength?.() || 0;
  const tw = g.__tw || label.length * 6.1;
  const w = (cap || !known ? barW : 0) + (cap || !known ? 6 : 0) + tw;
  const x0 = g.classList.contains("socket-gauge") ? (g.__left ? -w : 0) : -w / 2;
  const track = g.querySelector(".g-track"), bar = g.querySelector(".g-fill");
  const showBar = Boolean(cap) || !known;
  const display = showBar ? "" : "none";
  if (track.style.display !== display) track.style.display = bar.style.display = display;
  set(track, "x", x0);
  set(track, "width", barW);
  set(bar, "x", x0);
  set(bar, "width", Math.max(0, barW * fill));
  set(text, "x", showBar ? x0 + barW + 6 : x0);
  const t = g.querySelector("title");
  if (t.textContent !== title) t.textContent = title;
}
