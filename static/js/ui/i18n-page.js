// Pages with no editor of their own (the not-found page): fill their [data-i18n] text in the
// language the reader chose (?lang=, else the editor's remembered choice, else the browser's).
// Inside an embed's frame localStorage is not consulted, like the embed itself.

import { initialLang, setLang } from "../i18n.js";

setLang(initialLang({ storage: !document.body.classList.contains("notfound-embed") }));
