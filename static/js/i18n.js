// The page's language (English or Korean) and every user-visible string the front end composes.
// No DOM at import time, so model/ modules may use t() too.
//
// The texts themselves are data: one JSON catalog per language, static/i18n/<lang>.json (what a
// translator edits; tests/browser/test_i18n.py holds ko to en's keys and placeholders). They are
// fetched here with a top-level await, so every importer runs only once both are in DICT and t()
// is synchronous from the first line of code that uses it. The pages preload them
// (templates/base.html), so the fetches overlap the module graph's own.
//
//   t("run.run")                      → "Run" / "실행"
//   t("insp.link", { id: "l1" })      → "Link l1" / "링크 l1"        ({var} interpolation)
//   t("frames.nframes", { n: 2 })     → "2 frames"   (a key with .one/.other forms picks by n)
//   pick({ en, ko })                  → the current language's text of a server object (presets)
//
// One language state for the whole page: initial from ?lang=en|ko, else localStorage (the
// editor only; embeds never touch it), else navigator.language. setLang() sets <html lang>,
// refills every [data-i18n*] element and tells the onLangChange() listeners, which re-render
// their own parts; nothing is reloaded, so the canvas and a run keep going.
//
// Markup: data-i18n="key" fills textContent, data-i18n-html="key" innerHTML (dictionary text
// only; vars are escaped), data-i18n-title / -aria-label / -placeholder fill that attribute,
// data-i18n-vars='{"what":"topology"}' supplies vars. A key missing in ko falls back to en.
// ZeroMQ terms (PUB/SUB, ROUTER, HWM, bind/connect, envelope...) stay untranslated.

export const LANGS = ["en", "ko"];
export const LANG_NAMES = { en: "EN", ko: "한국어" };
const STORAGE_KEY = "zpg.lang";

/** Every language's catalog, { en: {key: text}, ko: {...} }, read from static/i18n/. */
export const DICT = Object.fromEntries(await Promise.all(LANGS.map(loadCatalog)));

async function loadCatalog(lang) {
  // Relative to this module, so the catalogs follow it under whatever prefix /static/ is served.
  const url = new URL(`../i18n/${lang}.json`, import.meta.url);
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return [lang, await res.json()];
  } catch (err) {
    // The page still works (keys, then English, show through t()); the console says why.
    console.error(`the ${lang} strings could not be loaded from ${url}`, err);
    return [lang, {}];
  }
}

let current = "en";
const listeners = new Set();

function lookup(lang, key, vars) {
  const d = DICT[lang];
  if (Object.prototype.hasOwnProperty.call(d, key)) return d[key];
  if (vars && typeof vars.n === "number") {
    const form = `${key}.${vars.n === 1 ? "one" : "other"}`;
    if (Object.prototype.hasOwnProperty.call(d, form)) return d[form];
  }
  return undefined;
}

const fill = (text, vars, enc = String) => (vars ? text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? enc(vars[k]) : m)) : text);

/** The current language's text for `key` (English when Korean lacks it; the key itself when both do). */
export function t(key, vars) {
  const text = lookup(current, key, vars) ?? lookup("en", key, vars);
  return text === undefined ? key : fill(text, vars);
}

/** Like t(), for a dictionary text holding markup: the vars are HTML-escaped, the text is not. */
export function tHtml(key, vars) {
  const text = lookup(current, key, vars) ?? lookup("en", key, vars);
  return text === undefined ? escHtml(key) : fill(text, vars, escHtml);
}

/** Whether the dictionary has `key` (in English, the reference language). */
export const has = (key) => Object.prototype.hasOwnProperty.call(DICT.en, key);

export const getLang = () => current;

/** A node or link state from the server ("killed") in the current language, else as it came. */
export const tState = (state) => (has(`state.${state}`) ? t(`state.${state}`) : String(state ?? ""));

/** The current language's entry of a server-side {en, ko} object (preset titles, explanations). */
export function pick(obj) {
  if (!obj || typeof obj !== "object") return obj ?? "";
  return obj[current] || obj.en || Object.values(obj)[0] || "";
}

