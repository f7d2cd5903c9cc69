// A lesson step beside the editor's canvas (templates/learn.html): loads the step, puts its
// topology on the canvas, and judges what the learner predicted or built against the events of
// the real run the page receives (check.js). Progress goes to localStorage (progress.js), except
// in an embed. The editor itself is main.js; this module attaches to it on "playground:ready".

import * as i18n from "../i18n.js";
import { createEvaluator, goalState, judge, verdict } from "./check.js";
import { panelHtml } from "./panel.js";
import { createProgress } from "./progress.js";

const { t } = i18n;
const data = JSON.parse(document.getElementById("zpg-lesson")?.textContent || "{}");
const embed = document.body.classList.contains("learn-embed");

async function fetchJson(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error || `${url}: HTTP ${res.status}`);
  return body;
}

/** {step, key, lesson?, index, count, prev, next} for this page. */
async function loadStep() {
  if (data.saved) {
    const got = await fetchJson(`/api/lessons/steps/${encodeURIComponent(data.saved)}`);
    return { step: got.step, key: `s/${data.saved}`, index: 0, count: 0 };
  }
  const lesson = await fetchJson(`/api/lessons/${encodeURIComponent(data.lesson)}`);
  const index = lesson.steps.findIndex((s) => s.id === data.step);
  const href = (i) => (i >= 0 && i < lesson.steps.length ? `/learn/${lesson.id}/${lesson.steps[i].id}` : null);
  let next = href(index + 1);
  if (!next) {
    const outline = await fetchJson("/api/lessons");
    const at = outline.lessons.findIndex((l) => l.id === lesson.id);
    const following = outline.lessons[at + 1];
    next = following ? `/learn/${following.id}/${following.steps[0].id}` : null;
  }
  return { step: lesson.steps[index], key: `${lesson.id}/${data.step}`, lesson, index, count: lesson.steps.length, prev: href(index - 1), next };
}

