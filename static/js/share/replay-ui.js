// The replay bar: play/pause, step, a scrub slider, the time, and which libzmq/pyzmq made the
// recording. Used by the editor (over the stage) and by embeds (in their bottom bar).

import { createReplay } from "./replay.js";
import { applyI18n, t } from "../i18n.js";

const ICON = {
  play: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M5 3.5v9l7.5-4.5z"/></svg>',
  pause: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M5 3.5v9M11 3.5v9"/></svg>',
  step: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 3.5v9l6-4.5zM12 3.5v9"/></svg>',
  close: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 4l8 8M12 4l-8 8"/></svg>',
};

const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Build a replay bar in `host` for `rec`. `hooks` are the replay's callbacks (onReset, onBatch,
 * onEnd); `onClose` adds a close button.
 */
export function createReplayBar(host, rec, hooks, { onClose = null, compact = false } = {}) {
  host.classList.add("replay-bar");
  if (compact) host.classList.add("compact");
  host.setAttribute("data-testid", "replay-bar");
  host.innerHTML = `
    <span class="replay-tag" data-i18n="replay.tag" data-i18n-title="replay.tag.title"></span>
    <button class="icon-btn rp-play" data-act="play" data-testid="replay-play" data-i18n-title="replay.play">${ICON.play}</button>
    <button class="icon-btn" data-act="step" data-testid="replay-step" data-i18n-title="replay.step">${ICON.step}</button>
    <input class="rp-scrub" type="range" min="0" max="1000" value="0" step="1" data-testid="replay-scrub" data-i18n-aria-label="replay.scrub">
    <output class="rp-time" data-testid="replay-time">0.0 s</output>
    <span class="rp-versions" data-testid="replay-versions" data-i18n-title="replay.versions">libzmq ${esc(rec.libzmq)} · pyzmq ${esc(rec.pyzmq)}${rec.truncated ? ` · <span data-i18n="replay.cut" data-i18n-vars='${esc(JSON.stringify({ n: rec.events.length }))}'></span>` : ""}</span>
    ${onClose ? `<button class="icon-btn" data-act="close" data-testid="replay-close" data-i18n-title="replay.close">${ICON.close}</button>` : ""}`;
  applyI18n(host);
  const playBtn = host.querySelector('[data-act="play"]');
  const scrub = host.querySelector(".rp-scrub");
  const time = host.querySelector(".rp-time");
  let dragging = false;

  const replay = createReplay(rec, {
    ...hooks,
    onTick({ t, duration, playing }) {
      playBtn.innerHTML = playing ? ICON.pause : ICON.play;
      playBtn.classList.toggle("on", playing);
      host.dataset.state = playing ? "playing" : replay?.ended ? "ended" : "paused";
      if (!dragging) scrub.value = String(duration ? Math.round((1000 * t) / duration) : 0);
      time.textContent = `${fmt(t)} / ${fmt(duration)}`;
      hooks.onTick?.({ t, duration, playing });
    },
  });
  time.textContent = `${fmt(0)} / ${fmt(replay.duration)}`;
  host.dataset.state = "paused";

  host.addEventListener("click", (e) => {
    const act = e.target.closest("[data-act]")?.getAttribute("data-act");
    if (act === "play") (replay.playing ? replay.pause() : replay.play());
    else if (act === "step") replay.step();
    else if (act === "close") {
      replay.stop();
      onClose?.();
    }
  });
  scrub.addEventListener("input", () => {
    dragging = true;
    time.textContent = `${fmt((Number(scrub.value) / 1000) * replay.duration)} / ${fmt(replay.duration)}`;
  });
  scrub.addEventListener("change", () => {
    dragging = false;
    replay.seek((Number(scrub.value) / 1000) * replay.duration);
  });
  return replay;
}

function esc(s) {
  return String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
