// The share dialog (Compiler Explorer style): a short link (saved, immutable), the full link
// (no storage), an embed snippet with its options, and a markdown badge (Mermaid Live style).

import { embedUrl, fullUrl, iframeSnippet, markdownBadge, badgeUrl } from "./links.js";
import { t } from "../i18n.js";

const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

async function saveTopology(topology, recording) {
  const res = await fetch("/api/topologies", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(recording ? { topology, recording } : { topology }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body.error || `could not save (HTTP ${res.status})`);
    err.errors = body.errors || [];
    throw err;
  }
  return body;
}

/**
 * Open the dialog for `doc` (server form). `recording` is the latest recording of exactly this
 * topology, or null. `onProblems(errors)` shows validation problems in the page.
 */
export function openShareDialog({ doc, recording = null, onProblems = () => {}, origin = location.origin }) {
  document.querySelector(".share-dialog-backdrop")?.remove();
  const back = document.createElement("div");
  back.className = "share-dialog-backdrop";
  const x = (key, vars) => esc(t(key, vars));
  back.innerHTML = `
  <div class="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" data-testid="share-dialog">
    <div class="sd-head"><h2 id="share-title">${x("dlg.title")}</h2>
      <button class="icon-btn" data-act="close" title="${x("dlg.close")}" data-testid="share-close"><svg class="icon" viewBox="0 0 16 16"><path d="M4 4l8 8M12 4l-8 8"/></svg></button></div>
    <section>
      <h3 id="sd-short">${x("dlg.short")} <span class="hint">${x("dlg.short.hint")}</span></h3>
      ${recording ? `<label class="sd-chk"><input type="checkbox" data-opt="recording" data-testid="share-include-recording" checked>
        ${x("dlg.includeRec")} <span class="muted">${x("dlg.recInfo", { events: recording.events.length, seconds: (recording.duration_ms / 1000).toFixed(1), libzmq: recording.libzmq })}</span></label>` : ""}
      <div class="copy-row"><input readonly data-field="short" aria-labelledby="sd-short" data-testid="share-short" value="${x("dlg.saving")}"><button class="btn" data-copy="short">${x("dlg.copy")}</button></div>
      <p class="share-error" data-testid="share-error" hidden></p>
    </section>
    <section>
      <h3 id="sd-full">${x("dlg.full")} <span class="hint">${x("dlg.full.hint")}</span></h3>
      <div class="copy-row"><input readonly data-field="full" aria-labelledby="sd-full" data-testid="share-full"><button class="btn" data-copy="full">${x("dlg.copy")}</button></div>
    </section>
    <section>
      <h3 id="sd-embed">${x("dlg.embed")} <span class="hint">${x("dlg.embed.hint")}</span></h3>
      <div class="share-opts">
        <label>${x("dlg.theme")} <select data-opt="theme">${["light", "dark", "auto"].map((v) => `<option value="${v}">${x(`dlg.theme.${v}`)}</option>`).join("")}</select></label>
        <label>${x("dlg.speed")} <select data-opt="speed"><option value="1">1×</option><option value="0.5">0.5×</option><option value="0.25">0.25×</option><option value="0.1">0.1×</option></select></label>
        <label>${x("dlg.language")} <select data-opt="lang" data-testid="share-embed-lang"><option value="">${x("dlg.language.auto")}</option><option value="en">English</option><option value="ko">한국어</option></select></label>
        <label class="sd-chk"><input type="checkbox" data-opt="editable"> ${x("dlg.editable")}</label>
        <label class="sd-chk"><input type="checkbox" data-opt="autoplay"> ${x("dlg.autoplay")}</label>
        <label class="sd-chk"><input type="checkbox" data-opt="paused"> ${x("dlg.paused")}</label>
        <label class="sd-chk"><input type="checkbox" data-opt="hide-speed"> ${x("dlg.hideSpeed")}</label>
      </div>
      <div class="copy-row"><textarea readonly rows="4" data-field="iframe" aria-labelledby="sd-embed" data-testid="share-iframe"></textarea><button class="btn" data-copy="iframe">${x("dlg.copy")}</button></div>
    </section>
    <section>
      <h3 id="sd-badge">${x("dlg.badge")} <span class="hint">${x("dlg.badge.hint")}</span></h3>
      <div class="copy-row"><textarea readonly rows="3" data-field="markdown" aria-labelledby="sd-badge" data-testid="share-markdown"></textarea><button class="btn" data-copy="markdown">${x("dlg.copy")}</button></div>
      <div class="badge-preview" data-testid="share-badge-preview"></div>
    </section>
  </div>`;
  document.body.appendChild(back);
  const dlg = back.querySelector(".share-dialog");
  const field = (name) => dlg.querySelector(`[data-field="${name}"]`);
  const opt = (name) => dlg.querySelector(`[data-opt="${name}"]`);
  const errorEl = dlg.querySelector(".share-error");
  let saved = null;

  field("full").value = fullUrl(origin, doc);

  function embedOpts() {
    const o = { theme: opt("theme").value, speed: Number(opt("speed").value), lang: opt("lang").value, editable: opt("editable").checked, autoplay: opt("autoplay").checked, paused: opt("paused").checked, hide: opt("hide-speed").checked ? ["speed"] : [] };
    return o;
  }

  function paintSnippets() {
    const o = embedOpts();
    const src = saved ? embedUrl(origin, { id: saved.id, opts: o }) : embedUrl(origin, { doc, opts: o });
    field("iframe").value = iframeSnippet(src, { title: doc.title || t("dlg.defaultTitle") });
    if (saved) {
      field("markdown").value = markdownBadge(origin, saved.id, doc.title || t("dlg.defaultTitle"));
      dlg.querySelector(".badge-preview").innerHTML = `<img alt="" src="${esc(badgeUrl(origin, saved.id))}">`;
    } else field("markdown").value = t("dlg.needsShort");
  }

  async function save() {
    field("short").value = t("dlg.saving");
    errorEl.hidden = true;
    const withRec = recording && opt("recording")?.checked;
    try {
      saved = await saveTopology(doc, withRec ? recording : null);
      field("short").value = saved.url;
      dlg.dataset.saved = saved.id;
    } catch (err) {
      saved = null;
      field("short").value = "";
      errorEl.hidden = false;
      errorEl.textContent = err.message;
      if (err.errors?.length) onProblems(err.errors);
    }
    paintSnippets();
  }

  function close() {
    back.remove();
    document.removeEventListener("keydown", onKey);
  }
  const onKey = (e) => e.key === "Escape" && close();
  document.addEventListener("keydown", onKey);
  back.addEventListener("pointerdown", (e) => e.target === back && close());
  dlg.addEventListener("click", async (e) => {
    if (e.target.closest('[data-act="close"]')) return close();
    const copy = e.target.closest("[data-copy]");
    if (copy) {
      const el = field(copy.getAttribute("data-copy"));
      el.select();
      try {
        await navigator.clipboard.writeText(el.value);
      } catch {
        document.execCommand?.("copy");
      }
      copy.textContent = t("dlg.copied");
      setTimeout(() => (copy.textContent = t("dlg.copy")), 1200);
    }
  });
  dlg.addEventListener("change", (e) => {
    if (e.target.matches('[data-opt="recording"]')) save();
    else if (e.target.matches("[data-opt]")) paintSnippets();
  });
  paintSnippets();
  save();
  dlg.querySelector('[data-act="close"]').focus();
  return { close, get saved() { return saved; } };
}
