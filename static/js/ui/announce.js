// Live regions for screen readers: what a sighted user sees change without asking for it.
// Run state (started, stopped, refused), errors libzmq or a node reported, and anything a part
// announces through bus "a11y:announce" {text, assertive}. Two visually hidden regions: polite
// (role=status) and assertive (role=alert, errors only). Errors of a busy run are summarised at
// most once every ERROR_EVERY_MS, so a flood of them does not drown the reader.

import { t } from "../i18n.js";

const ERROR_EVERY_MS = 3000;

export function createAnnouncer({ bus, host = document.body }) {
  const make = (role, live) => {
    const el = document.createElement("div");
    el.className = "sr-only";
    el.setAttribute("role", role);
    el.setAttribute("aria-live", live);
    el.setAttribute("data-testid", `announce-${live}`);
    host.appendChild(el);
    return el;
  };
  const polite = make("status", "polite");
  const assertive = make("alert", "assertive");

  function say(text, urgent = false) {
    const el = urgent ? assertive : polite;
    // Re-set even the same text so a repeated message is announced again.
    el.textContent = "";
    requestAnimationFrame(() => (el.textContent = text));
  }

  let lastError = 0;
  let unsaid = 0;
  let timer = 0;
  function error(ev) {
    const now = performance.now();
    if (now - lastError >= ERROR_EVERY_MS) {
      lastError = now;
      const where = `${ev.node ?? ""}${ev.socket ? `.${ev.socket}` : ""}`;
      say(t("a11y.error", { where, error: ev.error ?? "", message: ev.message ?? "" }), true);
      return;
    }
    unsaid++;
    if (!timer) {
      timer = setTimeout(() => {
        timer = 0;
        lastError = performance.now();
        if (unsaid) say(t("a11y.moreErrors", { n: unsaid }), true);
        unsaid = 0;
      }, ERROR_EVERY_MS);
    }
  }

  bus.on("a11y:announce", ({ text, assertive: urgent = false }) => say(text, urgent));
  bus.on("run:started", () => say(t("a11y.running")));
  bus.on("run:stopped", (m) => say(m?.reason ? t("log.runStoppedWhy", { reason: String(m.reason) }) : t("log.runStopped")));
  bus.on("run:invalid", (m) => say(t("run.refused", { n: (m?.errors || []).length }), true));
  bus.on("run:batch", (m) => {
    for (const ev of m?.events || []) if (ev.ev === "error") error(ev);
  });
  return { say };
}
