// Readable motion: the "Labels" switch in the canvas legend (each token shows its topic, first
// frame or service: animation/token-label.js), and the token clock following the run's pause
// state: Pause freezes every token where it is, Step lets the next message's tokens travel their
// hop and freezes again (animation/tokens.js).

import { onLangChange, t } from "../i18n.js";

export function createMotion(legend, { bus, tokens }) {
  const label = document.createElement("label");
  label.className = "lg-labels";
  label.innerHTML = `<input type="checkbox" data-testid="token-labels"><span></span>`;
  const box = label.querySelector("input");
  const paintText = () => {
    label.querySelector("span").textContent = t("legend.labels");
    label.title = t("legend.labels.title");
  };
  paintText();
  onLangChange(paintText);
  legend?.prepend(label); // first: always on screen, before the counts the legend drops when narrow
  box.addEventListener("change", () => tokens.setLabels(box.checked));

  bus.on("run:state", (m) => {
    if (typeof m.paused === "boolean") tokens.setPaused(m.paused);
  });
  bus.on("run:step", () => tokens.step());
  bus.on("run:started", () => tokens.setPaused(false));
  bus.on("run:stopped", () => tokens.setPaused(false)); // what was in flight finishes its trip
}
