// A validation problem in the reader's language. The server gives each problem a stable `code`
// and its `vars` beside the English `message` (app/topology/messages.py); the words are
// `err.<code>` in static/i18n/<lang>.json, with the same holes. A var is shown as written (node,
// socket and field names, libzmq's terms), or is itself a word ({code, vars}: "link l3", "REQ or
// DEALER", a "did you mean" hint) or an {en, ko} text (a behaviour field's role). A problem whose
// code the page does not know keeps the server's English.

import { has, pick, t } from "../i18n.js";

function word(v) {
  if (v && typeof v === "object") {
    if (typeof v.code === "string") return has(`err.${v.code}`) ? t(`err.${v.code}`, words(v.vars)) : "";
    if ("en" in v) return pick(v);
  }
  return v === null || v === undefined ? "" : String(v);
}

function words(vars) {
  const out = {};
  for (const [k, v] of Object.entries(vars && typeof vars === "object" ? vars : {})) out[k] = word(v);
  return out;
}

/** The problem's text in the page's language (the server's English when its code is unknown). */
export function problemText(p) {
  if (!p) return "";
  if (typeof p.code === "string" && has(`err.${p.code}`)) return t(`err.${p.code}`, words(p.vars));
  return String(p.message ?? "");
}
