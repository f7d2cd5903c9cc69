// How a token looks and moves, as pure functions of the token, the time and the canvas: its
// position along the link's curve (placeToken), its colour (colourOf, readColours) and its
// drawing on a 2D context (circles for the batched moving tokens, drawOne for the others).
// The token layer (tokens.js) owns the tokens and the frame loop.

import { pointAt, portPos } from "../editor/geometry.js";

export const HALO_R = 9;
export const DOT_R = 6;
export const PULSE_R = 8;
const TAU = Math.PI * 2;

const ease = (p) => (p < 0.5 ? 2 * p * p : 1 - (-2 * p + 2) ** 2 / 2);

/** One path per colour: a circle of radius `r` at every token of each batch, filled (and
 *  stroked with the current stroke style when `stroke`). */
export function circles(g, batches, r, stroke) {
  for (const [c, list] of batches) {
    if (!list.length) continue;
    g.fillStyle = c;
    g.beginPath();
    for (const t of list) {
      g.moveTo(t.x + r, t.y);
      g.arc(t.x, t.y, r, 0, TAU);
    }
    g.fill();
    if (stroke) g.stroke();
  }
}

/** The token colours, from CSS custom properties on the canvas host (canvas.css). */
export function readColours(host) {
  const cs = getComputedStyle(host);
  const v = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  return {
    fam: {
      reqrep: v("--reqrep", "#2563eb"),
      pubsub: v("--pubsub", "#d97706"),
      pipeline: v("--pipeline", "#059669"),
      pair: v("--pair", "#9333ea"),
    },
    other: v("--tk-other", "#475467"),
    filtered: v("--tk-filtered", "#98a2b3"),
    burstFill: v("--tk-burst-fill", "#fee2e2"),
    stroke: v("--tk-stroke", "#fff"),
    bad: v("--bad", "#dc2626"),
    pulse: v("--accent-2", "#6366f1"),
    text: v("--text", "#141a26"),
  };
}

/** Where token `t` is at `now` (x, y, scale s, opacity a, burst); false when its link or node
 *  is gone. `zk`: the token scale for the current zoom. */
export function placeToken(t, now, zk, canvas) {
  const p = (now - t.start) / t.dur;
  if (t.kind === "pulse") {
    const n = canvas.nodeIndex.get(t.node);
    if (!n) return false;
    const pos = portPos(n, t.socket);
    t.x = pos.x;
    t.y = pos.y;
    t.s = zk * (1 + p * 1.6);
    t.a = 0.7 * (1 - p);
    t.burst = false;
    return true;
  }
  const c = canvas.curves.get(t.link);
  if (!c) return false;
  let u, scale = 1, a = 1, dy = 0, burst = false;
  if (t.kind === "delivered") {
    u = ease(p);
  } else if (t.kind === "filtered") {
    const stop = 0.86;
    if (p < 0.7) u = stop * ease(p / 0.7);
    else {
      u = stop;
      const q = (p - 0.7) / 0.3;
      scale = 1 + q * 1.2;
      a = 1 - q * q;
      burst = true;
    }
  } else {
    if (p < 0.55) u = 0.5 * ease(p / 0.55);
    else {
      u = 0.5;
      const q = (p - 0.55) / 0.45;
      dy = 40 * q * q;
      a = 1 - q;
      burst = true;
    }
  }
  const [x, y] = pointAt(c, t.fwd ? u : 1 - u);
  t.x = x;
  t.y = y + dy;
  t.s = scale * zk;
  t.a = a;
  t.burst = burst;
  return true;
}

/** The colour a token is drawn in (`col`: readColours()). */
export function colourOf(t, col) {
  if (t.kind === "filtered") return t.burst ? col.bad : col.filtered;
  if (t.kind === "dropped") return col.bad;
  return col.fam[t.fam] || col.other;
}

/** Draw one token on its own (fading, bursting, highlighted, a pulse ring). */
export function drawOne(g, t, col, highlighted) {
  const s = t.s;
  g.globalAlpha = t.a;
  if (t.kind === "pulse") {
    g.strokeStyle = col.pulse;
    g.lineWidth = 2 * s;
    g.beginPath();
    g.arc(t.x, t.y, PULSE_R * s, 0, TAU);
    g.stroke();
    return;
  }
  const c = colourOf(t, col);
  if (t.msg === highlighted) {
    g.strokeStyle = col.text;
    g.lineWidth = 2 * s;
    g.beginPath();
    g.arc(t.x, t.y, HALO_R * s, 0, TAU);
    g.stroke();
  } else {
    g.globalAlpha = t.a * 0.16;
    g.fillStyle = c;
    g.beginPath();
    g.arc(t.x, t.y, HALO_R * s, 0, TAU);
    g.fill();
    g.globalAlpha = t.a;
  }
  const filteredBurst = t.kind === "filtered" && t.burst;
  g.fillStyle = filteredBurst ? col.burstFill : c;
  g.strokeStyle = filteredBurst ? col.bad : col.stroke;
  g.lineWidth = (filteredBurst ? 1.2 : 1.6) * s;
  g.beginPath();
  g.arc(t.x, t.y, DOT_R * s, 0, TAU);
  g.fill();
  g.stroke();
  if (filteredBurst) {
    const d = 4 * s;
    g.strokeStyle = col.bad;
    g.lineWidth = 2.4 * s;
    g.lineCap = "round";
    g.beginPath();
    g.moveTo(t.x - d, t.y - d);
    g.lineTo(t.x + d, t.y + d);
    g.moveTo(t.x + d, t.y - d);
    g.lineTo(t.x - d, t.y + d);
    g.stroke();
    g.lineCap = "butt";
  }
}
