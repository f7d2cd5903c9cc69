// The editor's dark theme: a toolbar toggle (aria-pressed), kept in localStorage ("zpg.theme"),
// applied as body.theme-dark, the class embeds use (css/embed.css for an embed,
// css/theme-dark.css for the editor), so the canvas rules written for embeds serve both.
// Nothing else changes: the document, the view and a run carry on.

import { t, onLangChange } from "../i18n.js";
import { iconSvg } from "../editor/icons.js";
import { esc } from "../editor/fields.js";

const KEY = "zpg.theme";

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage refused (privacy settings): the light theme, not remembered
  }
}

export function createThemeToggle(button) {
  const apply = (dark) => {
    document.body.classList.toggle("theme-dark", dark);
    button.setAttribute("aria-pressed", String(dark));
  };
  const paint = () => {
    button.innerHTML = `${iconSvg("moon")}<span class="sr-only">${esc(t("theme.toDark"))}</span>`;
    button.title = t("theme.title");
  };
  paint();
  apply(stored() === "dark");
  onLangChange(paint);
  button.addEventListener("click", () => {
    const dark = !document.body.classList.contains("theme-dark");
    apply(dark);
    try {
      localStorage.setItem(KEY, dark ? "dark" : "light");
    } catch {
      /* not remembered */
    }
  });
  return { get dark() { return document.body.classList.contains("theme-dark"); } };
}
