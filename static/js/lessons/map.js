// The course map (/learn): lessons in seed order, each step a link that says whether this
// browser has done it; "Continue" opens the last step visited, else the first not done.

import * as i18n from "../i18n.js";
import { createProgress } from "./progress.js";
import { esc, line } from "./text.js";

const { t } = i18n;
const KIND_ICON = { predict: "?", build: "＋", fix: "✎" };

async function main() {
  i18n.setLang(i18n.initialLang());
  i18n.mountLangSwitch(document.getElementById("lang-switch"));
  const res = await fetch("/api/lessons");
  const { lessons } = await res.json();
  const progress = createProgress();
  const host = document.getElementById("lessons");

  function render() {
    let total = 0;
    let done = 0;
    let firstOpen = null;
    host.innerHTML = lessons
      .map((lesson, i) => {
        const steps = lesson.steps
          .map((s) => {
            const key = `${lesson.id}/${s.id}`;
            const ok = progress.isDone(key);
            total += 1;
            if (ok) done += 1;
            else firstOpen ??= `/learn/${key}`;
            return `<li><a href="/learn/${esc(key)}" class="map-step k-${esc(s.kind)}${ok ? " done" : ""}" data-testid="step-${esc(lesson.id)}-${esc(s.id)}" data-done="${ok}"
              title="${esc(t(`learn.kind.${s.kind}`))}"><span class="lp-kind k-${esc(s.kind)}">${ok ? "✓" : KIND_ICON[s.kind]}</span>${line(s.title)}</a></li>`;
          })
          .join("");
        const n = lesson.steps.filter((s) => progress.isDone(`${lesson.id}/${s.id}`)).length;
        return `<li class="map-lesson" data-testid="lesson-${esc(lesson.id)}">
          <div class="map-num">${i + 1}</div>
          <div class="map-body"><h2><a href="/learn/${esc(lesson.id)}">${line(lesson.title)}</a>
            <span class="muted map-count">${esc(t("learn.nOfM", { n, of: lesson.steps.length }))}</span></h2>
            <p>${line(lesson.intro)}</p>
            ${lesson.seed ? `<p class="muted map-seed">${esc(t("learn.seed"))}: ${esc(lesson.seed)}</p>` : ""}
            <ol class="map-steps">${steps}</ol></div></li>`;
      })
      .join("");
    const cont = document.getElementById("continue");
    const last = progress.last && !progress.isDone(progress.last) ? `/learn/${progress.last}` : firstOpen;
    cont.href = last || `/learn/${lessons[0].id}/${lessons[0].steps[0].id}`;
    cont.textContent = done ? t("learn.continue") : t("learn.start");
    document.getElementById("map-progress").textContent = t("learn.progress", { n: done, of: total });
  }
  render();
  i18n.onLangChange(render);
  document.body.classList.add("ready");
}

main().catch((err) => console.error("the course map failed to load", err));
