// Copy, paste and duplicate nodes (Ctrl/⌘+C, V, D): the selected nodes (editor/selection.js)
// with the links between them; a paste gets new node and link ids (kind, kind2... as a dropped
// node would), lands 40 px lower right each time and becomes the selection. Each paste or
// duplicate is one undo step. The clipboard is this page's (a plain-data copy taken at Ctrl+C),
// not the system's: a topology is not text a person pastes elsewhere.

import { clone, findNode } from "../model/topology.js";
import { t } from "../i18n.js";

const OFFSET = 40;

/** The nodes `ids` of `doc` and the links with both ends among them, as plain data. */
export function copyNodes(doc, ids) {
  const keep = new Set(ids);
  return {
    nodes: clone(doc.nodes.filter((n) => keep.has(n.id))),
    links: clone(doc.links.filter((l) => keep.has(l.connect.node) && keep.has(l.bind.node))),
  };
}

/** Add a copy of `clip` to `doc`, `shift` px lower right, with fresh ids; returns the new node ids. */
export function pasteNodes(doc, clip, shift = OFFSET) {
  const rename = new Map();
  const taken = doc.nodes.map((n) => n.id);
  for (const n of clip.nodes) {
    // "w1" → "w4", "ventilator" → "ventilator2": the copy's name says what it copies.
    const base = String(n.id).replace(/\d+$/, "") || n.kind;
    const id = nextFree(base, taken);
    taken.push(id);
    rename.set(n.id, id);
  }
  for (const n of clip.nodes) doc.nodes.push({ ...clone(n), id: rename.get(n.id), x: n.x + shift, y: n.y + shift });
  const linkIds = new Set(doc.links.map((l) => l.id));
  for (const l of clip.links) {
    let k = doc.links.length + 1;
    while (linkIds.has(`l${k}`)) k++;
    linkIds.add(`l${k}`);
    const end = (e) => ({ ...e, node: rename.get(e.node) });
    doc.links.push({ ...clone(l), id: `l${k}`, connect: end(l.connect), bind: end(l.bind) });
  }
  return [...rename.values()];
}

function nextFree(base, taken) {
  const used = new Set(taken);
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

export function attachClipboard(ctx, selection) {
  const { store, bus } = ctx;
  let clip = null;
  let pastes = 0;

  const say = (text, kind = "info") => {
    bus.emit("toast:show", { kind, text, sticky: 1800 });
    bus.emit("a11y:announce", { text });
  };

  function selectedIds() {
    const ids = selection.ids;
    const one = ctx.selection();
    return ids.length ? ids : one?.type === "node" && findNode(store.doc, one.id) ? [one.id] : [];
  }

  function paste(from, shift, label) {
    const made = store.edit(label, (doc) => pasteNodes(doc, from, shift));
    if (!Array.isArray(made)) return;
    selection.set(made, { announce: false });
    ctx.select({ type: "node", id: made.at(-1) }, { keep: true });
    say(t("clip.pasted", { n: made.length }));
  }

  const api = {
    copy() {
      const ids = selectedIds();
      if (!ids.length) return say(t("clip.none"));
      clip = copyNodes(store.doc, ids);
      pastes = 0;
      say(t("clip.copied", { n: ids.length }));
    },
    paste() {
      if (!clip) return say(t("clip.empty"));
      pastes += 1;
      paste(clip, OFFSET * pastes, `paste ${clip.nodes.length} nodes`);
    },
    duplicate() {
      const ids = selectedIds();
      if (!ids.length) return say(t("clip.none"));
      paste(copyNodes(store.doc, ids), OFFSET, `duplicate ${ids.length} nodes`);
    },
  };

  document.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    if (e.target.closest?.("input, textarea, select, [contenteditable]")) return;
    // A text selection on the page (a frame's bytes, a log line) copies as text, as usual.
    if (e.key.toLowerCase() === "c" && String(window.getSelection?.() || "")) return;
    const act = { c: "copy", v: "paste", d: "duplicate" }[e.key.toLowerCase()];
    if (!act) return;
    e.preventDefault();
    api[act]();
  });
  return api;
}
