// Where things are drawn: node boxes, socket ports, link curves. Pure arithmetic shared by
// the canvas (drawing, hit-testing) and the token layer (moving tokens along links).
// A node's (x, y) is its top-left corner in canvas coordinates.

import { portSide } from "../model/meta.js";

export const NODE_W = 216;
export const HEADER_H = 34;
export const ROW_H = 26;
export const PAD_B = 26; // room for the status line at the bottom

export function nodeHeight(node) {
  return HEADER_H + Math.max(1, node.sockets.length) * ROW_H + PAD_B;
}

// The side each linked socket's port sits on: the side its peers are on, so that a worker to the
// right of its broker shows its DEALER on the left instead of looping a link round itself.
// Unlinked sockets, and peers straight above or below, keep the side of their type.
// Each link end then attaches on the side of ITS peer (per link, not per socket): a socket with
// peers on both sides (the Majordomo broker's ROUTER: clients left, workers right) gets a second
// port on the other side instead of looping links round its node.
// app/export/picture.py draws the SVG export with the same rules.
let sides = new Map(); // "node.socket" → "left" | "right"
let endSides = new Map(); // "link id|connect" / "link id|bind" → the side that end attaches on
let extraSides = new Map(); // "node.socket" → the other side, when some of its links attach there

/** Recompute the port sides from node positions (the canvas calls this before each render). */
export function assignSides(doc) {
  const idx = new Map(doc.nodes.map((n) => [n.id, n]));
  const lean = new Map(); // "node.socket" → sum of the peers' horizontal offsets
  const add = (key, dx) => lean.set(key, (lean.get(key) || 0) + dx);
  for (const l of doc.links) {
    const c = idx.get(l.connect.node), b = idx.get(l.bind.node);
    if (!c || !b || c === b) continue;
    add(`${c.id}.${l.connect.socket}`, b.x - c.x);
    add(`${b.id}.${l.bind.socket}`, c.x - b.x);
  }
  sides = new Map();
  for (const [key, dx] of lean) if (Math.abs(dx) >= NODE_W / 2) sides.set(key, dx < 0 ? "left" : "right");
  endSides = new Map();
  extraSides = new Map();
  const end = (l, which, node, peer) => {
    const sock = node.sockets.find((x) => x.name === l[which].socket);
    if (!sock) return;
    const dx = peer.x - node.x;
    const own = sideOf(node, sock);
    const side = Math.abs(dx) >= NODE_W / 2 ? (dx < 0 ? "left" : "right") : own;
    endSides.set(`${l.id}|${which}`, side);
    if (side !== own) extraSides.set(`${node.id}.${sock.name}`, side);
  };
  for (const l of doc.links) {
    const c = idx.get(l.connect.node), b = idx.get(l.bind.node);
    if (!c || !b || c === b) continue;
    end(l, "connect", c, b);
    end(l, "bind", b, c);
  }
}

/** The side the port of socket `sock` of `node` sits on. */
export function sideOf(node, sock) {
  return sides.get(`${node.id}.${sock.name}`) || portSide(sock.type);
}

/** The other side a socket also has a port on (some of its links attach there), or null. */
export function extraSideOf(node, sock) {
  return extraSides.get(`${node.id}.${sock.name}`) || null;
}

/** Port centre of socket `name` of `node`, with the side it sits on (`side`: that side instead
 *  of the socket's own, for a link end attached on the other side). */
export function portPos(node, name, side = null) {
  const i = Math.max(0, node.sockets.findIndex((s) => s.name === name));
  const sock = node.sockets[i];
  side = side || (sock ? sideOf(node, sock) : "right");
  return {
    x: node.x + (side === "left" ? 0 : NODE_W),
    y: node.y + HEADER_H + i * ROW_H + ROW_H / 2,
    side,
  };
}

/** Cubic Bézier control points from port a to port b (each {x, y, side}). */
export function curve(a, b) {
  const dx = Math.max(50, Math.abs(b.x - a.x) * 0.5);
  const da = a.side === "left" ? -dx : dx;
  const db = b.side === "left" ? -dx : dx;
  return [a.x, a.y, a.x + da, a.y, b.x + db, b.y, b.x, b.y];
}

export function pathD(c) {
  return `M${c[0]},${c[1]} C${c[2]},${c[3]} ${c[4]},${c[5]} ${c[6]},${c[7]}`;
}

/** Point at parameter t in [0, 1] of cubic c. */
export function pointAt(c, t) {
  const u = 1 - t;
  const a = u * u * u, b = 3 * u * u * t, d = 3 * u * t * t, e = t * t * t;
  return [a * c[0] + b * c[2] + d * c[4] + e * c[6], a * c[1] + b * c[3] + d * c[5] + e * c[7]];
}

/** The curve of a link, from its bind end to its connect end (the drawing direction). */
export function linkCurve(doc, link, nodeIndex) {
  const nb = nodeIndex.get(link.bind.node);
  const nc = nodeIndex.get(link.connect.node);
  if (!nb || !nc) return null;
  return curve(
    portPos(nb, link.bind.socket, endSides.get(`${link.id}|bind`)),
    portPos(nc, link.connect.socket, endSides.get(`${link.id}|connect`)),
  );
}

export function bounds(nodes, boxes = []) {
  if (!nodes.length && !boxes.length) return null;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of nodes) {
    x0 = Math.min(x0, n.x);
    y0 = Math.min(y0, n.y);
    x1 = Math.max(x1, n.x + NODE_W);
    y1 = Math.max(y1, n.y + nodeHeight(n));
  }
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x0, y0, x1, y1, w: x1 - x0, h: y1 - y0 };
}
