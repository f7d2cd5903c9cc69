// The editor's keyboard shortcuts: the one list of them (SHORTCUTS, shown by `?` and by the
// toolbar's keyboard button in a dialog), and the Run / Stop keys (Ctrl/⌘+Enter, Ctrl/⌘+Shift+Enter:
// the same as pressing the header's buttons). The other keys are handled where they act
// (main.js: undo, delete, Escape, F; keyboard.js: Tab, arrows, wiring; selection.js, clipboard.js,
// palette-search.js, comments.js); a key added there belongs in this list, which tests/browser/test_comforts.py
// presses row by row.

import { t } from "../i18n.js";
import { esc } from "./fields.js";

const MOD = /Mac|iPhone|iPad/.test(navigator.platform || "") ? "⌘" : "Ctrl";

// [group, keys (one way or several), what it does]; keys are words of the trade, or i18n keys.
export const SHORTCUTS = [
  ["sc.group.run", [`${MOD}+Enter`], "sc.run"],
  ["sc.group.run", [`${MOD}+Shift+Enter`], "sc.stop"],
  ["sc.group.edit", [`${MOD}+Z`], "sc.undo"],
  ["sc.group.edit", [`${MOD}+Shift+Z`, `${MOD}+Y`], "sc.redo"],
  ["sc.group.edit", ["Delete", "Backspace"], "sc.delete"],
  ["sc.group.edit", [`${MOD}+C`], "sc.copy"],
  ["sc.group.edit", [`${MOD}+V`], "sc.paste"],
  ["sc.group.edit", [`${MOD}+D`], "sc.duplicate"],
  ["sc.group.edit", ["/"], "sc.search"],
  ["sc.group.select", [`${MOD}+A`], "sc.selectAll"],
  ["sc.group.select", ["sc.key.click"], "sc.shiftClick"],
  ["sc.group.select", ["sc.key.drag"], "sc.box"],
  ["sc.group.select", ["Escape"], "sc.escape"],
  ["sc.group.canvas", ["Tab", "Shift+Tab"], "sc.tab"],
  ["sc.group.canvas", ["sc.key.arrows"], "sc.move"],
  ["sc.group.canvas", ["Enter", "Space"], "sc.wire"],
  ["sc.group.canvas", ["Enter", "Delete"], "sc.comment"],
  ["sc.group.canvas", ["F"], "sc.fit"],
  ["sc.group.canvas", ["sc.key.pan"], "sc.pan"],
  ["sc.group.canvas", ["sc.key.wheel"], "sc.zoom"],
  ["sc.group.canvas", ["?"], "sc.help"],
];

const keyText = (k) => (k.startsWith("sc.key.") ? t(k) : k);
const typingIn = (e) => e.target.closest?.("input, textarea, select, [contenteditable]");

function dialogHtml() {
  const groups = [...new Set(SHORTCUTS.map(([g]) => g))];
  const body = groups
    .map((g) => {
      const rows = SHORTCUTS.filter(([gg]) => gg === g)
        .map(([, keys, what]) => `<tr data-testid="shortcut-row" data-what="${esc(what)}"><th scope="row">${keys.map((k) => `<kbd>${esc(keyText(k))}</kbd>`).join(" ")}</th><td>${esc(t(what))}</td></tr>`)
        .join("");
      return `<section><h3>${esc(t(g))}</h3><table class="sc-table">${rows}</table></section>`;
    })
    .join("");
  return `<div class="sc-dialog" role="dialog" aria-modal="true" aria-labelledby="sc-title" data-testid="shortcuts-dialog" tabindex="-1">
    <div class="sd-head"><h2 id="sc-title">${esc(t("sc.title"))}</h2>
      <button class="icon-btn" data-act="sc-close" title="${esc(t("sc.close"))}" aria-label="${esc(t("sc.close"))}" data-testid="shortcuts-close"><svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 4l8 8M12 4l-8 8"/></svg></button></div>
    <div class="sc-body">${body}</div></div>`;
}

/** `?` opens the list; Ctrl/⌘+Enter runs, with Shift stops (as the Run and Stop buttons). */
export function attachShortcuts({ runButton, stopButton }) {
  let back = null;
  let returnTo = null;

  function open() {
    if (back) return;
    returnTo = document.activeElement;
    back = document.createElement("div");
    back.className = "share-dialog-backdrop sc-backdrop";
    back.innerHTML = dialogHtml();
    document.body.appendChild(back);
    back.querySelector("[data-act=sc-close]").focus();
    back.addEventListener("click", (e) => {
      if (e.target === back || e.target.closest("[data-act=sc-close]")) close();
    });
    // Focus stays in the dialog: Tab from its one button comes back to it.
    back.addEventListener("keydown", (e) => {
      if (e.key === "Tab") {
        e.preventDefault();
        back.querySelector("[data-act=sc-close]").focus();
      }
    });
  }

  function close() {
    if (!back) return;
    back.remove();
    back = null;
    returnTo?.focus?.();
  }

  document.addEventListener(
    "keydown",
    (e) => {
      if (back && e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation(); // the dialog's Escape: the selection stays
        close();
        return;
      }
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === "Enter") {
        e.preventDefault();
        const b = e.shiftKey ? stopButton() : runButton();
        if (b && !b.disabled) b.click();
        return;
      }
      if (e.key === "?" && !mod && !e.altKey && !typingIn(e)) {
        e.preventDefault();
        open();
      }
    },
    true,
  );
  return { open, close, get isOpen() { return Boolean(back); } };
}
