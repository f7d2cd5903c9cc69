// Wiring rules: may socket A be linked to socket B, and if so which end connects?
// Uses the compatible pairs from /api/meta (normalised in meta.js). No DOM.

import { findSocket, linksOf } from "./topology.js";
import { t } from "../i18n.js";

// "SUB", "SUB or XSUB", "REP, ROUTER or DEALER"
export function orList(items) {
  if (items.length <= 1) return items.join("");
  return t("wire.or", { list: items.slice(0, -1).join(", "), last: items[items.length - 1] });
}

export function pairReason(pairs, a, b) {
  const peers = pairs[a] || [];
  if (peers.includes(b)) return null;
  if (peers.length === 1) return t("wire.onlyTo", { a, peer: peers[0], b });
  return peers.length ? t("wire.talksTo", { a, peers: orList(peers), b }) : t("wire.noLinks", { a });
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
  if (!sa || !sb) return { ok: false, reason: t("wire.unknown") };
  if (a.node === b.node && a.socket === b.socket) return { ok: false, reason: t("wire.self") };

  const reason = pairReason(meta.pairs, sa.type, sb.type);
  if (reason) return { ok: false, reason };

  if (sa.mode === sb.mode) {
    const both = sa.mode === "bind" ? "bind" : "connect";
    const other = both === "bind" ? "connect" : "bind";
    return {
      ok: false,
      reason: t(both === "bind" ? "wire.bothBind" : "wire.bothConnect", { where: `${b.node}.${b.socket}` }),
      fix: { node: b.node, socket: b.socket, mode: other },
    };
  }
  const [connect, bind] = sa.mode === "connect" ? [a, b] : [b, a];

  const dup = doc.links.some(
    (l) => l.connect.node === connect.node && l.connect.socket === connect.socket && l.bind.node === bind.node && l.bind.socket === bind.socket,
  );
  if (dup) return { ok: false, reason: t("wire.dup") };

  for (const [end, sock] of [[a, sa], [b, sb]]) {
    if (sock.type === "PAIR" && linksOf(doc, end.node, end.socket).length > 0) {
      return { ok: false, reason: t("wire.pair", { where: `${end.node}.${end.socket}` }) };
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
