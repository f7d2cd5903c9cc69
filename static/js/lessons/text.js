// Small helpers for lesson texts: the page language's entry of {en, ko}, and paragraphs with
// `code` and **bold** (the same light markup as the presets' explanations). No DOM.

import { pick } from "../i18n.js";

export const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const inline = (s) => esc(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>");

/** One localized text as HTML paragraphs. */
export function paras(obj) {
  return String(pick(obj) || "")
    .split(/\n\s*\n/)
    .map((p) => `<p>${inline(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** One localized text as inline HTML. */
export const line = (obj) => inline(pick(obj) || "");

/** A frame as a short readable preview: control bytes as \xNN. */
export function showFrame(f) {
  if (f && typeof f === "object") return `0x${f.hex ?? ""}`;
  return String(f).replace(/[\u0000-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
