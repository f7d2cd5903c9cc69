// One visible message line over the canvas: wiring refusals, hints, server errors.
// `sticky` keeps it for that many ms; a "soft" hide from the wiring gesture leaves
// a sticky message alone.

import { esc } from "../editor/fields.js";

const ICON = {
  error: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.2"/><path d="M4 12 12 4"/></svg>',
  info: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.2"/><path d="M8 7.2v4M8 4.8v.1"/></svg>',
};

export function createToast(host, { bus }) {
  host.setAttribute("data-testid", "toast");
  host.setAttribute("role", "status");
  host.setAttribute("aria-live", "polite");
  let timer = 0;
  let until = 0;
  let source = null;

  function hide() {
    host.classList.remove("show");
    host.classList.remove("has-action");
    source = null;
  }

  let action = null;
  host.addEventListener("click", (e) => {
    if (!e.target.closest("[data-act=toast-action]") || !action) return;
    const run = action.run;
    action = null;
    hide();
    run();
  });

  bus.on("toast:show", ({ kind = "info", text, sticky = 0, source: src = null, action: act = null }) => {
    host.className = `toast toast-${kind} show${act ? " has-action" : ""}`;
    action = act;
    host.innerHTML = `<span class="toast-ico">${ICON[kind] || ICON.info}</span><span class="toast-text" data-testid="toast-text">${esc(text)}</span>${
      act ? `<button class="toast-btn" data-act="toast-action" data-testid="toast-action">${esc(act.label)}</button>` : ""
    }`;
    source = src;
    clearTimeout(timer);
    until = sticky ? performance.now() + sticky : 0;
    if (sticky) timer = setTimeout(hide, sticky);
  });
  bus.on("toast:hide", ({ source: src = null, soft = false } = {}) => {
    if (src && source !== src) return;
    if (soft && until && performance.now() < until) return;
    if (soft && host.classList.contains("toast-error") && !until) {
      // A refusal shown while hovering stays a moment after the pointer moves on.
      clearTimeout(timer);
      timer = setTimeout(hide, 1200);
      return;
    }
    clearTimeout(timer);
    hide();
  });
}
