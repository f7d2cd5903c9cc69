// The lesson view beside the canvas: the step's text, then the question (predict), the goal's
// checklist (build, fix), hints on request, the verdict with the run's own evidence, and the way
// to the previous / next step. Pure rendering from a state object; page.js owns the state.

import { t } from "../i18n.js";
import { esc, line, paras, showFrame } from "./text.js";

const KIND_ICON = { predict: "?", build: "＋", fix: "✎" };

/** One evidence event as a short line: "w1.in ← [task 4]  (l1)". */
export function evidenceLine(e) {
  const frames = Array.isArray(e.frames) ? `[${e.frames.map(showFrame).join(", ")}]` : "";
  if (e.ev === "delivered") return `${e.to} ← ${frames}  ${e.from ? `(${t("learn.from")} ${e.from})` : ""}`;
  if (e.ev === "sent") return `${e.node}.${e.socket} → ${frames}`;
  if (e.ev === "filtered") return `${e.to} ✕ ${showFrame(e.topic ?? "")}`;
  if (e.ev === "error") return `${e.node}.${e.socket}: ${e.error}`;
  if (e.ev === "node") return `${e.node}: ${e.state}${e.detail ? ` (${e.detail})` : ""}`;
  return `${e.ev} ${e.link ?? ""} ${e.state ?? ""}`;
}

function questionHtml(step, st) {
  const q = step.question;
  const locked = st.locked ? "disabled" : "";
  if (q.kind === "number") {
    const v = st.answer ?? "";
    return `<label class="lp-number">${esc(t("learn.yourAnswer"))}
      <input type="number" inputmode="numeric" data-testid="answer-number" value="${esc(v)}" ${locked}></label>`;
  }
  return `<div class="lp-options" role="radiogroup">${q.options
    .map((o) => {
      const mark = st.judged ? (st.judged.right.includes(o.id) ? " is-right" : "") : "";
      return `<label class="lp-option${st.answer === o.id ? " is-picked" : ""}${mark}" data-testid="option-${esc(o.id)}">
        <input type="radio" name="lp-answer" value="${esc(o.id)}" ${st.answer === o.id ? "checked" : ""} ${locked}>
        <span>${line(o.text)}</span></label>`;
    })
    .join("")}</div>`;
}

function verdictHtml(step, st) {
  if (!st.judged) return "";
  const q = step.question;
  const v = st.verdict;
  const kind = v === true ? "right" : v === false ? "wrong" : "unknown";
  let actual;
  if (q.kind === "number") actual = st.judged.answer === null || st.judged.answer === undefined ? t("learn.noValue") : String(st.judged.answer);
  else actual = st.judged.right.map((id) => line(q.options.find((o) => o.id === id)?.text)).join(" / ") || t("learn.noOption");
  const why = st.unknownWhy ? `<p class="lp-why">${esc(st.unknownWhy)}</p>` : "";
  const head = st.answer === null || st.answer === undefined || st.answer === "" ? t("learn.noPrediction") : t(`learn.verdict.${kind}`);
  return `<div class="lp-verdict v-${kind}" data-testid="verdict" data-verdict="${kind}">
      <b>${esc(head)}</b>
      <p>${esc(t("learn.runSaid"))} <span data-testid="run-answer">${q.kind === "number" ? esc(actual) : actual}</span></p>${why}
      ${paras(step.explain)}
      ${evidenceHtml(st)}
    </div>`;
}

function evidenceHtml(st) {
  if (!st.evidence?.length) return "";
  const items = st.evidence
    .slice(0, 6)
    .map((e, i) => `<li><button class="linklike" data-ev-index="${i}" data-testid="evidence-${i}">${esc(evidenceLine(e))}</button></li>`)
    .join("");
  const more = st.evidence.length > 6 ? `<li class="muted">${esc(t("learn.more", { n: st.evidence.length - 6 }))}</li>` : "";
  return `<div class="lp-evidence"><span class="muted">${esc(t("learn.evidence"))}</span><ul data-testid="evidence">${items}${more}</ul></div>`;
}

