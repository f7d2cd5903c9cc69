// Fault injection during a run (docs/protocol.md, "Faults, stepping and live options"):
// kill / restart / pause a node, slow it down, cut / restore a link. Rendered as a small
// section of the inspector while a run is live; every action is one {op} command.

import { esc } from "../editor/fields.js";
import { t, tState } from "../i18n.js";

export function createFaults({ bus, socket, isLive }) {
  const nodeState = {}; // node → last state the server reported (killed, paused...)
  const cut = new Set(); // link ids cut by the user

  bus.on("run:started", () => {
    for (const k of Object.keys(nodeState)) delete nodeState[k];
    cut.clear();
  });
  bus.on("run:batch", (m) => {
    for (const ev of m.events || []) if (ev.ev === "node") nodeState[ev.node] = ev.state;
  });

  document.addEventListener("click", (e) => {
    const b = e.target.closest("[data-run-act]");
    if (!b || !isLive()) return;
    const act = b.getAttribute("data-run-act");
    const id = b.getAttribute("data-id");
    if (act === "cut" || act === "restore") {
      socket.send({ op: "link", action: act, link: id });
      if (act === "cut") cut.add(id);
      else cut.delete(id);
    } else if (act === "delay") {
      const ms = Number(document.querySelector(`[data-run-delay="${CSS.escape(id)}"]`)?.value || 0);
      socket.send({ op: "node", action: "delay", node: id, ms: Math.max(0, Math.min(600000, Math.round(ms))) });
    } else {
      socket.send({ op: "node", action: act, node: id });
    }
    bus.emit("faults:sent", { act, id });
  });

  const btn = (act, id, label, title, cls = "", disabled = false) =>
    `<button class="btn btn-sm ${cls}" data-run-act="${act}" data-id="${esc(id)}" data-testid="fault-${act}" title="${esc(title)}"${disabled ? " disabled" : ""}>${esc(label)}</button>`;

  return {
    /** Inspector section for the current selection, or "" when no run is live. */
    html(sel) {
      if (!sel || !isLive()) return "";
      if (sel.type === "node") {
        const st = nodeState[sel.id];
        const paused = st === "paused";
        const dead = st === "killed";
        // only what applies: a killed node can be restarted, not killed, paused or slowed again
        return `<h3 class="sec" data-testid="faults-title">${esc(t("faults.title"))}</h3><div class="faults">
          ${btn(paused ? "resume" : "pause", sel.id, t(paused ? "faults.resume" : "faults.pause"), t("faults.pause.title"), "", dead)}
          ${btn("kill", sel.id, t("faults.kill"), t("faults.kill.title"), "danger", dead)}
          ${btn("restart", sel.id, t("faults.restart"), t("faults.restart.title"))}
          <span class="delay"><input class="inp" type="number" min="0" max="600000" step="50" placeholder="+ms" data-run-delay="${esc(sel.id)}" data-key="delay:${esc(sel.id)}" title="${esc(t("faults.delay.input"))}" aria-label="${esc(t("faults.delay.input"))}">${btn("delay", sel.id, t("faults.delay"), t("faults.delay.title"), "", dead)}</span>
          ${st ? `<span class="muted">${esc(t("faults.state", { state: tState(st) }))}</span>` : ""}</div>`;
      }
      if (sel.type === "link") {
        const isCut = cut.has(sel.id);
        return `<h3 class="sec" data-testid="faults-title">${esc(t("faults.title"))}</h3><div class="faults">
          ${isCut ? btn("restore", sel.id, t("faults.restore"), t("faults.restore.title")) : btn("cut", sel.id, t("faults.cut"), t("faults.cut.title"), "danger")}</div>`;
      }
      return "";
    },
  };
}
