// Embed mode (/embed/<id>?opts or /embed?opts#v=1&t=...): the canvas in an iframe, with a slim
// bar. The explicit "don't"s (compiler-explorer's lesson): it never writes the host's URL or
// its own, never touches localStorage, and opens no websocket and runs nothing until the reader
// clicks (or ?autoplay=1). Two embeds on a page share nothing. Options: links.js EMBED_OPTIONS.

import { createBus } from "../bus.js";
import { fallbackMeta } from "../model/meta.js";
import { createStore } from "../model/store.js";
import { forServer } from "../model/topology.js";
import { createCanvas } from "../editor/canvas.js";
import { createTokenLayer } from "../animation/tokens.js";
import { createCounters } from "../animation/counters.js";
import { createNodeStatus } from "../animation/nodestatus.js";
import { createGauges } from "../animation/gauges.js";
import { attachComments } from "../editor/comments.js";
import { createSocket } from "../transport/ws.js";
import { createToast } from "../ui/toast.js";
import { decodeState, encodeState, fragmentOptions, parseEmbedOptions } from "./links.js";
import { createReplayBar } from "./replay-ui.js";
import { createBridge } from "./postmsg.js";
import { sharedItem } from "./index.js";
import { initialLang, setLang, t } from "../i18n.js";
import { problemText } from "../ui/problem-text.js";

const $ = (s) => document.querySelector(s);
const SPEEDS = [1, 0.5, 0.25, 0.1, 0.05];
const ICON = {
  play: "M5 3.5v9l7.5-4.5z",
  pause: "M5 3.5v9M11 3.5v9",
  stop: "M4 4h8v8H4z",
  restart: "M3 8a5 5 0 1 0 1.5-3.5M3 2.5v2.5h2.5",
};
const icon = (name) => `<svg class="icon i-${name}" viewBox="0 0 16 16" aria-hidden="true"><path d="${ICON[name]}"/></svg>`;

function applyLook(opts) {
  const body = document.body;
  const dark = opts.theme === "dark" || (opts.theme === "auto" && matchMedia("(prefers-color-scheme: dark)").matches);
  body.classList.add(dark ? "theme-dark" : "theme-light");
  body.classList.toggle("readonly", !opts.editable);
  for (const part of opts.hide) body.classList.add(`hide-${part}`);
}

function fail(text) {
  const el = $(".embed-error");
  el.hidden = false;
  el.innerHTML = `<p></p><p><a href="/" target="_blank" rel="noopener" data-i18n="embed.openPlayground">${t("embed.openPlayground")}</a></p>`;
  el.querySelector("p").textContent = text;
  document.body.classList.add("ready");
}

