// The frames panel: one message exactly as it went over the wire. Each frame on its own row
// (index, size in bytes, text or hex), the envelope frames libzmq added (from `sent`), and
// who sent it, who got it, on which link, and when.

import { frameBytes, isHex, printable, spacedHex, totalBytes } from "../model/frames.js";
import { esc } from "../editor/fields.js";
import { onLangChange, t } from "../i18n.js";

export function createFramesPanel(host, { bus, messages }) {
  let current = null; // {msg, link, ev}
  const empty = () => `<div class="frames-empty">${esc(t("frames.empty"))}</div>`;
  host.innerHTML = `<div class="dock-head"><h2 class="panel-title" data-testid="frames-title" data-i18n="frames.title">${esc(t("frames.title"))}</h2><span class="frames-id" data-testid="frames-msg"></span></div>
    <div class="frames-body" data-testid="frames-panel">${empty()}</div>`;
  const body = host.querySelector(".frames-body");
  const idEl = host.querySelector(".frames-id");

  function rows(frames, { envelope = false } = {}) {
    return (frames || [])
      .map((f, i) => {
        const hex = isHex(f);
        const val = hex ? `<span class="hex">${esc(spacedHex(f.hex))}</span>` : `<span class="txt">${f === "" ? `<i class="muted">${esc(t("frames.emptyFrame"))}</i>` : esc(printable(f))}</span>`;
        return `<div class="frame-row${envelope ? " envelope" : ""}" data-testid="${envelope ? "envelope-row" : "frame-row"}">
          <span class="fi">${envelope ? `e${i}` : i}</span><span class="fs">${frameBytes(f)} B</span>
          <span class="fk">${esc(t(`frames.kind.${envelope ? "envelope" : hex ? "hex" : "text"}`))}</span><span class="fv" data-testid="frame-value">${val}</span></div>`;
      })
      .join("");
  }

  function block(title, sub, inner) {
    return `<section class="fblock"><header><b>${title}</b><span class="muted">${sub}</span></header>${inner}</section>`;
  }

  function render() {
    if (!current) {
      body.innerHTML = empty();
      idEl.textContent = "";
      return;
    }
    const m = messages.get(current.msg);
    if (!m) {
      body.innerHTML = `<div class="frames-empty">${esc(t("frames.gone", { id: current.msg }))}</div>`;
      return;
    }
    idEl.textContent = t("frames.message", { id: m.id });
    const s = m.sent;
    const pick = (list) => list.find((x) => x.link === current.link) || list[0];
    const d = current.ev === "filtered" ? null : current.ev === "dropped" ? null : pick(m.deliveries);
    const f = current.ev === "filtered" ? pick(m.filtered) : null;
    const x = current.ev === "dropped" ? pick(m.dropped) : null;
    const hop = d || f || x;
    const fromKey = hop?.from || (s ? `${s.node}.${s.socket}` : "?");
    const statusKey = d ? "delivered" : f ? "filtered" : x ? "dropped" : "sent";
    const status = esc(t(`frames.st.${statusKey}`, { reason: x?.reason }));
    const times = [s ? esc(t("frames.t.sent", { t: fmt(s.t) })) : "", hop ? esc(t(`frames.t.${d ? "received" : f ? "filtered" : "dropped"}`, { t: fmt(hop.t) })) : "", s && hop ? `<span class="muted">(+${(hop.t - s.t).toFixed(3)} ms)</span>` : ""]
      .filter(Boolean)
      .join(" · ");
    let html = `<div class="fsum">
      <div class="route"><span class="ep">${esc(fromKey)}</span><span class="arrow ${statusKey}">→</span><span class="ep">${esc(hop?.to || "?")}</span>
        <span class="pill st-${statusKey}">${status}</span></div>
      <div class="meta-line">${hop?.link ? `${esc(t("frames.link"))} <b>${esc(hop.link)}</b> · ` : ""}${times}</div></div>`;
    if (f) html += `<div class="fnote">${esc(t("frames.filteredNote", { to: f.to, topic: JSON.stringify(f.topic ?? "") }))}</div>`;
    if (s) {
      const env = s.envelope || [];
      html += block(
        esc(t("frames.asSent", { from: `${s.node}.${s.socket}` })),
        esc(`${t("frames.nframes", { n: (s.frames || []).length })}, ${s.size ?? totalBytes(s.frames)} B${env.length ? ` + ${t("frames.nenvelope", { n: env.length })}` : ""}`),
        (env.length ? rows(env, { envelope: true }) : "") + rows(s.frames),
      );
    }
    if (d) {
      html += block(esc(t("frames.asReceived", { to: d.to })), esc(`${t("frames.nframes", { n: (d.frames || []).length })}, ${d.size ?? totalBytes(d.frames)} B: ${t("frames.recvReturned")}`), rows(d.frames));
    }
    const others = m.deliveries.filter((o) => o !== d).map((o) => o.to);
    const filteredAt = m.filtered.filter((o) => o !== f).map((o) => o.to);
    if (others.length || filteredAt.length) {
      const parts = [others.length ? t("frames.alsoDelivered", { list: others.join(", ") }) : "", filteredAt.length ? t("frames.filteredAt", { list: filteredAt.join(", ") }) : ""];
      html += `<div class="fnote">${esc(parts.filter(Boolean).join(" "))}</div>`;
    }
    if ([s, d].some((e) => e?.cut)) html += `<div class="fnote">${esc(t("frames.cut"))}</div>`;
    body.innerHTML = html;
  }

  onLangChange(() => render());
  // a new run's message ids start at 1 again: nothing shown may come from the previous run
  bus.on("run:started", () => {
    current = null;
    render();
  });

  bus.on("msg:show", (sel) => {
    current = sel;
    render();
    bus.emit("msg:shown", sel);
  });

  return {
    render,
    clear() {
      current = null;
      render();
    },
  };
}

const fmt = (t) => (typeof t === "number" ? `${t.toFixed(3)} ms` : "");
