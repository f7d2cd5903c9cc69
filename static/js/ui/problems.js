// The problems list: every error /api/validate returned (or a refused run's errors),
// each naming its node/socket/field, then its warnings (app/topology/advice.py: an unused or
// unlinked socket, an unwired node, a sender with no peer), worded from hint.<code> in the
// reader's language; clicking one selects the node or link at fault.

import { esc } from "../editor/fields.js";
import { has, onLangChange, t } from "../i18n.js";
import { problemText } from "./problem-text.js";

export function createProblems(host, { bus, store, select }) {
  let list = [];
  let warnings = [];
  const words = (w) => (w.code && has(`hint.${w.code}`) ? t(`hint.${w.code}`, w.vars || {}) : w.message);

  function targetOf(p) {
    if (p.node) return { type: "node", id: p.node };
    const m = /^links\[(\d+)\]/.exec(p.path || "");
    const link = m && store.doc.links[Number(m[1])];
    return link ? { type: "link", id: link.id } : null;
  }

  function render() {
    const n = list.length || warnings.length;
    const cls = list.length ? "bad" : warnings.length ? "warn" : "ok";
    host.innerHTML = `<div class="problems-head"><h2 class="panel-title" data-testid="problems-title">${esc(t("problems.title"))}</h2>
      <span class="count ${cls}" data-testid="problem-count">${n ? n : esc(t("problems.none"))}</span></div>
      <ul class="problems-list" data-testid="problems-list">${list
        .map((p, i) => `<li data-i="${i}" class="problem"><span class="where">${esc(p.node ? `${p.node}${p.socket ? `.${p.socket}` : ""}` : p.path || t("problems.topology"))}</span>${esc(problemText(p))}</li>`)
        .join("")}${list.length ? "" : warnings
        .map((w, i) => `<li data-w="${i}" class="problem warning" data-testid="problem-warning" data-code="${esc(w.code || "")}"><span class="where">${esc(`${w.node}${w.socket ? `.${w.socket}` : ""}`)}</span>${esc(words(w))}</li>`)
        .join("")}</ul>`;
  }

  host.addEventListener("click", (e) => {
    const li = e.target.closest("li[data-i], li[data-w]");
    if (!li) return;
    const p = li.hasAttribute("data-w") ? warnings[Number(li.getAttribute("data-w"))] : list[Number(li.getAttribute("data-i"))];
    const t = p && targetOf(p);
    if (t) select(t);
  });

  onLangChange(() => render());
  render();
  return {
    /** Errors (the document is refused) and, with a valid document, its warnings. */
    set(errors, warns = warnings) {
      list = Array.isArray(errors) ? errors : [];
      warnings = Array.isArray(warns) ? warns : [];
      render();
      bus.emit("problems:changed", list);
    },
    get list() {
      return list;
    },
    get warnings() {
      return warnings;
    },
    /** node id or "link:<id>" → its problems, for the canvas. */
    byTarget() {
      const map = new Map();
      for (const p of list) {
        const t = targetOf(p);
        if (!t) continue;
        const key = t.type === "node" ? t.id : `link:${t.id}`;
        if (!map.has(key)) map.set(key, []);
        map.get(key).push(p);
      }
      return map;
    },
  };
}
