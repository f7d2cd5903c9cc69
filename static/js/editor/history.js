// Undo / redo over plain-data entries {label, before, after} (JSON snapshots of the
// document, produced by model/store.js). Bounded; a new edit clears the redo stack.

export function createHistory({ limit = 200 } = {}) {
  const undoStack = [];
  const redoStack = [];
  return {
    record(entry) {
      undoStack.push(entry);
      if (undoStack.length > limit) undoStack.shift();
      redoStack.length = 0;
    },
    /** Returns the JSON snapshot to restore, or null. */
    undo() {
      const e = undoStack.pop();
      if (!e) return null;
      redoStack.push(e);
      return { label: e.label, doc: e.before };
    },
    redo() {
      const e = redoStack.pop();
      if (!e) return null;
      undoStack.push(e);
      return { label: e.label, doc: e.after };
    },
    get canUndo() {
      return undoStack.length > 0;
    },
    get canRedo() {
      return redoStack.length > 0;
    },
    clear() {
      undoStack.length = 0;
      redoStack.length = 0;
    },
  };
}
