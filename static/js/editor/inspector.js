// The inspector: edits the selected node (id, label, behaviour fields from meta, sockets and
// their options), shows a selected link's two ends and live counters, or the document's own
// fields when nothing is selected. Every change is one undoable store edit.

import { family } from "../model/meta.js";
import * as T from "../model/topology.js";
import { esc, fieldHtml, readField } from "./fields.js";
import { iconSvg, kindIcon } from "./icons.js";
import { onLangChange, t, tState } from "../i18n.js";
import { problemText } from "../ui/problem-text.js";

const SOCKET_OPTS_SHOWN = ["sndhwm", "rcvhwm", "routing_id"];

// Which way messages go on a link, from the types' send/receive abilities (meta).
function direction(meta, link, sc, sb) {
  const canSend = meta.raw?.can_send || ["REQ", "REP", "DEALER", "ROUTER", "PUB", "XPUB", "XSUB", "PUSH", "PAIR"];
  const canRecv = meta.raw?.can_receive || ["REQ", "REP", "DEALER", "ROUTER", "SUB", "XPUB", "XSUB", "PULL", "PAIR"];
  const c = `<b>${esc(link.connect.node)}.${esc(link.connect.socket)}</b>`;
  const b = `<b>${esc(link.bind.node)}.${esc(link.bind.socket)}</b>`;
  const bc = sb && sc && canSend.includes(sb.type) && canRecv.includes(sc.type);
  const cb = sb && sc && canSend.includes(sc.type) && canRecv.includes(sb.type);
  if (bc && cb) return t("insp.flow.both", { c, b });
  if (bc) return `${b} → ${c}`;
  if (cb) return `${c} → ${b}`;
  return esc(t("insp.flow.none"));
}

