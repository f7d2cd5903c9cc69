// Live edits (docs/protocol.md, "Live edits"): while a run goes, every edit of the document
// that changes what runs (not a move, the view or a title) is sent as {op: "edit"} with the
// whole document. The server answers with what it applied (logged), or why it could not: then
// a bar over the canvas says the canvas is not what runs, and offers Restart or Revert, so the
// canvas never silently shows a topology different from the running one.

import { esc } from "../editor/fields.js";
import { clone, forServer } from "../model/topology.js";
import { onLangChange, t } from "../i18n.js";
import { problemText } from "./problem-text.js";

const QUIET = new Set(["live", "move", "view"]);

/** What runs: the document for the server, without what never reaches a socket. */
export function runSignature(doc) {
  const d = forServer(doc);
  delete d.view;
  delete d.title;
  delete d.description;
  for (const n of d.nodes) {
    delete n.x;
    delete n.y;
    delete n.label;
  }
  return JSON.stringify(d);
}

export function createLive(host, { bus, store, socket, controls, log }) {
  let running = null; // the document the run runs (plain copy), while a run is live
  let runningSig = "";
  let seq = 0;
  let sentSig = "";
  let sentDoc = null;
  let timer = 0;
  let problem = null; // {kind: "invalid"|"refused", items}

  const live = () => controls.status === "running";

  function paint() {
    const diverged = Boolean(running && problem);
    document.body.classList.toggle("run-diverged", diverged);
    host.hidden = !diverged;
    if (!diverged) return (host.innerHTML = "");
    const why = problem.items.map((p) => `${p.node ? `${p.node}${p.socket ? `.${p.socket}` : ""}: ` : ""}${problemText(p)}`).join("; ");
    const head = problem.kind === "invalid" ? t("live.invalid", { n: problem.items.length }) : t("live.refused");
    host.innerHTML = `<span class="live-why" data-testid="live-why"><b>${esc(head)}</b> ${esc(why)}</span>
      <button class="btn btn-sm" data-live="restart" data-testid="live-restart">${esc(t("live.restart"))}</button>
      <button class="btn btn-sm" data-live="revert" data-testid="live-revert">${esc(t("live.revert"))}</button>`;
  }

  function send() {
    timer = 0;
    if (!live() || !running) return;
    const sig = runSignature(store.doc);
    if (sig === runningSig) {
      problem = null;
      return paint();
    }
    if (sig === sentSig) return;
    sentSig = sig;
    sentDoc = clone(store.doc);
    seq += 1;
    socket.send({ op: "edit", seq, topology: forServer(store.doc) });
  }

  bus.on("run:starting", () => {
    running = clone(store.doc);
    runningSig = runSignature(running);
    sentSig = runningSig;
    problem = null;
    paint();
  });
  bus.on("run:stopped", () => {
    running = null;
    problem = null;
    clearTimeout(timer);
    paint();
  });
  bus.on("doc:changed", ({ reason }) => {
    if (!running || QUIET.has(reason)) return;
    clearTimeout(timer);
    timer = setTimeout(send, 150);
  });
  bus.on("server:edit", (m) => {
    if (m.seq !== seq || !running) return; // an answer to an edit since replaced by another
    if (m.ok) {
      running = sentDoc;
      runningSig = sentSig;
      problem = null;
      for (const c of m.applied || []) log.note(t("live.applied", { what: describe(c) }), "note live");
      for (const n of m.notes || []) log.note(n);
      if ((m.applied || []).length) bus.emit("toast:show", { kind: "info", text: t("live.appliedN", { n: m.applied.length }), sticky: 1800 });
    } else {
      sentSig = "";
      const refused = m.refused && m.refused.length;
      problem = { kind: refused ? "refused" : "invalid", items: refused ? m.refused : m.errors || [] };
    }
    paint();
    bus.emit("live:edit", { ...m, doc: m.ok ? running : null });
  });

  host.addEventListener("click", (e) => {
    const act = e.target.closest("[data-live]")?.getAttribute("data-live");
    if (act === "restart") controls.start();
    else if (act === "revert" && running) {
      const view = store.doc.view;
      const back = clone(store.doc);
      // keep where things are drawn; take what runs from the running document
      const pos = new Map(back.nodes.map((n) => [n.id, [n.x, n.y]]));
      const doc = clone(running);
      for (const n of doc.nodes) if (pos.has(n.id)) [n.x, n.y] = pos.get(n.id);
      doc.view = view;
      store.replace(doc, "revert to the running topology", true);
    }
  });

  onLangChange(paint);
  paint();
  return {
    /** The document the run runs now (null when no run is live). */
    get running() {
      return running;
    },
  };
}

function describe(c) {
  const what = t(`live.ch.${c.change.replace(/ /g, "-")}`);
  return `${what} ${c.target}${c.detail ? ` (${c.detail})` : ""}`;
}