function goalHtml(step, st) {
  const items = step.goal
    .map((g) => {
      const done = Boolean(st.ticks?.[g.id]);
      return `<li data-item="${esc(g.id)}" data-done="${done}" class="${done ? "done" : ""}"><span class="tick">${done ? "✓" : "○"}</span>${line(g.text)}</li>`;
    })
    .join("");
  const passed = st.passed ? `<div class="lp-verdict v-right" data-testid="goal-passed"><b>${esc(t("learn.goalPassed"))}</b>${step.explain ? paras(step.explain) : ""}</div>` : "";
  const hints = (step.hints || [])
    .slice(0, st.hintsShown || 0)
    .map((h, i) => `<li data-testid="hint-${i}">${line(h)}</li>`)
    .join("");
  const more = (step.hints || []).length > (st.hintsShown || 0);
  return `<ul class="lp-goal" data-testid="checklist">${items}</ul>${passed}
    ${hints ? `<ol class="lp-hints">${hints}</ol>` : ""}
    ${more ? `<button class="btn btn-ghost" data-act="hint" data-testid="hint">${esc(t("learn.hint"))}</button>` : ""}`;
}

/** The whole panel for `step` in state `st` ({lesson, index, count, answer, locked, judged, ...}). */
export function panelHtml(step, st) {
  const nav = st.embed
    ? ""
    : `<nav class="lp-nav"><a href="/learn" data-testid="course-link">${esc(t("learn.course"))}</a>
        ${st.lessonTitle ? `<span>› ${line(st.lessonTitle)}</span>` : ""}
        ${st.count ? `<span class="muted" data-testid="step-count">${esc(t("learn.stepOf", { n: st.index + 1, of: st.count }))}</span>` : ""}</nav>`;
  const runLabel = step.kind === "predict" ? t("learn.lockAndRun") : t("learn.run");
  const body = step.kind === "predict" ? questionHtml(step, st) + verdictHtml(step, st) : goalHtml(step, st);
  const foot = st.embed
    ? ""
    : `<div class="lp-foot">
        ${st.prev ? `<a class="btn btn-ghost" href="${esc(st.prev)}" data-testid="prev-step">← ${esc(t("learn.prev"))}</a>` : "<span></span>"}
        <button class="btn btn-ghost" data-act="reset" data-testid="reset-step" title="${esc(t("learn.reset.title"))}">${esc(t("learn.reset"))}</button>
        ${st.next ? `<a class="btn${st.done ? " btn-run" : ""}" href="${esc(st.next)}" data-testid="next-step">${esc(t("learn.next"))} →</a>` : `<a class="btn" href="/learn" data-testid="next-step">${esc(t("learn.course"))}</a>`}
      </div>`;
  return `${nav}
    <div class="lp-head"><span class="lp-kind k-${esc(step.kind)}" title="${esc(t(`learn.kind.${step.kind}`))}">${KIND_ICON[step.kind] || ""}</span>
      <div><div class="lp-kindname">${esc(t(`learn.kind.${step.kind}`))}${st.done ? ` · <span class="ok" data-testid="step-done">✓ ${esc(t("learn.done"))}</span>` : ""}</div>
      <h2 data-testid="step-title">${line(step.title)}</h2></div></div>
    <div class="lp-text" data-testid="step-text">${paras(step.text)}</div>
    ${body}
    <div class="lp-actions"><button class="btn btn-run" data-act="run" data-testid="lesson-run" ${st.running || (step.kind === "predict" && st.locked) ? "disabled" : ""}>${esc(st.running ? t("learn.running") : runLabel)}</button>
      ${st.running ? `<button class="btn" data-act="stop" data-testid="lesson-stop">${esc(t("learn.stop"))}</button>` : ""}
      ${step.kind === "predict" && st.judged ? `<button class="btn btn-ghost" data-act="again" data-testid="try-again">${esc(t("learn.again"))}</button>` : ""}</div>
    ${foot}`;
}
