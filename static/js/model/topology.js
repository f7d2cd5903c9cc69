// Topology document operations (docs/topology.md). Plain data in, plain data out; no DOM.
// Functions that change a document mutate the one they are given; callers snapshot it for
// undo (see editor/history.js) before calling them.

import { defaultMode } from "./meta.js";

export const ID_RE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
export const SOCKET_RE = /^[A-Za-z][A-Za-z0-9_-]{0,19}$/;

export function emptyDoc() {
  return { version: 1, title: "", description: "", transport: "ipc", nodes: [], links: [], view: { x: 0, y: 0, k: 1 } };
}

export const clone = (x) => JSON.parse(JSON.stringify(x));
export const findNode = (doc, id) => doc.nodes.find((n) => n.id === id) || null;
export const findLink = (doc, id) => doc.links.find((l) => l.id === id) || null;
export const findSocket = (doc, nodeId, name) => findNode(doc, nodeId)?.sockets.find((s) => s.name === name) || null;

// Fill in what an older or hand-written document may lack, so the editor can rely on it.
export function normalizeDoc(input) {
  const doc = { ...emptyDoc(), ...clone(input || {}) };
  doc.nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  doc.links = Array.isArray(doc.links) ? doc.links : [];
  doc.nodes.forEach((n, i) => {
    n.sockets = Array.isArray(n.sockets) ? n.sockets : [];
    n.sockets.forEach((s) => (s.options = s.options && typeof s.options === "object" ? s.options : {}));
    n.behaviour = n.behaviour && typeof n.behaviour === "object" ? n.behaviour : {};
    if (typeof n.x !== "number") n.x = 80 + (i % 4) * 240;
    if (typeof n.y !== "number") n.y = 80 + Math.floor(i / 4) * 180;
  });
  if (!doc.view || typeof doc.view !== "object") doc.view = { x: 0, y: 0, k: 1 };
  return doc;
}

// A fresh id "prefix", "prefix2", ... not used by any of `taken`.
export function uniqueId(prefix, taken) {
  const used = new Set(taken);
  const base = String(prefix).replace(/[^A-Za-z0-9_-]/g, "") || "n";
  const safe = /^[A-Za-z]/.test(base) ? base : `n${base}`;
  if (!used.has(safe)) return safe;
  for (let i = 2; ; i++) if (!used.has(`${safe}${i}`)) return `${safe}${i}`;
}

export function defaultBehaviour(meta, kind, sockets) {
  const spec = meta.kinds[kind];
  if (!spec) return {};
  if (spec.behaviour) {
    // The server's template names the sockets; fill the other fields with their defaults.
    const b = clone(spec.behaviour);
    for (const f of spec.fields) if (!f.socket && !(f.name in b) && f.default !== undefined && f.default !== null) b[f.name] = clone(f.default);
    return b;
  }
  const b = {};
  const names = sockets.map((s) => s.name);
  let nextSocket = 0;
  for (const f of spec.fields) {
    if (f.socket) {
      if (f.optional && names.length < 2) continue;
      b[f.name] = names[Math.min(nextSocket++, names.length - 1)];
    } else if (f.default !== undefined && f.default !== null) {
      b[f.name] = clone(f.default);
    }
  }
  return b;
}

export function addNode(doc, meta, kind, x, y) {
  const spec = meta.kinds[kind];
  const id = uniqueId(kind, doc.nodes.map((n) => n.id));
  const sockets = (spec?.sockets || []).map((s) => ({ name: s.name, type: s.type, mode: s.mode || defaultMode(s.type), options: clone(s.options || {}) }));
  const node = { id, kind, label: "", x: Math.round(x), y: Math.round(y), sockets, behaviour: defaultBehaviour(meta, kind, sockets) };
  doc.nodes.push(node);
  return node;
}

export function addSocket(doc, nodeId, type, mode) {
  const node = findNode(doc, nodeId);
  if (!node) return null;
  const name = uniqueId(type.toLowerCase(), node.sockets.map((s) => s.name));
  const sock = { name, type, mode: mode || defaultMode(type), options: {} };
  if (type === "SUB") sock.options.subscribe = [""];
  node.sockets.push(sock);
  // A behaviour field naming no socket yet picks up the new one.
  for (const [k, v] of Object.entries(node.behaviour || {})) if (v === "" || v === null) node.behaviour[k] = name;
  return sock;
}

/** Change a socket's type in place (mode: the new type's default; SUB gets "everything"). */
export function retypeSocket(doc, nodeId, name, type) {
  const s = findSocket(doc, nodeId, name);
  if (!s) return null;
  s.type = type;
  s.mode = defaultMode(type);
  if (type === "SUB") s.options.subscribe ??= [""];
  else delete s.options.subscribe;
  return s;
}

export function removeLink(doc, linkId) {
  doc.links = doc.links.filter((l) => l.id !== linkId);
}

const touches = (l, nodeId, sock) =>
  (l.connect.node === nodeId && (sock == null || l.connect.socket === sock)) ||
  (l.bind.node === nodeId && (sock == null || l.bind.socket === sock));

export const linksOf = (doc, nodeId, sock = null) => doc.links.filter((l) => touches(l, nodeId, sock));

export function removeNode(doc, nodeId) {
  doc.nodes = doc.nodes.filter((n) => n.id !== nodeId);
  doc.links = doc.links.filter((l) => !touches(l, nodeId, null));
}

export function removeSocket(doc, nodeId, name) {
  const node = findNode(doc, nodeId);
  if (!node) return;
  node.sockets = node.sockets.filter((s) => s.name !== name);
  doc.links = doc.links.filter((l) => !touches(l, nodeId, name));
}

export function renameNode(doc, oldId, newId) {
  const node = findNode(doc, oldId);
  if (!node || oldId === newId) return;
  node.id = newId;
  for (const l of doc.links) for (const end of [l.connect, l.bind]) if (end.node === oldId) end.node = newId;
}

export function renameSocket(doc, nodeId, oldName, newName) {
  const node = findNode(doc, nodeId);
  const sock = node?.sockets.find((s) => s.name === oldName);
  if (!sock || oldName === newName) return;
  sock.name = newName;
  for (const l of doc.links) for (const end of [l.connect, l.bind]) if (end.node === nodeId && end.socket === oldName) end.socket = newName;
  for (const [k, v] of Object.entries(node.behaviour || {})) if (v === oldName) node.behaviour[k] = newName;
}

export function addLink(doc, connectEnd, bindEnd) {
  const link = { id: nextLinkId(doc), connect: { ...connectEnd }, bind: { ...bindEnd } };
  doc.links.push(link);
  return link;
}

function nextLinkId(doc) {
  const used = new Set(doc.links.map((l) => l.id));
  for (let i = doc.links.length + 1; ; i++) if (!used.has(`l${i}`)) return `l${i}`;
}

// The document as the server wants it: drop empty optional values the editor keeps around.
export function forServer(doc) {
  const out = clone(doc);
  for (const n of out.nodes) {
    if (!n.label) delete n.label;
    for (const [k, v] of Object.entries(n.behaviour || {})) if (v === null || v === undefined) delete n.behaviour[k];
  }
  return out;
}

// "node.socket" strings used by events and the started link map.
export const endKey = (end) => `${end.node}.${end.socket}`;
export function splitKey(key) {
  const i = String(key).lastIndexOf(".");
  return i < 0 ? { node: key, socket: "" } : { node: key.slice(0, i), socket: key.slice(i + 1) };
}
