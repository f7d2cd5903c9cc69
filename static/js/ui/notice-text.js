// A notice in the reader's language. The server sends each notice's `key` and `vars` beside the
// English `message` (app/web/notices.py); the words are `notice.<key>` in
// static/i18n/<lang>.json, with the same holes. A notice whose key the page does not know keeps
// the server's English.

import { has, t } from "../i18n.js";

/** The notice's text in the page's language (the server's English when its key is unknown). */
export function noticeText(m) {
  const key = String(m?.key ?? m?.code ?? "");
  if (key && has(`notice.${key}`)) return t(`notice.${key}`, m.vars || {});
  return String(m?.message || m?.code || "notice");
}
