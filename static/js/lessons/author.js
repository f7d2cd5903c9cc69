// "Lesson step" in the editor's toolbar: turn the topology on the canvas into a lesson step with
// a question (predict: which node receives the message whose first frame is X?) or a goal
// (build: socket S receives at least N messages), written in the page's language; the JSON is
// shown and editable (the whole vocabulary of docs/lessons.md), then saved: a link to take the
// step and an iframe snippet that embeds just this one question.

import * as i18n from "../i18n.js";
import { forServer } from "../model/topology.js";
import { esc } from "./text.js";
import { iconSvg } from "../editor/icons.js";

const { t } = i18n;

/** The nodes that can receive and their receiving sockets ("node.socket"). */
function receivers(doc) {
  const out = [];
  for (const n of doc.nodes || []) for (const s of n.sockets || []) if (!["PUB", "PUSH"].includes(s.type)) out.push({ node: n.id, key: `${n.id}.${s.name}` });
  return out;
}

/** The step the form describes, in the current language. */
export function buildStep(doc, form) {
  const lang = i18n.getLang();
  const L = (text) => ({ [lang]: text });
  const base = { id: form.id || "my-step", title: L(form.title || t("author.defaultTitle")), text: L(form.text || ""), topology: doc, seconds: form.seconds || 10 };
  if (form.kind === "predict") {
    const frame = form.frame || "";
    const hit = { ev: "delivered", frame: { index: 0, equals: frame } };
    const nodes = [...new Set(receivers(doc).map((r) => r.node))].slice(0, 6);
    return {
      ...base,
      kind: "predict",
      question: {
        kind: "choice",
        settle: { cmp: [{ count: hit }, ">=", 1] },
        options: nodes.map((n) => ({ id: n.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]/, "n"), text: L(n), when: { cmp: [{ first: hit, field: "to_node" }, "==", n] } })),
      },
      explain: L(form.explain || t("author.defaultExplain")),
      evidence: hit,
    };
  }
  const to = form.socket || receivers(doc)[0]?.key || "";
  return {
    ...base,
    kind: "build",
    goal: [{ id: "received", text: L(t("author.goalText", { socket: to, n: form.count || 1 })), test: { cmp: [{ count: { ev: "delivered", to } }, ">=", Number(form.count) || 1] } }],
  };
}

function dialogHtml(doc) {
  const recv = receivers(doc);
  return `<div class="author-card" role="dialog" aria-modal="true" aria-labelledby="author-h" data-testid="author-dialog">
    <div class="author-head"><h3 id="author-h">${esc(t("author.title"))}</h3><button class="icon-btn" data-act="close" aria-label="${esc(t("author.close"))}">✕</button></div>
    <p class="muted">${esc(t("author.intro"))}</p>
    <label>${esc(t("author.kind"))} <select data-testid="author-kind" name="kind">
      <option value="predict">${esc(t("learn.kind.predict"))}: ${esc(t("author.predictWhich"))}</option>
      <option value="build">${esc(t("learn.kind.build"))}: ${esc(t("author.buildCount"))}</option></select></label>
    <label>${esc(t("author.stepTitle"))} <input name="title" data-testid="author-title"></label>
    <label>${esc(t("author.text"))} <textarea name="text" rows="3" data-testid="author-text"></textarea></label>
    <label class="for-predict">${esc(t("author.frame"))} <input name="frame" data-testid="author-frame" placeholder="task 5"></label>
    <label class="for-predict">${esc(t("author.explain"))} <textarea name="explain" rows="2" data-testid="author-explain"></textarea></label>
    <div class="row2 for-build" hidden><label>${esc(t("author.socket"))} <select name="socket" data-testid="author-socket">${recv.map((r) => `<option>${esc(r.key)}</option>`).join("")}</select></label>
      <label>${esc(t("author.count"))} <input name="count" type="number" min="1" value="3" data-testid="author-count"></label></div>
    <details><summary>${esc(t("author.json"))}</summary><textarea name="json" rows="10" spellcheck="false" data-testid="author-json"></textarea></details>
    <div class="author-out" data-testid="author-out"></div>
    <div class="author-actions"><button class="btn btn-run" data-act="save" data-testid="author-save">${esc(t("author.save"))}</button></div>
  </div>`;
}

function attach({ store, bus }) {
  const tb = document.querySelector(".toolbar");
  if (!tb || document.body.classList.contains("learn-embed")) return;
  const btn = document.createElement("button");
  btn.className = "btn btn-ghost";
  btn.setAttribute("data-testid", "author-step");
  // an icon with its word, like the other toolbar buttons: the word is visually hidden where the
  // header is narrow (static/css/responsive.css), the name stays for screen readers
  const label = () => {
    btn.innerHTML = `${iconSvg("book")}<span>${esc(t("author.button"))}</span>`;
    btn.title = t("author.button.title");
  };
  label();
  tb.append(btn);
  i18n.onLangChange(label);
  const overlay = document.createElement("div");
  overlay.className = "author-overlay";
  overlay.hidden = true;
  document.body.append(overlay);
  let jsonEdited = false;

  const form = () => Object.fromEntries([...overlay.querySelectorAll("[name]")].filter((el) => el.name !== "json").map((el) => [el.name, el.value]));
  const refresh = () => {
    const kind = overlay.querySelector('[name="kind"]').value;
    for (const el of overlay.querySelectorAll(".for-predict")) el.hidden = kind !== "predict";
    for (const el of overlay.querySelectorAll(".for-build")) el.hidden = kind !== "build";
    if (!jsonEdited) overlay.querySelector('[name="json"]').value = JSON.stringify(buildStep(forServer(store.doc), form()), null, 1);
  };

  btn.addEventListener("click", () => {
    if (!store.doc.nodes.length) {
      bus.emit("toast:show", { kind: "info", text: t("author.empty"), sticky: 3000 });
      return;
    }
    jsonEdited = false;
    overlay.innerHTML = dialogHtml(store.doc);
    overlay.hidden = false;
    refresh();
  });
  overlay.addEventListener("input", (e) => {
    if (e.target.name === "json") jsonEdited = true;
    else refresh();
  });
  overlay.addEventListener("click", async (e) => {
    const act = e.target.closest("[data-act]")?.getAttribute("data-act");
    if (act === "close" || e.target === overlay) overlay.hidden = true;
    if (act !== "save") return;
    const out = overlay.querySelector(".author-out");
    let step;
    try {
      step = JSON.parse(overlay.querySelector('[name="json"]').value);
    } catch (err) {
      out.innerHTML = `<p class="bad">${esc(t("author.badJson", { error: err.message }))}</p>`;
      return;
    }
    const res = await fetch("/api/lessons/steps", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(step) });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      out.innerHTML = `<ul class="bad" data-testid="author-errors">${(body.errors || [{ message: body.error || res.status }]).map((p) => `<li>${esc(p.message)}</li>`).join("")}</ul>`;
      return;
    }
    const snippet = `<iframe src="${body.embed}" width="900" height="560" style="border:0" loading="lazy" title="ZeroMQ lesson step"></iframe>`;
    out.innerHTML = `<label>${esc(t("author.link"))} <input readonly data-testid="author-link" value="${esc(body.url)}"></label>
      <label>${esc(t("author.embed"))} <textarea readonly rows="3" data-testid="author-embed">${esc(snippet)}</textarea></label>
      <p><a href="${esc(body.url)}" target="_blank" rel="noopener" data-testid="author-open">${esc(t("author.open"))}</a></p>`;
  });
}

if (window.__playground) attach(window.__playground);
else document.addEventListener("playground:ready", (e) => attach(e.detail), { once: true });
