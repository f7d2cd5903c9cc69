// Palette search and quick-add: a search box above the palette (`/` focuses it) filters node
// kinds and socket types as one types (name in either language, kind id, help, socket type);
// Enter adds the first match as a click would (a node at the canvas centre, focused; a socket on
// the selected node), Escape empties the box, ArrowDown goes to the first match. The count is
// announced (a polite live region).

import { t, onLangChange } from "../i18n.js";
import { esc } from "./fields.js";
import { iconSvg } from "./icons.js";

const norm = (s) => String(s || "").toLowerCase().normalize("NFC");

export function attachPaletteSearch(host, palette, ctx) {
  const box = document.createElement("div");
  box.className = "pal-search";
  host.prepend(box);
  const paint = () => {
    const q = input?.value || "";
    box.innerHTML = `${iconSvg("search")}<input type="search" data-testid="palette-search" aria-label="${esc(t("pal.search"))}" placeholder="${esc(t("pal.search.placeholder"))}" autocomplete="off" spellcheck="false"><span class="sr-only" role="status" data-testid="palette-search-status"></span>`;
    input = box.querySelector("input");
    input.value = q;
    status = box.querySelector("[role=status]");
  };
  let input = null;
  let status = null;
  paint();

  // What an item is known by: its shown name (current language), its id or type, its help.
  function words(item) {
    const kind = item.getAttribute("data-kind");
    const spec = kind ? ctx.meta().kinds[kind] : null;
    return norm([item.textContent, item.getAttribute("title"), kind, kind?.replace(/_/g, " "), item.getAttribute("data-type"), spec?.label].join(" "));
  }

  function matches() {
    return [...host.querySelectorAll(".pal-body .pal-item")].filter((i) => !i.hidden);
  }

  function filter() {
    const q = norm(input.value).trim();
    const terms = q.split(/\s+/).filter(Boolean);
    for (const item of host.querySelectorAll(".pal-body .pal-item")) item.hidden = terms.length > 0 && !terms.every((w) => words(item).includes(w));
    // Groups with nothing left fold away; a search opens the closed pattern groups.
    for (const g of host.querySelectorAll(".pal-body .pal-group, .pal-body details.pal-patterns")) {
      const any = [...g.querySelectorAll(".pal-item")].some((i) => !i.hidden);
      g.hidden = terms.length > 0 && !any;
      if (terms.length && any && g.tagName === "DETAILS") g.open = true;
    }
    host.classList.toggle("is-searching", terms.length > 0);
    const n = matches().length;
    status.textContent = !terms.length ? "" : n ? t("pal.search.count", { n }) : t("pal.search.none", { q: input.value.trim() });
    box.classList.toggle("none", terms.length > 0 && !n);
  }

  box.addEventListener("input", filter);
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      const first = matches()[0];
      if (first) palette.addByKeyboard(first);
    } else if (e.key === "Escape" && input.value) {
      e.preventDefault();
      e.stopPropagation();
      input.value = "";
      filter();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      matches()[0]?.focus();
    }
  });
  host.addEventListener("palette:rendered", () => filter());
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest?.("input, textarea, select, [contenteditable]")) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  onLangChange(() => {
    paint();
    filter();
  });
  return { get input() { return input; }, filter };
}
