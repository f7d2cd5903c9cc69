// How a token looks and moves, as pure functions of the token, the time and the canvas: its
// position along the link's curve (placeToken), its colour (colourOf, readColours) and its
// drawing on a 2D context (circles for the batched moving tokens, drawOne for the others).
// The token layer (tokens.js) owns the tokens and the frame loop.
// Colour is never the only signal: the outcomes differ in shape, with the sequence chart's and
// the legend's vocabulary (ui/sequence.js, templates/editor.html):
//   delivered  a plain dot
//   filtered   a dot with a cross (✕) in it, from the moment it appears
//   dropped    a dot with a bar (⊣) across its link; where it is dropped the bar stays on the
//              link while the dot falls away
// (a blocked sender is marked on its port with a pause sign: animation/gauges.js)

import { pointAt, portPos } from "../editor/geometry.js";

export const HALO_R = 9;
export const DOT_R = 6;
export const PULSE_R = 8;
export const HIT_R = 16; // the clickable radius around a token (larger than the dot)
export const BAR_HALF = DOT_R + 4; // half the length of a dropped token's bar
export const FILTER_AT = 0.07; // where a filtered token stands: just off the publisher's port
const FILTER_MARK_AT = 0.24; // where its mark naming the SUB is written
const TAU = Math.PI * 2;
const LABEL_FONT = 11;

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
    labelBg: v("--panel", "#ffffff"),
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
    // libzmq's PUB/XPUB filters before it sends (tcp, ipc and inproc alike): the message never
    // enters this link. The token appears at the publisher's port, at the start of the link to
    // the SUB whose subscriptions did not match, holds there, and bursts with an ✕.
    u = FILTER_AT;
    if (p < 0.25) {
      scale = 0.5 + 0.5 * ease(p / 0.25);
      a = 0.5 + 2 * p;
    } else if (p >= 0.7) {
      const q = (p - 0.7) / 0.3;
      scale = 1 + q * 0.8;
      a = 1 - q * q;
      burst = true;
    } else burst = true;
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
  if (t.kind === "dropped") {
    // its bar: across the link where the token is (where it is dropped, once it falls)
    const [ax, ay] = pointAt(c, Math.max(0, (t.fwd ? u : 1 - u) - 0.01));
    const [bx, by] = pointAt(c, Math.min(1, (t.fwd ? u : 1 - u) + 0.01));
    const len = Math.hypot(bx - ax, by - ay) || 1;
    t.bx = x;
    t.by = y;
    t.nx = -(by - ay) / len;
    t.ny = (bx - ax) / len;
  }
  if (t.kind === "filtered") {
    // its mark a little further along the link, where the links of one port have parted
    const [lx, ly] = pointAt(c, t.fwd ? FILTER_MARK_AT : 1 - FILTER_MARK_AT);
    t.lx = lx;
    t.ly = ly;
  }
  t.x = x;
  t.y = y + dy;
  t.s = scale * zk;
  t.zk = zk;
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
  const filtered = t.kind === "filtered";
  g.fillStyle = filtered ? col.burstFill : c;
  g.strokeStyle = filtered ? col.bad : col.stroke;
  g.lineWidth = (filtered ? 1.2 : 1.6) * s;
  g.beginPath();
  g.arc(t.x, t.y, DOT_R * s, 0, TAU);
  g.fill();
  g.stroke();
  g.lineCap = "round";
  if (filtered) {
    // the cross, as in the chart and the legend
    const d = 4 * s;
    g.strokeStyle = col.bad;
    g.lineWidth = 2.4 * s;
    g.beginPath();
    g.moveTo(t.x - d, t.y - d);
    g.lineTo(t.x + d, t.y + d);
    g.moveTo(t.x + d, t.y - d);
    g.lineTo(t.x - d, t.y + d);
    g.stroke();
  } else if (t.kind === "dropped") {
    // the bar across the link, edged so it reads over the dot and the link alike
    const h = BAR_HALF * t.zk;
    g.beginPath();
    g.moveTo(t.bx - t.nx * h, t.by - t.ny * h);
    g.lineTo(t.bx + t.nx * h, t.by + t.ny * h);
    g.strokeStyle = col.stroke;
    g.lineWidth = 5 * t.zk;
    g.stroke();
    g.strokeStyle = col.bad;
    g.lineWidth = 2.6 * t.zk;
    g.stroke();
  }
  g.lineCap = "butt";
}

/** The text a token shows beside it: a filtered token always names the SUB whose
 *  subscriptions did not match (with the topic when labels are on); others show their label
 *  (token-label.js) when labels are on. */
export function labelText(t, labels) {
  if (t.kind === "filtered") return labels && t.label ? `✕ ${t.to}: ${t.label}` : `✕ ${t.to}`;
  return labels ? t.label || "" : "";
}

/** A small tag with `text` up and to the right of token `t` (a filtered token's in red). */
export function drawLabel(g, t, text, col) {
  const s = t.kind === "filtered" ? t.zk : t.s; // a mark keeps its size while its token bursts
  const fs = LABEL_FONT * s;
  g.font = `600 ${fs}px system-ui, sans-serif`;
  const w = g.measureText(text).width + 8 * s;
  const h = fs + 5 * s;
  const mark = t.kind === "filtered";
  const x = mark ? t.lx - w / 2 : t.x + (DOT_R + 3) * s;
  const y = mark ? t.ly - h / 2 : t.y - (DOT_R + 3) * s - h;
  g.globalAlpha = Math.max(0, Math.min(1, t.a)) * 0.92;
  g.fillStyle = col.labelBg;
  g.strokeStyle = t.kind === "filtered" ? col.bad : col.filtered;
  g.lineWidth = 1 * s;
  g.beginPath();
  g.roundRect ? g.roundRect(x, y, w, h, 3 * s) : g.rect(x, y, w, h);
  g.fill();
  g.stroke();
  g.globalAlpha = Math.max(0, Math.min(1, t.a));
  g.fillStyle = t.kind === "filtered" ? col.bad : col.text;
  g.textBaseline = "middle";
  g.fillText(text, x + 4 * s, y + h / 2);
}
