// Resizable panes: the palette's and the sidebar's widths and the dock's height, each with a
// separator (role=separator, aria-valuenow/min/max in px) dragged by pointer or moved by
// keyboard (arrows: 16 px, Shift: 64 px, Home/End: the bounds). The sizes are CSS variables on
// <body> (css/comforts.css applies them to the full editor, ≥ 1024 px; the tablet and phone
// layouts keep their own), remembered in localStorage ("zpg.panes").

import { t, onLangChange } from "../i18n.js";

const KEY = "zpg.panes";
const STEP = 16;
const BIG = 64;
// name: the variable, where its separator sits, its axis and bounds, which way grows it.
const PANES = {
  palette: { v: "--pal-w", host: ".stage", edge: "left", axis: "x", min: 160, max: 420, sign: 1, of: ".palette", label: "pane.palette" },
  sidebar: { v: "--side-w", host: ".stage", edge: "right", axis: "x", min: 260, max: 640, sign: -1, of: ".sidebar", label: "pane.sidebar" },
  dock: { v: "--dock-h", host: ".dock", edge: "top", axis: "y", min: 110, max: 640, sign: -1, of: ".dock", label: "pane.dock" },
};

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "{}") || {};
  } catch {
    return {};
  }
}

export function attachPanes(body) {
  const sizes = load();
  const seps = {};

  const bounds = (p) => {
    // The dock never takes more than 60 % of the window, the canvas keeps room beside the sides.
    const max = p.axis === "y" ? Math.min(p.max, Math.round(window.innerHeight * 0.6)) : p.max;
    return [p.min, Math.max(p.min, max)];
  };
  const current = (name) => {
    const p = PANES[name];
    if (sizes[name]) return sizes[name];
    const r = document.querySelector(p.of)?.getBoundingClientRect();
    return Math.round(p.axis === "x" ? r?.width || p.min : r?.height || p.min);
  };

  function apply(name, px, save = true) {
    const p = PANES[name];
    const [lo, hi] = bounds(p);
    const v = Math.round(Math.min(hi, Math.max(lo, px)));
    sizes[name] = v;
    body.style.setProperty(p.v, `${v}px`);
    body.classList.add(`pane-${name}-set`);
    paint(name);
    if (save) {
      try {
        localStorage.setItem(KEY, JSON.stringify(sizes));
      } catch {
        /* not remembered */
      }
    }
    window.dispatchEvent(new Event("resize")); // the canvas and the token layer follow
  }

  function paint(name) {
    const p = PANES[name];
    const [lo, hi] = bounds(p);
    const el = seps[name];
    el.setAttribute("aria-valuemin", String(lo));
    el.setAttribute("aria-valuemax", String(hi));
    el.setAttribute("aria-valuenow", String(current(name)));
    el.setAttribute("aria-label", t(p.label));
    el.title = t(p.label);
  }

  for (const [name, p] of Object.entries(PANES)) {
    const host = document.querySelector(p.host);
    if (!host) continue;
    const el = document.createElement("div");
    el.className = `pane-sep pane-sep-${p.edge}`;
    el.setAttribute("role", "separator");
    el.setAttribute("tabindex", "0");
    el.setAttribute("aria-orientation", p.axis === "x" ? "vertical" : "horizontal");
    el.setAttribute("data-testid", `pane-sep-${name}`);
    host.appendChild(el);
    seps[name] = el;
    if (sizes[name]) apply(name, sizes[name], false);
    else paint(name);

    el.addEventListener("keydown", (e) => {
      const d = e.shiftKey ? BIG : STEP;
      const grow = p.axis === "x" ? { ArrowRight: d, ArrowLeft: -d } : { ArrowUp: d, ArrowDown: -d };
      const [lo, hi] = bounds(p);
      let next = null;
      if (e.key in grow) next = current(name) + grow[e.key] * (p.axis === "x" ? p.sign : 1);
      else if (e.key === "Home") next = lo;
      else if (e.key === "End") next = hi;
      if (next === null) return;
      e.preventDefault();
      apply(name, next);
    });
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      el.setPointerCapture(e.pointerId);
      const start = p.axis === "x" ? e.clientX : e.clientY;
      const from = current(name);
      el.classList.add("dragging");
      const move = (ev) => apply(name, from + ((p.axis === "x" ? ev.clientX : ev.clientY) - start) * p.sign, false);
      const up = () => {
        el.removeEventListener("pointermove", move);
        el.classList.remove("dragging");
        apply(name, current(name));
      };
      el.addEventListener("pointermove", move);
      el.addEventListener("pointerup", up, { once: true });
    });
  }
  onLangChange(() => Object.keys(seps).forEach(paint));
  window.addEventListener("resize", () => Object.keys(seps).forEach(paint));
  return { sizes, apply };
}
