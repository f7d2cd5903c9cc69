// The event log: one line per event, newest at the bottom, bounded in the DOM. Lines are
// appended once per animation frame; clicking a message line opens it in the frames panel.
// Follows the bottom unless the user scrolled up.

import { preview } from "../model/frames.js";
import { esc } from "../editor/fields.js";

const MAX_LINES = 400;
const KINDS = ["sent", "delivered", "filtered", "dropped", "node", "error"];

export function createLog(host, { bus }) {
  host.innerHTML = `<div class="dock-head"><h2 class="panel-title">Event log</h2>
      <div class="log-filters">${KINDS.map((k) => `<label class="chk ev-${k}"><input type="checkbox" data-k="${k}" checked>${k}</label>`).join("")}</div>
      <span class="log-count" data-testid="log-count"></span>
      <button class="btn btn-ghost btn-sm" data-act="clear">Clear</button></div>
    <div class="log-body" data-testid="event-log"><div class="log-empty">Press <b>Run</b> and every real message shows up here. Click one to see its frames.</div></div>`;
  const body = host.querySelector(".log-body");
  const countEl = host.querySelector(".log-count");
  const shown = new Set(KINDS);
  let pending = [];
  let scheduled = false;
  let total = 0;
  let selectedLine = null;

  function line(ev) {
    const div = document.createElement("div");
    div.className = `log-line ev-${ev.ev}`;
    div.setAttribute("data-testid", "log-line");
    div.setAttribute("data-ev", ev.ev);
    let what = "";
    if (ev.ev === "sent") what = `<b>${esc(ev.node)}.${esc(ev.socket)}</b> sent ${esc(preview(ev.frames))}${ev.envelope?.length ? ` <span class="muted">+${ev.envelope.length} envelope</span>` : ""}`;
    else if (ev.ev === "delivered") what = `<b>${esc(ev.from)}</b> → <b>${esc(ev.to)}</b> ${esc(preview(ev.frames))}`;
    else if (ev.ev === "filtered") what = `<b>${esc(ev.from)}</b> ⇢ <b>${esc(ev.to)}</b> filtered: no subscription matches ${esc(JSON.stringify(ev.topic ?? ""))}`;
    else if (ev.ev === "dropped") what = `<b>${esc(ev.from)}</b> ⇢ <b>${esc(ev.to)}</b> dropped (${esc(ev.reason)})`;
    else if (ev.ev === "error") what = `<b>${esc(ev.node)}${ev.socket ? `.${esc(ev.socket)}` : ""}</b> <span class="errname">${esc(ev.error)}</span> ${esc(ev.message)}`;
    else if (ev.ev === "node") what = `<b>${esc(ev.node)}</b> ${esc(ev.state)}${ev.detail ? ` <span class="muted">${esc(typeof ev.detail === "string" ? ev.detail : JSON.stringify(ev.detail))}</span>` : ""}`;
    if (ev.msg !== undefined && ev.msg !== null) {
      div.setAttribute("data-msg", ev.msg);
      if (ev.link) div.setAttribute("data-link", ev.link);
      div.classList.add("clickable");
    }
    div.innerHTML = `<span class="t">${fmtT(ev.t)}</span><span class="k">${ev.ev}</span><span class="w">${what}</span>`;
    return div;
  }

  function flush() {
    scheduled = false;
    if (!pending.length) return;
    const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 30;
    body.querySelector(".log-empty")?.remove();
    const frag = document.createDocumentFragment();
    for (const ev of pending.slice(-MAX_LINES)) if (shown.has(ev.ev)) frag.appendChild(line(ev));
    pending = [];
    body.appendChild(frag);
    let extra = body.childElementCount - MAX_LINES;
    while (extra-- > 0) body.firstElementChild.remove();
    countEl.textContent = `${total.toLocaleString()} events`;
    if (atBottom) body.scrollTop = body.scrollHeight;
  }

  body.addEventListener("click", (e) => {
    const div = e.target.closest(".log-line.clickable");
    if (!div) return;
    selectedLine?.classList.remove("selected");
    selectedLine = div;
    div.classList.add("selected");
    bus.emit("msg:show", { msg: div.getAttribute("data-msg"), link: div.getAttribute("data-link"), ev: div.getAttribute("data-ev") });
  });
  host.addEventListener("change", (e) => {
    const k = e.target.getAttribute("data-k");
    if (!k) return;
    if (e.target.checked) shown.add(k);
    else shown.delete(k);
    body.classList.toggle(`hide-${k}`, !e.target.checked);
  });
  host.querySelector('[data-act="clear"]').addEventListener("click", () => {
    body.textContent = "";
    total = 0;
    countEl.textContent = "";
  });

  return {
    batch(events) {
      for (const ev of events) {
        if (ev.ev === "stats") continue;
        pending.push(ev);
        total++;
      }
      if (pending.length > MAX_LINES * 2) pending = pending.slice(-MAX_LINES);
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(flush);
      }
    },
    note(text, cls = "note") {
      flush();
      const div = document.createElement("div");
      div.className = `log-line log-${cls}`;
      div.innerHTML = `<span class="t"></span><span class="k">run</span><span class="w">${esc(text)}</span>`;
      body.querySelector(".log-empty")?.remove();
      body.appendChild(div);
      body.scrollTop = body.scrollHeight;
    },
    clear() {
      body.textContent = "";
      pending = [];
      total = 0;
      countEl.textContent = "";
    },
  };
}

function fmtT(t) {
  if (typeof t !== "number") return "";
  return t < 10000 ? `${t.toFixed(1)} ms` : `${(t / 1000).toFixed(3)} s`;
}
