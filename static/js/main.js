// Entry point: builds the page's parts and wires them through one event bus.
//   model/      document, wiring rules, meta, messages, URL state (no DOM)
//   editor/     canvas, palette, inspector, history, layout
//   animation/  tokens, counters, node status
//   transport/  HTTP API, run websocket
//   ui/         run controls, presets, log, frames, problems, toast
//   i18n.js     the page's language (EN / 한국어) and every UI string

import { createBus } from "./bus.js";
import { fallbackMeta, normalizeMeta } from "./model/meta.js";
import { createStore } from "./model/store.js";
import { emptyDoc, findLink, findNode, forServer, removeLink, removeNode } from "./model/topology.js";
import { createMessageStore } from "./model/messages.js";
import { noticeText } from "./ui/notice-text.js";
import { decodeFragment, encodeFragment } from "./model/urlstate.js";
import { createHistory } from "./editor/history.js";
import { createCanvas } from "./editor/canvas.js";
import { createPalette } from "./editor/palette.js";
import { createInspector } from "./editor/inspector.js";
import { autoLayout } from "./editor/layout.js";
import { iconSvg } from "./editor/icons.js";
import { esc } from "./editor/fields.js";
import { createTokenLayer } from "./animation/tokens.js";
import { createCounters } from "./animation/counters.js";
import { createNodeStatus } from "./animation/nodestatus.js";
import { createGauges } from "./animation/gauges.js";
import * as api from "./transport/api.js";
import { createSocket } from "./transport/ws.js";
import { createRunControls } from "./ui/controls.js";
import { attachHeaderFit } from "./ui/header-fit.js";
import { createPresets } from "./ui/presets.js";
import { createLog } from "./ui/log.js";
import { createSequence } from "./ui/sequence.js";
import { createFramesPanel } from "./ui/frames.js";
import { createProblems } from "./ui/problems.js";
import { createToast } from "./ui/toast.js";
import { createFaults } from "./ui/faults.js";
import { createAnnouncer } from "./ui/announce.js";
import { attachKeyboard } from "./editor/keyboard.js";
import { createSelection } from "./editor/selection.js";
import { attachClipboard } from "./editor/clipboard.js";
import { attachShortcuts } from "./editor/shortcuts.js";
import { attachPaletteSearch } from "./editor/palette-search.js";
import { attachPanes } from "./editor/panes.js";
import { attachComments } from "./editor/comments.js";
import { createThemeToggle } from "./ui/theme.js";
import { createLive } from "./ui/live.js";
import { createMotion } from "./ui/motion.js";
import { createInject } from "./ui/inject.js";
import * as i18n from "./i18n.js";

const { t } = i18n;
const MESSAGE_EVS = new Set(["sent", "delivered", "filtered", "dropped"]);

const $ = (s) => document.querySelector(s);