/** ?lang= first, then (unless `storage` is false) localStorage, then the browser's language. */
export function initialLang({ storage = true } = {}) {
  try {
    const q = new URLSearchParams(location.search).get("lang");
    if (LANGS.includes(q)) return q;
  } catch {
    // no location (not a page)
  }
  if (storage) {
    try {
      const s = localStorage.getItem(STORAGE_KEY);
      if (LANGS.includes(s)) return s;
    } catch {
      // storage blocked (privacy settings, sandboxed frame)
    }
  }
  const nav = (typeof navigator !== "undefined" && (navigator.languages?.[0] || navigator.language)) || "";
  return /^ko\b/i.test(nav) ? "ko" : "en";
}

/**
 * Switch the page's language: <html lang>, every [data-i18n*] element, then the listeners.
 * `persist` remembers the choice in localStorage (the editor's switch; never embeds).
 */
export function setLang(lang, { persist = false } = {}) {
  if (!LANGS.includes(lang)) return;
  const changed = lang !== current;
  current = lang;
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
  }
  if (typeof document !== "undefined") {
    document.documentElement.lang = lang;
    applyI18n(document);
  }
  if (!changed) return;
  for (const fn of [...listeners]) {
    try {
      fn(lang);
    } catch (err) {
      console.error("a language listener failed", err);
    }
  }
}

/** Call `fn(lang)` after every language switch; returns the unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const ATTRS = [
  ["data-i18n-title", "title"],
  ["data-i18n-aria-label", "aria-label"],
  ["data-i18n-placeholder", "placeholder"],
];

function varsOf(el) {
  const raw = el.getAttribute("data-i18n-vars");
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw);
    // A var may name a dictionary key ("@nf.what.topology") to be translated itself.
    for (const [k, x] of Object.entries(v)) if (typeof x === "string" && x.startsWith("@")) v[k] = t(x.slice(1));
    return v;
  } catch {
    return undefined;
  }
}

/** Fill the [data-i18n*] elements under `root` (and root itself) in the current language. */
export function applyI18n(root = document) {
  const all = (sel) => {
    const list = [...root.querySelectorAll(sel)];
    if (root.matches?.(sel)) list.unshift(root);
    return list;
  };
  for (const el of all("[data-i18n]")) el.textContent = t(el.getAttribute("data-i18n"), varsOf(el));
  for (const el of all("[data-i18n-html]")) el.innerHTML = tHtml(el.getAttribute("data-i18n-html"), varsOf(el));
  for (const [data, attr] of ATTRS) for (const el of all(`[${data}]`)) el.setAttribute(attr, t(el.getAttribute(data), varsOf(el)));
}

/**
 * Make `host` the language switch: one button per language (data-lang="en" | "ko"), the
 * current one pressed. A click switches, remembers the choice and drops ?lang= from the address
 * (so a reload keeps what the user picked).
 */
export function mountLangSwitch(host) {
  host.classList.add("lang-switch", "seg", "seg-sm");
  host.setAttribute("role", "group");
  host.setAttribute("data-i18n-aria-label", "lang.switch");
  host.setAttribute("data-testid", "lang-switch");
  host.innerHTML = LANGS.map((l) => `<button type="button" data-lang="${l}" lang="${l}" data-testid="lang-${l}">${LANG_NAMES[l]}</button>`).join("");
  const paint = () => {
    for (const b of host.querySelectorAll("[data-lang]")) {
      const on = b.getAttribute("data-lang") === current;
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", String(on));
    }
    host.setAttribute("aria-label", t("lang.switch"));
  };
  host.addEventListener("click", (e) => {
    const b = e.target.closest("[data-lang]");
    if (!b) return;
    const url = new URL(location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.delete("lang");
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    }
    setLang(b.getAttribute("data-lang"), { persist: true });
  });
  onLangChange(paint);
  paint();
}

function escHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