function main() {
  const opts = parseEmbedOptions(new URLSearchParams(location.search), fragmentOptions(location.hash));
  applyLook(opts);
  // ?lang=en|ko (or lang= after the state in the fragment), else the reader's browser; an embed
  // never reads or writes localStorage.
  setLang(opts.lang || initialLang({ storage: false }));
  const shared = sharedItem();
  const doc = shared?.topology || decodeState(location.hash)?.doc;
  if (!doc) return fail(t("embed.noTopology"));
  const rec = shared?.recording && !opts.live ? shared.recording : null;
  const mode = rec ? "replay" : "live";

  const bus = createBus();
  const state = { loaded: false, status: "ready", paused: false, speed: opts.speed, edited: false, firstStart: true };
  let socket = null;
  let replay = null;
  let selection = null;
  let canvas = null;
  const store = createStore(doc, {
    onChange: (_doc, reason) => {
      canvas?.render();
      if (reason !== "view") {
        state.edited = true;
        paintOpen();
      }
    },
  });
  const meta = fallbackMeta(); // static tables: no request to the server before the click
  const ctx = {
    bus, store, meta: () => meta, selection: () => selection,
    select: (s) => {
      selection = opts.editable ? s : null;
      canvas.render();
    },
    problems: () => new Map(), problemList: () => [], deleteSelection: () => {}, insetTop: () => 0,
  };
  createToast($("#toast"), { bus });
  canvas = createCanvas($("#canvas"), ctx);
  const tokens = createTokenLayer(canvas.layers.tokens, { bus, canvas, getSpeed: () => (mode === "replay" ? rec.speed || 1 : state.speed) });
  const counters = createCounters(canvas.layers.badges, { bus, canvas });
  const nodeStatus = createNodeStatus({ bus, canvas, store });
  const gauges = createGauges(canvas.layers.badges, { bus, canvas });
  attachComments(canvas, ctx, { readonly: true }); // the document's notes, read-only
  const bridge = createBridge({ allowed: opts.origin, name: opts.name, onCommand: command });

  // --- the bar ---------------------------------------------------------------------------------
  $(".embed-title").textContent = doc.title || t("dlg.defaultTitle");
  $(".embed-title").title = doc.description || doc.title || "";
  const openLink = $(".embed-open");
  function paintOpen() {
    // "Open in playground" carries the exact state: the saved id while unedited, else a full link.
    openLink.href = shared?.id && !state.edited ? `/t/${shared.id}` : `/${encodeState(forServer(store.doc))}`;
  }
  paintOpen();
  const controls = $(".embed-controls");
  const statusEl = $(".run-status");

  function paintStatus() {
    const label = mode === "replay" ? (replay?.playing ? "replaying" : state.loaded ? "replay" : "recorded") : state.status === "running" && state.paused ? "paused" : state.status;
    statusEl.textContent = t(`status.${label}`);
    statusEl.className = `run-status st-${label === "replaying" ? "running" : label}`;
    document.body.dataset.run = label;
    if (mode !== "live") return;
    const live = state.status === "running" || state.status === "starting";
    const run = controls.querySelector('[data-act="run"]');
    if (!run) return;
    run.innerHTML = `${icon(live ? "restart" : "play")}<span>${t(live ? "run.restart" : "run.run")}</span>`;
    const pause = controls.querySelector('[data-act="pause"]');
    pause.disabled = state.status !== "running";
    pause.innerHTML = `${icon(state.paused ? "play" : "pause")}<span>${t(state.paused ? "run.resume" : "run.pause")}</span>`;
    controls.querySelector('[data-act="stop"]').disabled = !live;
  }

  function buildLiveControls() {
    const speeds = [...new Set([...SPEEDS, state.speed])].sort((a, b) => b - a);
    controls.innerHTML = `
      <button class="btn btn-sm btn-run" data-act="run" data-testid="embed-run"></button>
      <button class="btn btn-sm" data-act="pause" data-testid="embed-pause" disabled></button>
      <button class="btn btn-sm" data-act="stop" data-testid="embed-stop" disabled>${icon("stop")}<span>${t("run.stop")}</span></button>
      <select class="embed-speed" data-part="speed" data-testid="embed-speed" title="${t("embed.speed.title")}" aria-label="${t("embed.speed.title")}">
        ${speeds.map((s) => `<option value="${s}"${s === state.speed ? " selected" : ""}>${s}×</option>`).join("")}</select>`;
    controls.addEventListener("click", (e) => {
      const act = e.target.closest("[data-act]")?.getAttribute("data-act");
      if (act === "run") start();
      else if (act === "pause") socket?.send({ op: state.paused ? "resume" : "pause" });
      else if (act === "stop") socket?.send({ op: "stop" });
    });
    controls.querySelector("select").addEventListener("change", (e) => setSpeed(Number(e.target.value)));
  }

  // --- live runs -------------------------------------------------------------------------------
  // The reader (or the host page) asks for a speed: one command to the server.
  function setSpeed(v) {
    showSpeed(v);
    if (state.status === "running") socket?.send({ op: "speed", value: state.speed });
  }

  // What the server says the speed is: shown, never sent back (that answer would be
  // acknowledged by another `state`, and so on for ever).
  function showSpeed(v) {
    state.speed = Math.min(1, Math.max(0.05, Number(v) || 1));
    const sel = controls.querySelector("select");
    if (sel && [...sel.options].some((o) => Number(o.value) === state.speed)) sel.value = String(state.speed);
  }

  function start() {
    if (!socket) {
      socket = createSocket(bus); // the first websocket of this embed: only now, after a click
      socket.open();
    }
    state.status = "starting";
    state.paused = false;
    paintStatus();
    socket.send({ op: "start", topology: forServer(store.doc), speed: state.speed });
  }

  let countsTimer = 0;
  function totals() {
    const sum = { delivered: 0, filtered: 0, dropped: 0 };
    for (const c of Object.values(counters.counts)) for (const k of Object.keys(sum)) sum[k] += c[k] || 0;
    return sum;
  }
  function postCounts() {
    if (countsTimer) return;
    countsTimer = setTimeout(() => {
      countsTimer = 0;
      bridge.post("counts", { ...totals(), links: counters.counts });
    }, 250);
  }

  function showEvents(events) {
    let stats = null;
    for (const ev of events) if (ev.ev === "stats") stats = { ...(stats || {}), ...(ev.links || {}) };
    tokens.batch(events);
    nodeStatus.batch(events);
    gauges.batch(events);
    if (stats) {
      counters.update(stats);
      postCounts();
    }
  }

  function resetView() {
    tokens.clear();
    counters.reset();
    nodeStatus.reset();
    gauges.reset(store.plain(), store.doc.transport);
  }

  function finished(m) {
    if (m?.totals?.links) counters.update(m.totals.links);
    if (m?.totals) nodeStatus.totals(m.totals);
    gauges.totals(m?.totals);
    clearTimeout(countsTimer);
    countsTimer = 0;
    bridge.post("stopped", { reason: m?.reason ?? "stopped", ...totals(), links: counters.counts });
  }

  bus.on("server:started", (m) => {
    state.status = "running";
    state.paused = false;
    resetView();
    if (opts.paused && state.firstStart) socket.send({ op: "pause" });
    state.firstStart = false;
    paintStatus();
    bridge.post("started", { run: m.run ?? null });
  });
  bus.on("server:events", (m) => showEvents(Array.isArray(m.events) ? m.events : []));
  bus.on("server:state", (m) => {
    if (typeof m.paused === "boolean") state.paused = m.paused;
    if (typeof m.speed === "number") showSpeed(m.speed);
    paintStatus();
    bridge.post("state", { paused: state.paused, speed: state.speed });
  });
  bus.on("server:stopped", (m) => {
    state.status = "stopped";
    state.paused = false;
    paintStatus();
    finished(m);
  });
  bus.on("server:invalid", (m) => {
    state.status = "ready";
    paintStatus();
    bus.emit("toast:show", { kind: "error", text: t("embed.refused", { why: (m.errors?.[0] && problemText(m.errors[0])) || t("embed.invalid") }), sticky: 6000 });
  });
  bus.on("server:error", (m) => {
    if (state.status === "starting") state.status = "ready";
    paintStatus();
    bus.emit("toast:show", { kind: "error", text: t("run.server", { message: m.message }), sticky: 5000 });
  });
  bus.on("transport:close", () => {
    if (state.status === "running" || state.status === "starting") {
      state.status = "offline";
      paintStatus();
    }
  });

  // --- recorded runs ---------------------------------------------------------------------------
  function buildReplay() {
    replay = createReplayBar(controls, rec, {
      onReset: () => {
        resetView();
        bridge.post("started", { run: null, replay: true });
      },
      onBatch: (events, quiet) => showEvents(quiet ? events.filter((ev) => !["sent", "delivered", "filtered", "dropped"].includes(ev.ev)) : events),
      onEnd: (stopped) => finished(stopped),
      onTick: () => paintStatus(),
    }, { compact: true });
  }

  // --- click to load ----------------------------------------------------------------------------
  const cover = $(".embed-cover");
  function load({ run = true } = {}) {
    if (state.loaded) return;
    state.loaded = true;
    cover.hidden = true;
    document.body.classList.add("loaded");
    if (mode === "replay") {
      buildReplay();
      if (run && !opts.paused) replay.play();
      else replay.seek(0);
    } else {
      buildLiveControls();
      if (run) start();
    }
    paintStatus();
  }

  function command(d) {
    if (d.op === "start") {
      if (!state.loaded) return load();
      return mode === "replay" ? replay.play() : start();
    }
    if (!state.loaded) return;
    if (d.op === "stop") return mode === "replay" ? replay.pause() : socket?.send({ op: "stop" });
    if (d.op === "pause") return mode === "replay" ? replay.pause() : socket?.send({ op: "pause" });
    if (d.op === "resume") return mode === "replay" ? replay.play() : socket?.send({ op: "resume" });
    if (d.op === "speed") return mode === "replay" ? replay.setRate(Number(d.value) / (rec.speed || 1)) : setSpeed(d.value);
  }

  const playLabel = cover.querySelector(".embed-play-label");
  playLabel.removeAttribute("data-i18n"); // its text depends on the mode, set here
  playLabel.textContent = t(mode === "replay" ? "embed.playRecorded" : "embed.runLive");
  $(".embed-cover-note").textContent = mode === "replay"
    ? t("embed.noteRecorded", { libzmq: rec.libzmq, pyzmq: rec.pyzmq })
    : t("embed.noteLive");
  cover.querySelector("button").addEventListener("click", () => load());

  canvas.renderNow();
  canvas.fit(false);
  let fitQueued = false;
  new ResizeObserver(() => {
    if (fitQueued) return;
    fitQueued = true;
    requestAnimationFrame(() => {
      fitQueued = false;
      canvas.fit(false);
    });
  }).observe($(".embed-stage"));

  if (opts.autoplay) load();
  else cover.hidden = false;
  paintStatus();
  document.body.classList.add("ready");
  bridge.post("ready", { mode, title: doc.title || "" });
  window.__embed = { bus, store, canvas, counters, state, opts, mode, get socket() { return socket; }, get replay() { return replay; } };
}

main();
