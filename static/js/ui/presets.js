// The presets menu (GET /api/presets) and the explanation card shown beside the canvas
// for the loaded preset. Titles and explanations come in English and Korean; both follow the
// page's one language (i18n.js; the switch is in the header).

import * as api from "../transport/api.js";
import { esc } from "../editor/fields.js";
import { iconSvg } from "../editor/icons.js";
import { onLangChange, pick, t as tr } from "../i18n.js";

export function createPresets(menuHost, cardHost, { bus, onLoad }) {
  let presets = [];
  let current = null;
  const t = pick;

  menuHost.innerHTML = `<button class="btn" data-act="toggle" data-testid="presets-button" aria-haspopup="true">${iconSvg("book")}<span data-i18n="presets.button">${esc(tr("presets.button"))}</span>${iconSvg("chevron", "icon chev")}</button>
    <div class="menu" data-testid="presets-menu" hidden></div>`;
  const menu = menuHost.querySelector(".menu");

  function renderMenu() {
    menu.innerHTML = presets.length
      ? presets.map((p) => `<button class="menu-item" data-id="${esc(p.id)}" data-testid="preset-${esc(p.id)}">${esc(t(p.title))}</button>`).join("")
      : `<div class="menu-empty">${esc(tr("presets.none"))}</div>`;
  }

  function paragraphs(text) {
    return String(text)
      .split(/\n\s*\n/)
      .map((para) => `<p>${esc(para).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>").replace(/\n/g, "<br>")}</p>`)
      .join("");
  }

  function renderCard() {
    if (!current) {
      cardHost.hidden = true;
      return;
    }
    cardHost.hidden = false;
    cardHost.innerHTML = `<div class="explain-head"><h3 data-testid="explain-title">${esc(t(current.title))}</h3>
        <button class="icon-btn" data-act="collapse" title="${esc(tr("explain.fold"))}">${iconSvg("chevron")}</button>
        <button class="icon-btn" data-act="close" title="${esc(tr("explain.hide"))}">${iconSvg("close")}</button></div>
      <div class="explain-body" data-testid="explain">${paragraphs(t(current.explain))}</div>`;
  }

  async function load(id) {
    menu.hidden = true;
    try {
      const p = await api.getPreset(id);
      current = p;
      renderCard();
      onLoad(p);
    } catch (err) {
      bus.emit("toast:show", { kind: "error", text: tr("presets.loadFailed", { id, error: err.message }), sticky: 5000 });
    }
  }

  menuHost.addEventListener("click", (e) => {
    if (e.target.closest('[data-act="toggle"]')) {
      menu.hidden = !menu.hidden;
      return;
    }
    const item = e.target.closest(".menu-item");
    if (item) load(item.getAttribute("data-id"));
  });
  document.addEventListener("pointerdown", (e) => {
    if (!menuHost.contains(e.target)) menu.hidden = true;
  });
  cardHost.addEventListener("click", (e) => {
    if (e.target.closest('[data-act="collapse"]')) {
      // Three states: clamped (default) → expanded → folded to its title → clamped.
      if (cardHost.classList.contains("expanded")) {
        cardHost.classList.remove("expanded");
        cardHost.classList.add("collapsed");
      } else if (cardHost.classList.contains("collapsed")) cardHost.classList.remove("collapsed");
      else cardHost.classList.add("expanded");
    } else if (e.target.closest('[data-act="close"]')) {
      cardHost.hidden = true;
    }
  });

  // The card keeps its hidden / folded state across a language switch.
  onLangChange(() => {
    renderMenu();
    if (current && !cardHost.hidden) renderCard();
  });

  return {
    async refresh() {
      try {
        const list = await api.listPresets();
        presets = Array.isArray(list) ? list : list?.presets || [];
      } catch {
        presets = [];
      }
      renderMenu();
      return presets;
    },
    load,
    /** Forget the explanation when the user replaces the whole topology some other way. */
    forget() {
      current = null;
      renderCard();
    },
    get list() {
      return presets;
    },
  };
}