function start(pg, info) {
  const { bus, store, canvas, controls } = pg;
  const { step, key } = info;
  const progress = createProgress({ write: !embed });
  if (!embed) progress.visit(key);
  const host = document.createElement("section");
  host.className = "lesson-panel panel";
  host.setAttribute("data-testid", "lesson-panel");
  host.setAttribute("aria-label", t("learn.panel"));
  document.querySelector(".sidebar").prepend(host);

  const st = {
    embed,
    lessonTitle: info.lesson?.title,
    index: info.index,
    count: info.count,
    prev: info.prev,
    next: info.next,
    done: progress.isDone(key),
    answer: null,
    locked: false,
    running: false,
    judged: null,
    verdict: null,
    evidence: null,
    ticks: {},
    passed: false,
    hintsShown: 0,
  };
  let ev = null; // the evaluator of the current run
  let sampled = false;
  let limitTimer = 0;
  let mine = false; // whether the current run was started on this step's terms

  const render = () => {
    const focus = document.activeElement?.getAttribute?.("data-testid");
    host.innerHTML = panelHtml(step, st);
    if (focus === "answer-number") host.querySelector('[data-testid="answer-number"]')?.focus();
    document.body.dataset.lessonState = st.judged ? "judged" : st.passed ? "passed" : st.running ? "running" : "idle";
  };

  function loadTopology() {
    store.replace(step.topology, "lesson step", false);
    canvas.renderNow();
    canvas.fit(false);
  }

  const stopRun = () => document.querySelector('[data-testid="stop"]:not(:disabled)')?.click();

  function finishPredict(why) {
    if (st.judged || !ev) return;
    const q = step.question;
    st.judged = judge(ev, q);
    st.verdict = verdict(st.judged, q, q.kind === "number" ? st.answer : st.answer);
    st.unknownWhy = null;
    if (sampled) {
      st.verdict = null;
      st.unknownWhy = t("learn.sampled");
    } else if (!st.judged.settled && why === "stopped") {
      st.unknownWhy = t("learn.unsettled");
    }
    if (st.verdict === null && !st.unknownWhy) st.unknownWhy = t("learn.noneHeld");
    if (st.answer === null || st.answer === "") st.verdict = null;
    const expr = q.kind === "number" ? q.answer : null;
    st.evidence = step.evidence ? ev.select(step.evidence) : expr ? ev.evidence(expr) : [];
    if (mine && st.verdict !== null) {
      progress.record(key, { done: st.verdict === true, answer: st.answer });
      st.done = progress.isDone(key);
    }
    render();
    host.querySelector('[data-testid="verdict"]')?.scrollIntoView({ block: "nearest" });
    stopRun();
  }

  function update() {
    if (!ev) return;
    if (step.kind === "predict") {
      if (!st.judged && judge(ev, step.question).settled) finishPredict("settled");
      return;
    }
    const gs = goalState(ev, step.goal);
    const changed = JSON.stringify(gs.items) !== JSON.stringify(st.ticks);
    st.ticks = gs.items;
    if (gs.passed && !st.passed && !sampled) {
      st.passed = true;
      progress.record(key, { done: true });
      st.done = true;
      render();
      host.querySelector('[data-testid="goal-passed"]')?.scrollIntoView({ block: "nearest" });
      stopRun();
    } else if (changed) render();
  }

  bus.on("run:started", () => {
    ev = createEvaluator(store.plain());
    sampled = false;
    st.running = true;
    st.ticks = {};
    st.passed = false;
    if (step.kind === "predict") {
      mine = !st.judged;
      st.locked = true;
      st.judged = null;
    }
    clearTimeout(limitTimer);
    // the step's time limit is in document time: a slowed-down run gets proportionally longer
    limitTimer = setTimeout(stopRun, ((step.seconds || 10) * 1000) / Math.max(controls.speed || 1, 0.05));
    render();
  });
  bus.on("run:batch", (m) => {
    if (!ev) return;
    if (m.sampled) sampled = true;
    ev.add((m.events || []).filter((e) => e.ev !== "stats"));
    update();
  });
  bus.on("run:stopped", () => {
    clearTimeout(limitTimer);
    st.running = false;
    if (step.kind === "predict" && ev) finishPredict("stopped");
    render();
  });

  host.addEventListener("change", (e) => {
    const radio = e.target.closest('input[name="lp-answer"]');
    if (radio) {
      st.answer = radio.value;
      render();
    }
  });
  host.addEventListener("input", (e) => {
    if (e.target.matches('[data-testid="answer-number"]')) st.answer = e.target.value;
  });
  host.addEventListener("click", (e) => {
    const act = e.target.closest("[data-act]")?.getAttribute("data-act");
    const evIndex = e.target.closest("[data-ev-index]")?.getAttribute("data-ev-index");
    if (evIndex !== null && evIndex !== undefined) {
      const hit = st.evidence?.[Number(evIndex)];
      if (hit?.msg !== undefined) bus.emit("msg:show", { msg: hit.msg, link: hit.link, ev: hit.ev });
      return;
    }
    if (act === "run") {
      if (step.kind === "predict" && (st.answer === null || st.answer === "")) {
        bus.emit("toast:show", { kind: "info", text: t("learn.answerFirst"), sticky: 3000 });
        return;
      }
      controls.start();
    } else if (act === "stop") stopRun();
    else if (act === "hint") {
      st.hintsShown = (st.hintsShown || 0) + 1;
      render();
    } else if (act === "again") {
      Object.assign(st, { judged: null, verdict: null, evidence: null, locked: false, answer: null });
      render();
    } else if (act === "reset") {
      loadTopology();
    }
  });
  i18n.onLangChange(render);

  if (!location.hash.startsWith("#t=")) loadTopology(); // a #t= fragment: the learner's own edits, resumed
  document.title = `${i18n.pick(step.title)} · ${t("learn.course")}`;
  render();
  window.__lesson = { step, state: st, evaluator: () => ev }; // for tests and debugging
  document.body.classList.add("lesson-ready");
}

async function boot(pg) {
  try {
    start(pg, await loadStep());
  } catch (err) {
    console.error("the lesson could not be loaded", err);
    pg.bus.emit("toast:show", { kind: "error", text: t("learn.loadFailed", { error: err.message }), sticky: 8000 });
  }
}

if (window.__playground) boot(window.__playground);
else document.addEventListener("playground:ready", (e) => boot(e.detail), { once: true });
