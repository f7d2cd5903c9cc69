// The problems list: every error /api/validate returned (or a refused run's errors),
// each naming its node/socket/field; clicking one selects the node or link at fault.

import { esc } from "../editor/fields.js";
import { onLangChange, t } from "../i18n.js";

export function createProblems(host, { bus, store, select }) {
  let list = [];

  function targetOf(p) {
    if (p.node) return { type: "node", id: p.node };
    const m = /^links\[(\d+)\]/.exec(p.path || "");
    const link = m && store.doc.links[Number(m[1])];
    return link ? { type: "link", id: link.id } : null;
  }

  function render() {
    host.innerHTML = `<div class="problems-head"><h2 class="panel-title" data-testid="problems-title">${esc(t("problems.title"))}</h2>
      <span class="count ${list.length ? "bad" : "ok"}" data-testid="problem-count">${list.length ? list.length : esc(t("problems.none"))}</span></div>
      <ul class="problems-list" data-testid="problems-list">${list
        .map((p, i) => `<li data-i="${i}" class="problem"><span class="where">${esc(p.node ? `${p.node}${p.socket ? `.${p.socket}` : ""}` : p.path || t("problems.topology"))}</span>${esc(p.message)}</li>`)
        .join("")}</ul>`;
  }

  host.addEventListener("click", (e) => {
    const li = e.target.closest("li[data-i]");
    if (!li) return;
    const t = targetOf(list[Number(li.getAttribute("data-i"))]);
    if (t) select(t);
  });

  onLangChange(() => render());
  render();
  return {
    set(errors) {
      list = Array.isArray(errors) ? errors : [];
      render();
      bus.emit("problems:changed", list);
    },
    get list() {
      return list;
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
