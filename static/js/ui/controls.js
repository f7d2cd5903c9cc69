// Run controls: Run / Pause-Resume / Stop, the speed slider (0.05× slow motion to 1× real
// time, logarithmic), the run status pill and the "showing a sample" note. Owns the run
// state and turns server messages into "run:*" bus events for the rest of the page.

import { forServer } from "../model/topology.js";
import { iconSvg } from "../editor/icons.js";
import { esc } from "../editor/fields.js";
import { applyI18n, onLangChange, t } from "../i18n.js";
import { noticeText } from "./notice-text.js";

const MIN_SPEED = 0.05;

// Slider position 0..100 ↔ speed 0.05..1 on a log scale.
const toSpeed = (v) => Math.round(MIN_SPEED * Math.pow(1 / MIN_SPEED, v / 100) * 1000) / 1000;
const toSlider = (s) => Math.round((100 * Math.log(s / MIN_SPEED)) / Math.log(1 / MIN_SPEED));

export function createRunControls(host, { bus, store, socket, noteHost }) {
  const state = { status: "idle", paused: false, speed: 1, connected: false, run: null };
  // Fixed labels carry data-i18n (refilled by a language switch); paint() writes the rest.
  host.innerHTML = `
    <button class="btn btn-run" data-act="run" data-testid="run">${iconSvg("play")}<span>${esc(t("run.run"))}</span></button>
    <button class="btn" data-act="pause" data-testid="pause" disabled>${iconSvg("pause")}<span>${esc(t("run.pause"))}</span></button>
    <button class="btn" data-act="step" data-testid="step" hidden data-i18n-title="run.step.title">${iconSvg("step")}<span data-i18n="run.step"></span></button>
    <button class="btn" data-act="stop" data-testid="stop" disabled>${iconSvg("stop")}<span data-i18n="run.stop"></span></button>
    <label class="speed" data-i18n-title="run.speed.title">
      <span class="speed-lbl" data-i18n="run.speed"></span>
      <input type="range" min="0" max="100" step="1" data-testid="speed" data-i18n-aria-label="run.speed">
      <output data-testid="speed-value"></output></label>
    <span class="run-status" data-testid="run-status"></span>`;
  noteHost.innerHTML = `<span class="sample-note" data-testid="sample-note" hidden data-i18n="run.sample" data-i18n-title="run.sample.title"></span>`;
  applyI18n(host);
  applyI18n(noteHost);
  const $ = (s) => host.querySelector(s);
  const runBtn = $('[data-act="run"]');
  const pauseBtn = $('[data-act="pause"]');
  const stopBtn = $('[data-act="stop"]');
  const slider = $('input[type="range"]');
  const out = $("output");
  const statusEl = $(".run-status");
  const note = noteHost.querySelector(".sample-note");
  let noteTimer = 0;
  let speedTimer = 0;
  let hello = null;

  slider.value = toSlider(state.speed);

  function paint() {
    const live = state.status === "running" || state.status === "starting";
    runBtn.querySelector("span").textContent = t(live ? "run.restart" : "run.run");
    pauseBtn.disabled = state.status !== "running";
    stopBtn.disabled = !live;
    pauseBtn.innerHTML = `${iconSvg(state.paused ? "play" : "pause")}<span>${esc(t(state.paused ? "run.resume" : "run.pause"))}</span>`;
    pauseBtn.setAttribute("data-testid", "pause");
    $('[data-act="step"]').hidden = !(state.status === "running" && state.paused);
    out.textContent = `${state.speed < 0.1 ? state.speed.toFixed(2) : state.speed.toFixed(2).replace(/0$/, "")}×`;
    const label = !state.connected ? "offline" : state.status === "running" && state.paused ? "paused" : state.status;
    statusEl.textContent = t(`status.${label}`);
    statusEl.dataset.status = label;
    statusEl.className = `run-status st-${label}`;
    document.body.dataset.run = label;
  }

  function start() {
    if (!store.doc.nodes.length) {
      bus.emit("toast:show", { kind: "info", text: t("run.addNodes"), sticky: 3000 });
      return;
    }
    state.status = "starting";
    state.paused = false;
    paint();
    bus.emit("run:starting", {});
    socket.send({ op: "start", topology: forServer(store.doc), speed: state.speed });
  }

  host.addEventListener("click", (e) => {
    const act = e.target.closest("[data-act]")?.getAttribute("data-act");
    if (act === "run") start();
    else if (act === "pause") socket.send({ op: state.paused ? "resume" : "pause" });
    else if (act === "stop") socket.send({ op: "stop" });
    else if (act === "step") {
      socket.send({ op: "step" });
      bus.emit("run:step", {});
    }
  });

  slider.addEventListener("input", () => {
    state.speed = toSpeed(Number(slider.value));
    paint();
    bus.emit("run:speed", { speed: state.speed });
    clearTimeout(speedTimer);
    speedTimer = setTimeout(() => {
      if (state.status === "running") socket.send({ op: "speed", value: state.speed });
    }, 120);
  });

  bus.on("server:hello", (m) => {
    hello = m;
    statusEl.title = t("run.versions", { libzmq: m.libzmq ?? "?", pyzmq: m.pyzmq ?? "?" });
  });
  bus.on("transport:open", () => {
    state.connected = true;
    paint();
  });
  bus.on("transport:close", () => {
    state.connected = false;
    if (state.status === "running" || state.status === "starting") {
      state.status = "stopped";
      bus.emit("run:stopped", { reason: "connection lost" });
    }
    paint();
  });
  bus.on("server:started", (m) => {
    state.status = "running";
    state.paused = false;
    state.run = m.run;
    paint();
    bus.emit("run:started", m);
  });
  bus.on("server:invalid", (m) => {
    state.status = "idle";
    paint();
    bus.emit("run:invalid", m);
  });
  bus.on("server:error", (m) => {
    if (state.status === "starting") state.status = "idle";
    paint();
    bus.emit("toast:show", { kind: "error", text: t("run.server", { message: m.message }), sticky: 5000 });
  });
  // Something the server wants the reader to know (e.g. "slow-client": events are being sampled).
  bus.on("server:notice", (m) => {
    bus.emit("toast:show", { kind: "info", text: noticeText(m), sticky: 6000 });
    bus.emit("run:notice", m);
  });
  bus.on("server:state", (m) => {
    if (typeof m.paused === "boolean") state.paused = m.paused;
    if (typeof m.speed === "number") state.speed = m.speed;
    slider.value = toSlider(state.speed);
    paint();
    bus.emit("run:state", m);
  });
  bus.on("server:stopped", (m) => {
    state.status = "stopped";
    state.paused = false;
    paint();
    bus.emit("run:stopped", m);
  });
  bus.on("server:events", (m) => {
    if (m.sampled) {
      note.hidden = false;
      note.title = m.skipped ? t("run.skipped", { n: m.skipped }) : t("run.sample.title");
      clearTimeout(noteTimer);
      noteTimer = setTimeout(() => (note.hidden = true), 3000);
    }
    bus.emit("run:batch", m);
  });

  onLangChange(() => {
    if (hello) statusEl.title = t("run.versions", { libzmq: hello.libzmq ?? "?", pyzmq: hello.pyzmq ?? "?" });
    paint();
  });

  paint();
  return {
    get speed() {
      return state.speed;
    },
    get status() {
      return state.status;
    },
    start,
  };
}