async function main() {
  // The language first, so every part renders in it from the start.
  i18n.setLang(i18n.initialLang());
  i18n.mountLangSwitch($("#lang-switch"));
  const bus = createBus();
  let meta = fallbackMeta();
  try {
    meta = normalizeMeta(await api.getMeta());
  } catch (err) {
    console.warn("using the built-in socket table:", err.message);
  }

  let selection = null;
  let multi = null; // editor/selection.js: the selected nodes (the inspector shows `selection`)
  let shareReady = false;
  const history = createHistory();
  const store = createStore(decodeFragment(location.hash) || sharedItem()?.topology || emptyDoc(), {
    onRecord: (e) => history.record(e),
    onChange: (doc, reason) => bus.emit("doc:changed", { reason }),
  });

  createToast($("#toast"), { bus });
  createAnnouncer({ bus });
  const problems = createProblems($("#problems"), { bus, store, select: (s) => select(s) });
  const ctx = {
    bus,
    store,
    meta: () => meta,
    selection: () => selection,
    select: (s, opts) => select(s, opts),
    selectedIds: () => multi?.ids || [],
    toggleSelect: (id) => multi?.toggle(id),
    panning: () => Boolean(multi?.panning()),
    pointerDown: () => Boolean(multi?.pointerDown()),
    problems: () => problems.byTarget(),
    problemList: () => problems.list,
    deleteSelection: () => deleteSelection(),
    insetBottom: () => ($(".legend")?.offsetHeight || 0) + 8,
    insetRight: () => {
      const z = $(".stage > .zoom-ctl");
      return z ? z.parentElement.getBoundingClientRect().right - z.getBoundingClientRect().left : 0;
    },
    insetTop: () => {
      const card = $("#explain");
      return card.hidden ? 0 : card.offsetHeight + 12;
    },
  };

  const canvas = createCanvas($("#canvas"), ctx);
  multi = createSelection(canvas, ctx);
  attachKeyboard(canvas, ctx);
  const clipboard = attachClipboard(ctx, multi);
  const palette = createPalette($("#palette"), ctx, canvas);
  attachPaletteSearch($("#palette"), palette, ctx);
  attachPanes(document.body);
  const comments = attachComments(canvas, ctx);
  createThemeToggle($('.zoom-ctl [data-act="theme"]'));
  const inspector = createInspector($("#inspector"), ctx);
  const messages = createMessageStore(2000);
  const socket = createSocket(bus);
  const controls = createRunControls($("#run-controls"), { bus, store, socket, noteHost: $("#stage-notes") });
  attachHeaderFit();
  const faults = createFaults({ bus, socket, isLive: () => controls.status === "running" });
  const inject = createInject({ bus, socket, store, isLive: () => controls.status === "running", render: () => selection && inspector.render() });
  ctx.faultsHtml = (sel) => faults.html(sel) + inject.html(sel);
  const tokens = createTokenLayer(canvas.layers.tokens, { bus, canvas, getSpeed: () => controls.speed, messages });
  createMotion($(".legend"), { bus, tokens });
  const counters = createCounters(canvas.layers.badges, { bus, canvas });
  const nodeStatus = createNodeStatus({ bus, canvas, store });
  const gauges = createGauges(canvas.layers.badges, { bus, canvas });
  const log = createLog($("#log"), { bus });
  const sequence = createSequence($("#sequence"), { bus, store });
  createFramesPanel($("#frames"), { bus, messages });
  const live = createLive($("#live-bar"), { bus, store, socket, controls, log });
  const presets = createPresets($("#presets"), $("#explain"), {
    bus,
    onLoad: (p) => {
      // the document's title in the reader's language (the explanation follows the switch too)
      const title = p.title?.[i18n.getLang()];
      const named = title && Object.values(p.title).includes(p.topology.title);
      store.replace(named ? { ...p.topology, title } : p.topology, "load preset", true);
      select(null);
      canvas.renderNow();
      canvas.fit(false);
    },
  });

  // One node, link or nothing for the inspector; `keep` leaves the selected set as it is
  // (selection.js picks a member of it), else the set becomes that one node.
  function select(s, { keep = false } = {}) {
    if (s && s.type === "node" && !findNode(store.doc, s.id)) s = null;
    if (s && s.type === "link" && !findLink(store.doc, s.id)) s = null;
    if (!keep) multi?.only(s?.type === "node" ? s.id : null);
    const same = JSON.stringify(s) === JSON.stringify(selection);
    selection = s;
    if (!same) {
      canvas.render();
      inspector.render();
      bus.emit("selection:changed", s);
    }
  }

  function deleteSelection() {
    const ids = multi.ids;
    if (ids.length > 1) {
      store.edit(`delete ${ids.length} nodes`, (doc) => ids.forEach((id) => removeNode(doc, id)));
      return select(null);
    }
    if (!selection) return;
    const s = selection;
    store.edit(`delete ${s.type}`, (doc) => (s.type === "node" ? removeNode(doc, s.id) : removeLink(doc, s.id)));
    select(null);
  }

  // --- document changes: redraw, validate (debounced), URL fragment (≤ 2 writes/s) ---------
  let validateTimer = 0;
  let validateAbort = null;
  let urlTimer = 0;
  let lastHash = location.hash;

  async function validateNow() {
    const doc = store.doc;
    if (!doc.nodes.length) return problems.set([], []);
    validateAbort?.abort();
    validateAbort = new AbortController();
    try {
      const res = await api.validate(forServer(doc), validateAbort.signal);
      problems.set(res?.errors || [], res?.warnings || []);
      canvas.render();
      if (selection) inspector.render();
    } catch (err) {
      if (err.name !== "AbortError") console.warn("validation unavailable:", err.message);
    }
  }

  function writeUrl() {
    urlTimer = 0;
    lastHash = encodeFragment(store.plain());
    window.history.replaceState(null, "", lastHash);
  }

  bus.on("doc:changed", ({ reason }) => {
    canvas.render();
    if (reason !== "live" && reason !== "move" && reason !== "view") inspector.render();
    if (reason !== "view" && reason !== "move" && reason !== "live") {
      clearTimeout(validateTimer);
      validateTimer = setTimeout(validateNow, 300);
    }
    if (reason !== "live" && reason !== "move" && !urlTimer) urlTimer = setTimeout(writeUrl, 500);
    if (selection) select(selection, { keep: true }); // drop a selection whose target vanished (selection.js drops vanished members)
    paintToolbar();
  });

  window.addEventListener("hashchange", () => {
    if (location.hash === lastHash) return;
    const doc = decodeFragment(location.hash);
    if (doc) {
      store.replace(doc, "open link", true);
      presets.forget();
      canvas.setView(store.doc.view);
    }
  });

  // --- run ----------------------------------------------------------------------------------
  bus.on("run:starting", () => {
    problems.set(problems.list); // keep the list; a refusal replaces it
  });
  bus.on("run:started", (m) => {
    messages.clear(); // ids start at 1 in every run: one store per run
    tokens.clear();
    counters.reset();
    nodeStatus.reset();
    gauges.reset(store.plain(), m.transport);
    log.clear();
    log.note(t("log.started", { run: m.run ?? "", transport: m.transport ?? store.doc.transport, n: Object.keys(m.links || {}).length }));
    for (const [sock, endpoint] of Object.entries(m.exposed || {})) log.note(t("log.exposed", { socket: sock, endpoint }));
  });
  bus.on("run:batch", (m) => {
    const events = Array.isArray(m.events) ? m.events : [];
    let stats = null;
    for (const ev of events) {
      if (ev.ev === "stats") stats = { ...(stats || {}), ...(ev.links || {}) };
      else messages.add(ev);
    }
    // A replay's seek (quiet) lists what happened up to there, but draws no tokens.
    tokens.batch(m.quiet ? events.filter((ev) => !MESSAGE_EVS.has(ev.ev)) : events);
    nodeStatus.batch(events);
    gauges.batch(events);
    log.batch(events);
    if (stats) counters.update(stats);
  });
  bus.on("run:invalid", (m) => {
    problems.set(m.errors || []);
    canvas.render();
    inspector.render();
    bus.emit("toast:show", { kind: "error", text: t("run.refused", { n: (m.errors || []).length }), sticky: 5000 });
  });
  bus.on("run:stopped", (m) => {
    if (m.totals?.links) counters.update(m.totals.links);
    if (m.totals) nodeStatus.totals(m.totals);
    gauges.totals(m.totals);
    const why = m.reason === "connection lost" ? t("run.connectionLost") : typeof m.reason === "string" ? m.reason : JSON.stringify(m.reason);
    log.note(m.reason ? t("log.runStoppedWhy", { reason: why }) : t("log.runStopped"));
  });
  bus.on("run:notice", (m) => log.note(noticeText(m)));
  // One message selected anywhere (token, log line, sequence arrow) is marked in the log and the
  // chart (their own msg:shown listeners) and its token glows while drawn; the canvas selection
  // is left alone (a click on a token must not select what lies behind it).
  bus.on("msg:shown", ({ msg }) => tokens.highlight(msg));
  for (const name of ["run:started", "run:stopped", "run:state", "faults:sent"]) bus.on(name, () => selection && inspector.render());
  bus.on("run:batch", (m) => {
    if (selection?.type === "node" && m.events?.some((e) => e.ev === "node" && e.node === selection.id)) inspector.render();
  });
  bus.on("link:select", ({ id }) => select({ type: "link", id }));

  // --- toolbar and keyboard -------------------------------------------------------------------
  const tb = $(".toolbar");
  tb.querySelector('[data-act="undo"]').innerHTML = iconSvg("undo");
  tb.querySelector('[data-act="redo"]').innerHTML = iconSvg("redo");
  tb.querySelector('[data-act="layout"]').innerHTML = `${iconSvg("layout")}<span data-i18n="tb.layout">${esc(t("tb.layout"))}</span>`;
  tb.querySelector('[data-act="fit"]').innerHTML = iconSvg("fit");
  tb.querySelector('[data-act="clear"]').innerHTML = iconSvg("plus");
  tb.querySelector('[data-act="share"]').innerHTML = `${iconSvg("link")}<span data-i18n="tb.share">${esc(t("tb.share"))}</span>`;
  // The keyboard and theme buttons sit with the zoom buttons, on the canvas: the header keeps
  // its room for the run controls and the language switch (test_responsive).
  $('.zoom-ctl [data-act="comment"]').innerHTML = iconSvg("note");
  $('.zoom-ctl [data-act="shortcuts"]').innerHTML = `${iconSvg("keyboard")}<span class="sr-only" data-i18n="sc.title">${esc(t("sc.title"))}</span>`;
  const shortcuts = attachShortcuts({ runButton: () => $("[data-testid=run]"), stopButton: () => $("[data-testid=stop]") });

  function paintToolbar() {
    tb.querySelector('[data-act="undo"]').disabled = !history.canUndo;
    tb.querySelector('[data-act="redo"]').disabled = !history.canRedo;
  }

  function undoRedo(which) {
    const step = which === "undo" ? history.undo() : history.redo();
    if (!step) return;
    store.replace(step.doc, which, false);
    bus.emit("toast:show", { kind: "info", text: t(which === "undo" ? "tb.undid" : "tb.redid", { label: step.label }), sticky: 1500 });
  }

  function act(name) {
    if (name === "undo" || name === "redo") undoRedo(name);
    else if (name === "layout") {
      store.edit("auto layout", (doc) => autoLayout(doc));
      canvas.renderNow();
      canvas.fit();
    } else if (name === "fit") canvas.fit();
    else if (name === "clear") {
      store.replace(emptyDoc(), "new", true);
      presets.forget();
      select(null);
    } else if (name === "share" && !shareReady) {
      bus.emit("toast:show", { kind: "error", text: t("tb.shareUnavailable"), sticky: 4000 });
    } else if (name === "shortcuts") shortcuts.open();
    else if (name === "comment") comments.add();
    else if (name === "zoom-in") canvas.zoomBy(1.25);
    else if (name === "zoom-out") canvas.zoomBy(0.8);
  }

  document.addEventListener("click", (e) => {
    const b = e.target.closest(".toolbar [data-act], .zoom-ctl [data-act]");
    if (b) act(b.getAttribute("data-act"));
  });

  document.addEventListener("keydown", (e) => {
    const typing = e.target.closest?.("input, textarea, select, [contenteditable]");
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === "z" && !typing) {
      e.preventDefault();
      undoRedo(e.shiftKey ? "redo" : "undo");
    } else if (mod && e.key.toLowerCase() === "y" && !typing) {
      e.preventDefault();
      undoRedo("redo");
    } else if ((e.key === "Delete" || e.key === "Backspace") && !typing && selection) {
      e.preventDefault();
      deleteSelection();
    } else if (e.key === "Escape" && !typing) select(null);
    else if ((e.key === "f" || e.key === "F") && !typing && !mod) canvas.fit();
  });

  // A language switch re-renders the text of every part; the document, the view and a run
  // carry on untouched (the parts that draw text subscribe to onLangChange themselves).
  i18n.onLangChange(() => canvas.render());

  // --- start ----------------------------------------------------------------------------------
  palette.render();
  inspector.render();
  paintToolbar();
  canvas.renderNow();
  if (store.doc.nodes.length) {
    const v = store.doc.view;
    if (v && (v.x || v.y || (v.k && v.k !== 1))) canvas.setView(v);
    else canvas.fit(false);
    validateNow();
  }
  socket.open();
  const list = await presets.refresh();
  const paintPresetLinks = () => {
    $(".preset-links").innerHTML = list
      .map((p) => `<button class="linklike" data-preset="${esc(p.id)}">${esc(String(i18n.pick(p.title) || p.id).split(":")[0])}</button>`)
      .join(" · ");
  };
  paintPresetLinks();
  i18n.onLangChange(paintPresetLinks);
  $(".preset-links").addEventListener("click", (e) => {
    const id = e.target.closest("[data-preset]")?.getAttribute("data-preset");
    if (id) presets.load(id);
  });
  // Share, export, import and replay live in share/ (their own module tree); they take over the
  // toolbar's Share button. Loaded dynamically so the editor still works if they cannot load.
  try {
    const share = await import("./share/index.js");
    share.attachShare({ bus, store, canvas, controls, problems, presets });
    shareReady = true;
  } catch (err) {
    console.warn("share tools unavailable:", err);
  }
  window.__playground = { bus, store, canvas, tokens, counters, gauges, messages, controls, live, sequence, i18n, selection: multi, clipboard }; // for tests and debugging
  // Other front-end parts (share/) can attach to a ready editor through this event.
  document.dispatchEvent(new CustomEvent("playground:ready", { detail: { bus, store, canvas, problems, controls, messages } }));
  document.body.classList.add("ready");
}

// A saved topology opened at /t/<id>: the page inlines it (templates/shared.html).
function sharedItem() {
  const el = document.getElementById("zpg-shared");
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch {
    return null;
  }
}

main().catch((err) => {
  console.error("the editor failed to start", err);
});
