// Share, export, import and replay in the editor page. main.js calls `initialState()` for the
// first document and `attachShare(ctx)` once the page's parts exist; everything else is here:
// the header's Replay / Export / Share buttons, the share dialog, the recorder and the replay bar.

import { forServer, normalizeDoc } from "../model/topology.js";
import { decodeState } from "./links.js";
import { createRecorder } from "./recorder.js";
import { createReplayBar } from "./replay-ui.js";
import { openShareDialog } from "./dialog.js";
import { exportJson, exportPng, exportPython, exportSvg, importJson } from "./exporting.js";
import { applyI18n, t } from "../i18n.js";
import { problemText } from "../ui/problem-text.js";

const ICON = (d) => `<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="${d}"/></svg>`;
const I = {
  share: "M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 0 1 3.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 0 1 4.5 9l1-1",
  export: "M8 2v8M4.5 6.5 8 10l3.5-3.5M3 13h10",
  replay: "M3 8a5 5 0 1 0 1.5-3.5M3 2.5v2.5h2.5M7 6v4l3-2z",
  chevron: "M4 6l4 4 4-4",
};

/** The item a /t/<id> page was served with ({id, topology, recording}), or null. */
export function sharedItem() {
  const el = document.getElementById("zpg-shared");
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch {
    return null;
  }
}

/** The document to open: the URL fragment (any link version) first, else a saved item. */
export function initialState() {
  return decodeState(location.hash)?.doc || sharedItem()?.topology || null;
}

