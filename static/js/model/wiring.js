// Wiring rules: may socket A be linked to socket B, and if so which end connects?
// Uses the compatible pairs from /api/meta (normalised in meta.js). No DOM.

import { findSocket, linksOf } from "./topology.js";

// "SUB", "SUB or XSUB", "REP, ROUTER or DEALER"
export function orList(items) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export function pairReason(pairs, a, b) {
  const peers = pairs[a] || [];
  if (peers.includes(b)) return null;
  if (peers.length === 1) return `${a} talks only to ${peers[0]}, not ${b}`;
  return peers.length ? `${a} talks to ${orList(peers)}, not ${b}` : `${a} sockets cannot be linked`;
}

/**
 * Decide whether a link from end `a` to end `b` ({node, socket}) is allowed.
 * Returns {ok: true, connect, bind} or {ok: false, reason}.
 * Order of checks: same socket, type compatibility (the reason users most need), modes,
 * duplicates, the PAIR single-peer rule.
 */
export function checkWire(doc, meta, a, b) {
  const sa = findSocket(doc, a.node, a.socket);
  const sb = findSocket(doc, b.node, b.socket);
  if (!sa || !sb) return { ok: false, reason: "Unknown socket" };
  if (a.node === b.node && a.socket === b.socket) return { ok: false, reason: "A socket cannot be linked to itself" };

  const reason = pairReason(meta.pairs, sa.type, sb.type);
  if (reason) return { ok: false, reason };

  if (sa.mode === sb.mode) {
    const both = sa.mode === "bind" ? "bind" : "connect";
    const other = both === "bind" ? "connect" : "bind";
    return {
      ok: false,
      reason: `Both ends ${both}: one socket must bind and the other connect (switch ${b.node}.${b.socket} to ${other})`,
      fix: { node: b.node, socket: b.socket, mode: other },
    };
  }
  const [connect, bind] = sa.mode === "connect" ? [a, b] : [b, a];

  const dup = doc.links.some(
    (l) => l.connect.node === connect.node && l.connect.socket === connect.socket && l.bind.node === bind.node && l.bind.socket === bind.socket,
  );
  if (dup) return { ok: false, reason: "These two sockets are already linked" };

  for (const [end, sock] of [[a, sa], [b, sb]]) {
    if (sock.type === "PAIR" && linksOf(doc, end.node, end.socket).length > 0) {
      return { ok: false, reason: `PAIR ${end.node}.${end.socket} already has its one peer` };
    }
  }
  return { ok: true, connect: { ...connect }, bind: { ...bind } };
}

// Peers a socket could be wired to right now (used to highlight valid targets while dragging).
export function validTargets(doc, meta, from) {
  const out = [];
  for (const n of doc.nodes) for (const s of n.sockets) {
    const to = { node: n.id, socket: s.name };
    if (checkWire(doc, meta, from, to).ok) out.push(to);
  }
  return out;
}
