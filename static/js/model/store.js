// The one current topology document and its change log. Every edit goes through
// `edit(label, fn)` (or begin/commit for gestures such as dragging a node), which snapshots
// the document before and after as JSON strings: plain-data undo entries. No DOM.
// The view's pan and zoom are never an undo step; its comments (view.comments) are.

import { clone, normalizeDoc } from "./topology.js";

export function createStore(initial, { onChange, onRecord } = {}) {
  let doc = normalizeDoc(initial);
  let pending = null; // JSON snapshot taken by begin()

  const snapshot = () => JSON.stringify(forUndo(doc));

  function changed(reason) {
    onChange?.(doc, reason);
  }

  return {
    get doc() {
      return doc;
    },
    /** Apply fn(doc) as one undoable step named `label`. fn returns false to cancel. */
    edit(label, fn) {
      const before = snapshot();
      const result = fn(doc);
      if (result === false) return result;
      const after = snapshot();
      if (after !== before) {
        onRecord?.({ label, before, after });
        changed(label);
      }
      return result;
    },
    /** Start a gesture (e.g. dragging a node); live changes call touch(), commit() records once. */
    begin() {
      pending = snapshot();
    },
    touch(reason = "live") {
      changed(reason);
    },
    commit(label) {
      if (pending === null) return;
      const after = snapshot();
      const differs = after !== pending;
      if (differs) onRecord?.({ label, before: pending, after });
      pending = null;
      if (differs) changed(label);
    },
    /** Replace the whole document (undo/redo, presets, URL). `record` makes it undoable. */
    replace(next, label = "replace", record = false) {
      const before = snapshot();
      const view = doc.view;
      doc = normalizeDoc(typeof next === "string" ? JSON.parse(next) : next);
      if (typeof next === "string") {
        // undo keeps the camera where it is, and brings the comments of that step
        const comments = doc.view?.comments;
        doc.view = { x: view.x, y: view.y, k: view.k };
        if (comments?.length) doc.view.comments = comments;
      }
      if (record) onRecord?.({ label, before, after: snapshot() });
      changed(label);
    },
    /** The view (pan/zoom) is part of the document but never an undo step. */
    setView(view) {
      const comments = doc.view?.comments;
      doc.view = { x: view.x, y: view.y, k: view.k };
      if (comments?.length) doc.view.comments = comments;
      onChange?.(doc, "view");
    },
    plain: () => clone(doc),
  };
}

function forUndo(doc) {
  const { view, ...rest } = doc;
  return view?.comments?.length ? { ...rest, view: { comments: view.comments } } : rest;
}