/** One string per topology whatever its spelling (key order, view, editor-only defaults). */
export function topologyKey(doc) {
  const d = forServer(normalizeDoc(doc));
  delete d.view;
  const sorted = (v) => (Array.isArray(v) ? v.map(sorted) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
  return JSON.stringify(sorted(d));
}

let attached = null;

/** Attach once; later calls (main.js may attach early and late) return the same tools. */
export function attachShare(ctx) {
  if (!attached) attached = attach(ctx);
  return attached;
}

function attach({ bus, store, canvas, controls, problems, presets }) {
  let host = document.getElementById("share-tools");
  if (!host) {
    host = document.createElement("div");
    host.id = "share-tools";
    host.className = "share-tools";
    document.querySelector(".topbar")?.appendChild(host);
  }
  const stage = document.querySelector(".stage");
  const recorder = createRecorder(bus, { getDoc: () => forServer(store.doc), getSpeed: () => controls.speed });
  let replay = null;
  let replayHost = null;
  let replayRec = null;

  // Labels carry data-i18n: a language switch refills them (i18n.setLang → applyI18n).
  host.innerHTML = `
    <button class="btn btn-ghost" data-act="replay" data-testid="replay-open" data-i18n-title="share.replay.title" hidden>${ICON(I.replay)}<span data-i18n="share.replay"></span></button>
    <div class="share-menu-wrap">
      <button class="btn" data-act="export-menu" data-testid="export-button" aria-haspopup="true">${ICON(I.export)}<span data-i18n="share.export"></span>${ICON(I.chevron).replace('class="icon"', 'class="icon chev"')}</button>
      <div class="menu share-menu" data-testid="export-menu" hidden>
        <button class="menu-item" data-act="export-json" data-testid="export-json" data-i18n="share.exportJson"></button>
        <button class="menu-item" data-act="export-svg" data-testid="export-svg" data-i18n="share.exportSvg"></button>
        <button class="menu-item" data-act="export-png" data-testid="export-png" data-i18n="share.exportPng"></button>
        <button class="menu-item" data-act="export-python" data-testid="export-python" data-i18n="share.exportPython"></button>
        <div class="menu-sep"></div>
        <button class="menu-item" data-act="import" data-testid="import-json" data-i18n="share.import"></button>
      </div>
    </div>
    <button class="btn btn-share" data-act="share" data-testid="share-button" data-i18n-title="share.share.title">${ICON(I.share)}<span data-i18n="share.share"></span></button>
    <input type="file" accept=".json,application/json" data-testid="import-file" hidden>`;
  applyI18n(host);
  // The editor's toolbar may carry its own Share button: then it opens this dialog, and the
  // share tools do not show a second one.
  const toolbarShare = document.querySelector('.toolbar [data-act="share"]');
  if (toolbarShare) {
    host.querySelector('[data-act="share"]').remove();
    toolbarShare.after(host); // Export and Replay sit beside it
    host.querySelector('[data-act="export-menu"]').classList.add("btn-ghost");
    toolbarShare.addEventListener("click", (e) => {
      e.stopPropagation(); // this dialog (with the recording option) is the one to open
      act("share");
    });
  }
  const menu = host.querySelector(".share-menu");
  const fileInput = host.querySelector('input[type="file"]');
  const replayBtn = host.querySelector('[data-act="replay"]');
  const toast = (kind, text, sticky = 4000) => bus.emit("toast:show", { kind, text, sticky });

  function showProblems(errors) {
    problems.set(errors);
    canvas.render();
  }

  function recordingForNow() {
    const rec = replayRec || recorder.last;
    if (!rec) return null;
    const key = topologyKey(store.doc);
    return rec.__key === key ? rec : null;
  }

  function closeReplay() {
    replay?.stop();
    replay = null;
    replayHost?.remove();
    replayHost = null;
    document.body.classList.remove("replaying");
  }

  function openReplay(rec) {
    closeReplay();
    replayHost = document.createElement("div");
    stage.appendChild(replayHost);
    document.body.classList.add("replaying");
    if (typeof rec.speed === "number") bus.emit("server:state", { speed: rec.speed }); // the speed it was recorded at
    replay = createReplayBar(replayHost, rec, {
      onReset: (started) => bus.emit("run:started", { ...started, replay: true }),
      onBatch: (events, quiet) => bus.emit("run:batch", { events, sampled: false, skipped: 0, replay: true, quiet }),
      onEnd: (stopped) => bus.emit("run:stopped", { ...stopped, replay: true }),
    }, { onClose: closeReplay });
    return replay;
  }

  function adopt(rec, doc) {
    rec.__key = topologyKey(doc);
    replayRec = rec;
    replayBtn.hidden = false;
  }

  bus.on("recording:ready", ({ recording, doc }) => adopt(recording, doc || forServer(store.doc)));
  bus.on("run:starting", () => closeReplay());

  async function act(name) {
    menu.hidden = true;
    const doc = forServer(store.doc);
    try {
      if (name === "export-menu") menu.hidden = false;
      else if (name === "share") {
        if (!doc.nodes.length) return toast("info", t("share.nothing"));
        const rec = recordingForNow();
        openShareDialog({ doc, recording: rec ? strip(rec) : null, onProblems: showProblems });
      } else if (name === "replay") {
        const rec = replayRec || recorder.last;
        if (rec) openReplay(rec).play();
      } else if (name === "export-json") exportJson(doc);
      else if (name === "export-svg") exportSvg(canvas.svg.node(), store.doc);
      else if (name === "export-png") await exportPng(canvas.svg.node(), store.doc);
      else if (name === "export-python") {
        await exportPython(doc);
        toast("info", t("share.pythonSaved"), 5000);
      } else if (name === "import") fileInput.click();
    } catch (err) {
      if (err.errors?.length) showProblems(err.errors);
      toast("error", err.message, 6000);
    }
  }

  host.addEventListener("click", (e) => {
    const b = e.target.closest("[data-act]");
    if (!b) return;
    const name = b.getAttribute("data-act");
    if (name === "export-menu" && !menu.hidden) menu.hidden = true;
    else act(name);
  });
  document.addEventListener("pointerdown", (e) => {
    if (!host.contains(e.target)) menu.hidden = true;
  });

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    const { doc, errors } = await importJson(await file.text());
    if (!doc) {
      showProblems(errors);
      return toast("error", t("share.importFailed", { name: file.name, why: (errors[0] && problemText(errors[0])) || t("share.notTopology") }), 6000);
    }
    closeReplay();
    store.replace(doc, "import", true);
    presets.forget();
    canvas.renderNow();
    canvas.fit(false);
    showProblems(errors);
    if (errors.length) toast("error", t("share.importedProblems", { name: file.name, n: errors.length }), 6000);
    else toast("info", t("share.imported", { name: file.name }), 2500);
  });

  // A saved item with a recording (/t/<id>): offer its replay at once, paused at the start.
  const shared = sharedItem();
  if (shared?.recording && shared.topology) {
    adopt(shared.recording, shared.topology);
    if (topologyKey(store.doc) === shared.recording.__key) openReplay(shared.recording);
  }
  const api = { recorder, openReplay, closeReplay, recordingForNow, get replay() { return replay; } };
  window.__share = api; // for tests and debugging, like window.__playground
  return api;
}

// The recording as saved: without the page's bookkeeping fields.
function strip(rec) {
  const { __key, ...clean } = rec;
  void __key;
  return clean;
}