export function createInspector(host, ctx) {
  const { store, bus } = ctx;
  let counts = {};

  const errorsFor = (node, socket, field) =>
    ctx.problemList().filter((p) => p.node === node && (socket === undefined || (p.socket || null) === socket) && (field === undefined || p.field === field)).map((p) => problemText(p));

  function docView() {
    const d = store.doc;
    return `<div class="insp-head"><div class="insp-title" data-testid="inspector-title">${iconSvg("book")}<span>${esc(t("insp.topology"))}</span></div></div>
      <div class="insp-body">
        ${fieldHtml({ name: "title", label: t("insp.title"), type: "str" }, d.title, { scope: "doc" })}
        ${fieldHtml({ name: "description", label: t("insp.description"), type: "str" }, d.description, { scope: "doc" })}
        ${fieldHtml({ name: "transport", label: t("insp.transport"), type: "choice", choices: ctx.meta().transports }, d.transport, { scope: "doc" })}
        ${fieldHtml({ name: "start", label: t("insp.start"), type: "choice", choices: ["ready", "immediate"], default: ctx.meta().raw?.defaults?.start || "ready",
          help: t("insp.start.help") }, d.start, { scope: "doc" })}
        <p class="empty-hint">${esc(t("insp.docHint"))}</p>
      </div>`;
  }

  function socketCard(node, s, meta) {
    const fam = family(s.type);
    const shownOpts = new Set(meta.options.filter((o) => !o.appliesTo || o.appliesTo.includes(s.type)).map((o) => o.name));
    const sockErr = ctx.problemList().filter((p) => p.node === node.id && p.socket === s.name && !shownOpts.has(p.field)).map((p) => problemText(p));
    const opts = meta.options.filter((o) => o.name !== "subscribe" && (!o.appliesTo || o.appliesTo.includes(s.type)));
    const shown = opts.filter((o) => SOCKET_OPTS_SHOWN.includes(o.name));
    const more = opts.filter((o) => !SOCKET_OPTS_SHOWN.includes(o.name));
    const optHtml = (o) => fieldHtml({ ...o, label: o.label.replace(/ \(.*\)$/, "") }, s.options[o.name], { scope: "option", socket: s.name }, { errors: errorsFor(node.id, s.name, o.name) });
    const subs = s.options.subscribe || [];
    const subHtml =
      s.type === "SUB"
        ? `<div class="field"><label class="lbl">${esc(t("insp.subscriptions"))}</label>
           <label class="check"><input type="checkbox" data-scope="subs-all" data-socket="${esc(s.name)}" data-key="subs-all:${esc(s.name)}" ${subs.includes("") ? "checked" : ""}> ${esc(t("insp.subsAll"))}</label>
           <textarea class="inp mono" rows="2" spellcheck="false" aria-label="${esc(t("insp.subscriptions"))} (${esc(s.name)})" placeholder="${esc(t("insp.subsPlaceholder"))}" data-scope="subs" data-socket="${esc(s.name)}" data-key="subs:${esc(s.name)}" data-testid="field-${esc(s.name)}-subscribe">${esc(subs.filter((x) => x !== "").join("\n"))}</textarea>
           ${errorsFor(node.id, s.name, "subscribe").map((m) => `<div class="field-error">${esc(m)}</div>`).join("")}</div>`
        : "";
    return `<div class="sock-card fam-${fam}" data-testid="socket-card-${esc(s.name)}">
      <div class="sock-card-head">
        <select class="inp type-sel" data-scope="socktype" data-socket="${esc(s.name)}" data-key="socktype:${esc(s.name)}" data-testid="socket-type-${esc(s.name)}" title="${esc(t("insp.socketType"))}" aria-label="${esc(t("insp.socketType"))} (${esc(s.name)})">${meta.socketTypes
          .map((t) => `<option ${t === s.type ? "selected" : ""}>${t}</option>`)
          .join("")}</select>
        <input class="inp sock-name-inp" value="${esc(s.name)}" data-scope="sockname" data-socket="${esc(s.name)}" data-key="sockname:${esc(s.name)}" title="${esc(t("insp.socketName"))}" aria-label="${esc(t("insp.socketName"))} (${esc(s.name)})" spellcheck="false">
        <button class="icon-btn" data-act="del-socket" data-socket="${esc(s.name)}" title="${esc(t("insp.removeSocket"))}" aria-label="${esc(t("insp.removeSocket"))} (${esc(s.name)})">${iconSvg("trash")}</button>
      </div>
      <div class="sock-mode-row"><span class="lbl">${esc(t("insp.mode"))}</span><div class="seg" role="group" aria-label="${esc(t("insp.mode"))} (${esc(s.name)})">${["bind", "connect"]
        .map((m) => `<button class="${s.mode === m ? "on" : ""}" aria-pressed="${s.mode === m}" data-act="mode" data-mode="${m}" data-socket="${esc(s.name)}" data-testid="socket-mode-${esc(s.name)}-${m}">${m}</button>`)
        .join("")}</div><span class="help">${esc(t(s.mode === "bind" ? "insp.mode.bind" : "insp.mode.connect"))}</span></div>
      ${sockErr.map((m) => `<div class="field-error">${esc(m)}</div>`).join("")}
      ${subHtml}<div class="opt-grid">${shown.map(optHtml).join("")}</div>
      ${more.length ? `<details class="more"><summary>${esc(t("insp.moreOptions"))}</summary><div class="opt-grid">${more.map(optHtml).join("")}</div></details>` : ""}
    </div>`;
  }

  function nodeView(node) {
    const meta = ctx.meta();
    const spec = meta.kinds[node.kind] || { fields: [], label: node.kind };
    const names = node.sockets.map((s) => s.name);
    const fields = spec.fields
      .map((f) => fieldHtml(f, node.behaviour[f.name], { scope: "behaviour" }, { sockets: names, errors: errorsFor(node.id, null, f.name) }))
      .join("");
    const own = new Set(spec.fields.map((f) => f.name).concat("id"));
    const general = ctx.problemList().filter((p) => p.node === node.id && !p.socket && !own.has(p.field)).map((p) => problemText(p));
    return `<div class="insp-head"><div class="insp-title kind-${esc(node.kind)}">${iconSvg(kindIcon(node.kind))}<span>${esc(spec.label)}</span></div>
        <button class="btn btn-ghost danger" data-act="del-node" data-testid="delete-node">${iconSvg("trash")} ${esc(t("insp.delete"))}</button></div>
      <div class="insp-body">
        ${spec.help ? `<p class="kind-help">${esc(spec.help)}</p>` : ""}
        <div class="row2">
          ${fieldHtml({ name: "id", label: t("insp.id"), type: "str" }, node.id, { scope: "node" }, { errors: errorsFor(node.id, null, "id") })}
          ${fieldHtml({ name: "label", label: t("insp.label"), type: "str" }, node.label, { scope: "node" })}
        </div>
        ${general.map((m) => `<div class="field-error">${esc(m)}</div>`).join("")}
        ${ctx.faultsHtml?.(ctx.selection()) || ""}
        <h3 class="sec" data-testid="inspector-sec-behaviour">${esc(t("insp.behaviour"))}</h3>${fields || `<p class="empty-hint">${esc(t("insp.noSettings"))}</p>`}
        <h3 class="sec" data-testid="inspector-sec-sockets">${esc(t("insp.sockets"))}</h3>${node.sockets.map((s) => socketCard(node, s, meta)).join("")}
        <div class="add-sock"><select class="inp" data-role="new-type" data-testid="add-socket-type" aria-label="${esc(t("insp.addSocket"))}">${meta.socketTypes.map((t) => `<option>${t}</option>`).join("")}</select>
          <button class="btn" data-act="add-socket" data-testid="add-socket">${iconSvg("plus")} ${esc(t("insp.addSocket"))}</button></div>
      </div>`;
  }

  function linkView(link) {
    const d = store.doc;
    const sc = T.findSocket(d, link.connect.node, link.connect.socket);
    const sb = T.findSocket(d, link.bind.node, link.bind.socket);
    const c = counts[link.id] || { delivered: 0, filtered: 0, dropped: 0 };
    const end = (e, s, role) => `<div class="end fam-${family(s?.type)}"><span class="end-role">${esc(role)}</span>
      <b>${esc(e.node)}.${esc(e.socket)}</b><span class="chip">${esc(s?.type || "?")}</span></div>`;
    const errs = ctx.problemList().filter((p) => p.path?.startsWith(`links[${d.links.indexOf(link)}]`));
    const flow = direction(ctx.meta(), link, sc, sb);
    return `<div class="insp-head"><div class="insp-title">${iconSvg("link")}<span>${esc(t("insp.link", { id: link.id }))}</span></div>
        <button class="btn btn-ghost danger" data-act="del-link" data-testid="delete-link">${iconSvg("trash")} ${esc(t("insp.delete"))}</button></div>
      <div class="insp-body">
        ${end(link.connect, sc, t("insp.connects"))}<div class="end-arrow">${esc(t("insp.to"))}</div>${end(link.bind, sb, t("insp.binds"))}
        ${errs.map((p) => `<div class="field-error">${esc(problemText(p))}</div>`).join("")}
        ${wireHtml(link)}
        <h3 class="sec">${esc(t("insp.counters"))}</h3>
        <div class="counters" data-testid="link-inspector-counters">
          <div><b data-c="delivered">${c.delivered}</b><span>${esc(t("count.delivered"))}</span></div>
          <div><b data-c="filtered">${c.filtered}</b><span>${esc(t("count.filtered"))}</span></div>
          <div><b data-c="dropped">${c.dropped}</b><span>${esc(t("count.dropped"))}</span></div>
        </div>
        ${ctx.faultsHtml?.(ctx.selection()) || ""}
        <h3 class="sec">${esc(t("insp.messages"))}</h3><p class="flow" data-testid="link-flow">${flow}</p>
        <p class="empty-hint">${esc(t("insp.linkHint"))}</p>
      </div>`;
  }

  // What the engine made of this link in the current (or last) run: the transport the user chose,
  // the endpoint the engine assigned (never typed by a user) and the monitor's latest state.
  function wireHtml(link) {
    const ep = wires.links?.[link.id]?.endpoint;
    if (!ep) return `<h3 class="sec">${esc(t("insp.wire"))}</h3><p class="empty-hint" data-testid="link-endpoint">${esc(t("insp.wireIdle", { transport: store.doc.transport || "ipc" }))}</p>`;
    const state = linkStates[link.id];
    return `<h3 class="sec">${esc(t("insp.wire"))}</h3>
        <div class="wire-info"><span class="chip" data-testid="link-transport">${esc(wires.transport || "")}</span>
          <code data-testid="link-endpoint" title="${esc(ep)}">${esc(ep)}</code>
          ${state ? `<span class="wire-state st-${esc(state.replace(/\s+/g, "-"))}" data-testid="link-state">${esc(tState(state))}</span>` : ""}</div>`;
  }

  function render() {
    const active = document.activeElement;
    const focusKey = host.contains(active) ? active.getAttribute("data-key") : null;
    const sel = ctx.selection();
    const node = sel?.type === "node" ? T.findNode(store.doc, sel.id) : null;
    const link = sel?.type === "link" ? T.findLink(store.doc, sel.id) : null;
    host.innerHTML = node ? nodeView(node) : link ? linkView(link) : docView();
    if (focusKey) host.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  function nodeEdit(label, fn) {
    const sel = ctx.selection();
    if (sel?.type !== "node") return;
    store.edit(label, (doc) => fn(doc, T.findNode(doc, sel.id)));
  }

  host.addEventListener("change", (e) => {
    const el = e.target;
    const scope = el.getAttribute("data-scope");
    const field = el.getAttribute("data-field");
    const sock = el.getAttribute("data-socket");
    if (!scope) return;
    if (scope === "doc") return store.edit(`edit ${field}`, (doc) => void (doc[field] = readField(el) ?? ""));
    if (scope === "node" && field === "id") {
      const next = el.value.trim();
      const cur = ctx.selection().id;
      if (next === cur) return;
      if (!T.ID_RE.test(next) || T.findNode(store.doc, next)) {
        bus.emit("toast:show", { kind: "error", text: T.findNode(store.doc, next) ? t("insp.nodeExists", { id: next }) : t("insp.badId"), sticky: 4000 });
        return render();
      }
      store.edit("rename node", (doc) => T.renameNode(doc, cur, next));
      return ctx.select({ type: "node", id: next });
    }
    if (scope === "sockname") {
      const node = T.findNode(store.doc, ctx.selection().id);
      const next = el.value.trim();
      if (next === sock) return;
      if (!T.SOCKET_RE.test(next) || node.sockets.some((x) => x.name === next)) {
        bus.emit("toast:show", { kind: "error", sticky: 4000, text: node.sockets.some((x) => x.name === next)
          ? t("insp.socketExists", { node: node.id, name: next }) : t("insp.badSocketName") });
        return render();
      }
    }
    nodeEdit(`edit ${field || scope}`, (doc, node) => {
      const s = node.sockets.find((x) => x.name === sock);
      const v = readField(el);
      if (scope === "node") node[field] = v ?? "";
      else if (scope === "behaviour") v === undefined ? delete node.behaviour[field] : (node.behaviour[field] = v);
      else if (scope === "option" && s) v === undefined || v === "" ? delete s.options[field] : (s.options[field] = v);
      else if (scope === "socktype" && s) {
        s.type = el.value;
        if (s.type !== "SUB") delete s.options.subscribe;
        else s.options.subscribe ??= [""];
      } else if (scope === "sockname" && s) {
        const next = el.value.trim();
        if (!T.SOCKET_RE.test(next) || node.sockets.some((x) => x.name === next)) return false;
        T.renameSocket(doc, node.id, sock, next);
      } else if ((scope === "subs" || scope === "subs-all") && s) {
        const ta = host.querySelector(`textarea[data-scope="subs"][data-socket="${CSS.escape(sock)}"]`);
        const all = host.querySelector(`input[data-scope="subs-all"][data-socket="${CSS.escape(sock)}"]`);
        const lines = ta.value.split("\n").filter((x) => x !== "");
        s.options.subscribe = (all.checked ? [""] : []).concat(lines);
      }
    });
  });

  host.addEventListener("click", (e) => {
    const btn = e.target.closest("[data-act]");
    if (!btn) return;
    const act = btn.getAttribute("data-act");
    const sock = btn.getAttribute("data-socket");
    const sel = ctx.selection();
    if (act === "del-node" || act === "del-link") return ctx.deleteSelection();
    if (act === "mode") return nodeEdit("switch mode", (doc, node) => void (node.sockets.find((s) => s.name === sock).mode = btn.getAttribute("data-mode")));
    if (act === "del-socket") {
      if (T.findNode(store.doc, sel.id)?.sockets.length <= 1) return bus.emit("toast:show", { kind: "error", text: t("insp.needOneSocket"), sticky: 3000 });
      return nodeEdit("remove socket", (doc) => T.removeSocket(doc, sel.id, sock));
    }
    if (act === "add-socket") {
      const type = host.querySelector('[data-role="new-type"]').value;
      if (T.findNode(store.doc, sel.id)?.sockets.length >= 8) return bus.emit("toast:show", { kind: "error", text: t("pal.maxSockets"), sticky: 3000 });
      return nodeEdit(`add ${type} socket`, (doc) => T.addSocket(doc, sel.id, type));
    }
  });

  let wires = {};      // the `started` message of the current run: transport, links → endpoint
  let linkStates = {}; // link id → latest monitor state
  bus.on("run:started", (m) => {
    wires = m || {};
    linkStates = {};
  });
  // the monitor's link states, as the node-status layer reads them from the event stream
  bus.on("link:state", ({ link, state }) => {
    linkStates[link] = state;
    const sel = ctx.selection();
    if (sel?.type !== "link" || sel.id !== link) return;
    const el = host.querySelector("[data-testid=link-state]");
    if (el) el.textContent = tState(state);
    else render();
  });

  bus.on("stats:links", (c) => {
    counts = c;
    const sel = ctx.selection();
    if (sel?.type !== "link") return;
    const cur = c[sel.id] || {};
    for (const b of host.querySelectorAll("[data-c]")) b.textContent = cur[b.getAttribute("data-c")] ?? 0;
  });

  onLangChange(() => render());

  return { render };
}
