// The event log: one line per event, newest at the bottom, bounded in the DOM. Lines are
// appended once per animation frame; clicking a message line opens it in the frames panel.
// Follows the bottom unless the user scrolled up.

import { preview } from "../model/frames.js";
import { esc } from "../editor/fields.js";
import { applyI18n, has, onLangChange, t, tState } from "../i18n.js";

const MAX_LINES = 300;
const PER_FLUSH = 60; // lines added per DOM update at most
const FLUSH_MS = 250; // at most four DOM updates a second: each re-lays out and repaints the list
const KINDS = ["sent", "delivered", "filtered", "dropped", "error", "state"];
// Node, link and queue state changes share the "state" filter.
const group = (ev) => (["sent", "delivered", "filtered", "dropped", "error"].includes(ev.ev) ? ev.ev : "state");

// An event's name in the current language ("sent" / "전송"); unknown names as they are.
const evName = (name) => (has(`ev.${name}`) ? t(`ev.${name}`) : name);

export function createLog(host, { bus }) {
  host.innerHTML = `<div class="dock-head"><h2 class="panel-title" data-testid="log-title" data-i18n="log.title"></h2>
      <div class="log-filters">${KINDS.map((k) => `<label class="chk ev-${k}"><input type="checkbox" data-k="${k}" checked><span data-i18n="ev.${k}"></span></label>`).join("")}</div>
      <span class="log-count" data-testid="log-count"></span>
      <button class="btn btn-ghost btn-sm" data-act="clear" data-i18n="log.clear"></button></div>
    <div class="log-body" data-testid="event-log" tabindex="0" data-i18n-aria-label="log.aria"><div class="log-empty" data-i18n-html="log.empty"></div></div>`;
  applyI18n(host);
  const body = host.querySelector(".log-body");
  const countEl = host.querySelector(".log-count");
  const shown = new Set(KINDS);
  const paintCount = () => (countEl.textContent = total ? t("log.count", { n: total, count: total.toLocaleString() }) : "");
  let pending = [];
  let scheduled = false;
  let total = 0;
  let selectedLine = null;
  let follow = true; // stick to the bottom unless the user scrolled up (tracked without forcing layout)
  let lastFlush = 0;
  body.addEventListener("scroll", () => {
    follow = body.scrollHeight - body.scrollTop - body.clientHeight < 30;
  }, { passive: true });

  /** Which kind of knowledge an event states (docs/protocol.md), as a marked note, not colour. */
  function knowNote(ev) {
    let key = null;
    if (ev.ev === "dropped") key = ev.knowledge === "known" ? "log.known" : ev.rule ? `know.rule.${ev.rule}` : null;
    else if (ev.attribution === "unknown") key = "log.unattributed";
    else if (ev.pairing === "unproven") key = "log.unproven";
    if (!key) return "";
    const mark = ev.knowledge === "known" ? "●" : ev.ev === "dropped" ? "⊢" : "?";
    return ` <span class="muted know-${esc(ev.knowledge || "unknown")}">${mark} ${esc(t(key))}</span>`;
  }

  function what(ev) {
    if (ev.ev === "sent") return `<b>${esc(ev.node)}.${esc(ev.socket)}</b> ${esc(t("log.sent"))} ${esc(preview(ev.frames))}${ev.envelope?.length ? ` <span class="muted">${esc(t("log.envelope", { n: ev.envelope.length }))}</span>` : ""}`;
    if (ev.ev === "delivered") return `<b>${esc(ev.from || (ev.among || []).join(" | "))}</b> → <b>${esc(ev.to)}</b> ${esc(preview(ev.frames))}${knowNote(ev)}`;
    if (ev.ev === "filtered") return `<b>${esc(ev.from)}</b> ⇢ <b>${esc(ev.to)}</b> ${esc(t("log.filtered", { topic: JSON.stringify(ev.topic ?? "") }))}`;
    if (ev.ev === "dropped") return `<b>${esc(ev.from)}</b> ⇢ <b>${esc(ev.to)}</b> ${esc(t("log.dropped", { reason: ev.reason }))}${ev.count > 1 ? ` ×${ev.count}` : ""}${knowNote(ev)}`;
    if (ev.ev === "error") return `<b>${esc(ev.node)}${ev.socket ? `.${esc(ev.socket)}` : ""}</b> <span class="errname">${esc(ev.error)}</span> ${esc(ev.message)}`;
    if (ev.ev === "node") return `<b>${esc(ev.node)}</b> ${esc(tState(ev.state))}${ev.detail ? ` <span class="muted">${esc(typeof ev.detail === "string" ? ev.detail : JSON.stringify(ev.detail))}</span>` : ""}`;
    if (ev.ev === "link") return t("log.link", { id: `<b>${esc(ev.link)}</b>`, state: esc(tState(ev.state)) });
    if (ev.ev === "blocked") return `<b>${esc(ev.node)}.${esc(ev.socket)}</b> ${esc(t("log.blocked"))}`;
    if (ev.ev === "unblocked") return `<b>${esc(ev.node)}.${esc(ev.socket)}</b> ${esc(t("log.unblocked"))}`;
    if (ev.ev === "stopped") return `${esc(t("log.stopped"))}${ev.reason ? ` (${esc(typeof ev.reason === "string" ? ev.reason : JSON.stringify(ev.reason))})` : ""}`;
    return esc(ev.ev);
  }

  // One line as HTML (string building is much cheaper than DOM calls on a busy run).
  function line(ev) {
    const hasMsg = ev.msg !== undefined && ev.msg !== null;
    const attrs = hasMsg ? ` data-msg="${esc(ev.msg)}"${ev.link ? ` data-link="${esc(ev.link)}"` : ""}` : "";
    return `<div class="log-line ev-${esc(ev.ev)} g-${group(ev)}${hasMsg ? " clickable" : ""}" data-testid="log-line" data-ev="${esc(ev.ev)}"${attrs}${hasMsg ? ' tabindex="-1"' : ""}><span class="t">${fmtT(ev.t)}</span><span class="k">${esc(evName(ev.ev))}</span><span class="w">${what(ev)}</span></div>`;
  }

  function flush(now) {
    scheduled = false;
    if (!pending.length) return;
    // At most four DOM updates a second: a busy run must not spend its frames on the log.
    if (now - lastFlush < FLUSH_MS) {
      schedule();
      return;
    }
    lastFlush = now;
    const atBottom = follow;
    body.querySelector(".log-empty")?.remove();
    const all = pending.filter((ev) => shown.has(group(ev)));
    pending = [];
    // A busy run lists its latest events only, and says how many it skipped.
    const fresh = all.slice(-PER_FLUSH);
    const gap = all.length - fresh.length;
    const html = (gap ? `<div class="log-line log-gap"><span class="t"></span><span class="k">⋯</span><span class="w">${esc(t("log.gap", { n: gap.toLocaleString() }))}</span></div>` : "") + fresh.map(line).join("");
    if (fresh.length >= MAX_LINES) {
      body.innerHTML = html;
      selectedLine = null;
    } else {
      body.insertAdjacentHTML("beforeend", html);
      let extra = body.childElementCount - MAX_LINES;
      while (extra-- > 0) body.firstElementChild.remove();
    }
    paintCount();
    if (atBottom) body.scrollTop = 1e9;
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(flush);
    }
  }

  body.addEventListener("click", (e) => {
    const div = e.target.closest(".log-line.clickable");
    if (!div) return;
    selectedLine?.classList.remove("selected");
    selectedLine = div;
    div.classList.add("selected");
    bus.emit("msg:show", { msg: div.getAttribute("data-msg"), link: div.getAttribute("data-link"), ev: div.getAttribute("data-ev") });
  });
  // A message shown from elsewhere (a token, the sequence chart) is marked here too.
  bus.on("msg:shown", ({ msg }) => {
    for (const l of body.querySelectorAll(".log-line.selected")) l.classList.remove("selected");
    selectedLine = null;
    const mine = [...body.querySelectorAll(".log-line.clickable")].filter((l) => l.getAttribute("data-msg") === String(msg));
    for (const l of mine) l.classList.add("selected");
    if (mine.length) {
      selectedLine = mine[0];
      follow = false;
      mine[0].scrollIntoView?.({ block: "nearest" });
    }
  });
  // Keyboard: the list takes focus (Tab); arrows move between message lines, Enter or Space
  // opens the focused one in the frames panel, Home/End jump to the first/last.
  body.addEventListener("keydown", (e) => {
    const lines = [...body.querySelectorAll(".log-line.clickable")].filter((l) => l.offsetParent);
    if (!lines.length) return;
    const cur = lines.indexOf(document.activeElement);
    let next = null;
    if (e.key === "ArrowDown") next = cur < 0 ? lines.length - 1 : Math.min(lines.length - 1, cur + 1);
    else if (e.key === "ArrowUp") next = cur < 0 ? lines.length - 1 : Math.max(0, cur - 1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = lines.length - 1;
    else if ((e.key === "Enter" || e.key === " ") && cur >= 0) {
      e.preventDefault();
      lines[cur].click();
      return;
    }
    if (next === null) return;
    e.preventDefault();
    follow = next === lines.length - 1;
    lines[next].focus();
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

  // A language switch relabels the head (data-i18n) and the count; lines already listed stay
  // as they were written, new ones come in the new language.
  onLangChange(paintCount);

  return {
    batch(events) {
      for (const ev of events) {
        if (ev.ev === "stats") continue;
        pending.push(ev);
        total++;
      }
      if (pending.length > MAX_LINES * 2) pending = pending.slice(-MAX_LINES);
      schedule();
    },
    note(text, cls = "note") {
      lastFlush = 0;
      flush(performance.now());
      const div = document.createElement("div");
      div.className = `log-line log-${cls}`;
      div.innerHTML = `<span class="t"></span><span class="k">${esc(t("log.run"))}</span><span class="w">${esc(text)}</span>`;
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
