// The presets menu (GET /api/presets) and the explanation card shown beside the canvas
// for the loaded preset, in English by default with a 한국어 toggle.

import * as api from "../transport/api.js";
import { esc } from "../editor/fields.js";
import { iconSvg } from "../editor/icons.js";

export function createPresets(menuHost, cardHost, { bus, onLoad }) {
  let presets = [];
  let current = null;
  let lang = "en";
  const t = (obj) => (obj && typeof obj === "object" ? obj[lang] || obj.en || Object.values(obj)[0] || "" : obj || "");

  menuHost.innerHTML = `<button class="btn" data-act="toggle" data-testid="presets-button" aria-haspopup="true">${iconSvg("book")}<span>Presets</span>${iconSvg("chevron", "icon chev")}</button>
    <div class="menu" data-testid="presets-menu" hidden></div>`;
  const menu = menuHost.querySelector(".menu");

  function renderMenu() {
    menu.innerHTML = presets.length
      ? presets.map((p) => `<button class="menu-item" data-id="${esc(p.id)}" data-testid="preset-${esc(p.id)}">${esc(t(p.title))}</button>`).join("")
      : `<div class="menu-empty">No presets available</div>`;
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
        <div class="seg seg-sm">${["en", "ko"].map((l) => `<button data-lang="${l}" class="${lang === l ? "on" : ""}">${l === "en" ? "EN" : "한국어"}</button>`).join("")}</div>
        <button class="icon-btn" data-act="collapse" title="Show all / fold">${iconSvg("chevron")}</button>
        <button class="icon-btn" data-act="close" title="Hide">${iconSvg("close")}</button></div>
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
      bus.emit("toast:show", { kind: "error", text: `Could not load preset ${id}: ${err.message}`, sticky: 5000 });
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
    const l = e.target.closest("[data-lang]");
    if (l) {
      lang = l.getAttribute("data-lang");
      renderCard();
    } else if (e.target.closest('[data-act="collapse"]')) {
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
