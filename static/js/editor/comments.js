// Comments on the canvas: notes kept in the document's view part (view.comments: {id, x, y,
// text}; docs/topology.md, validated by the server), drawn under the links, never run. The
// canvas's note button adds one at the centre and opens it for writing; a double-click or Enter
// edits one (Enter keeps it, Shift+Enter is a new line, Escape leaves it as it was), a drag or
// the arrow keys move it, Delete or its × removes it. Each change is one undo step (the store
// snapshots view.comments). Read-only (the embed: share/embed.js): the notes are drawn, as notes
// (role "note"), and nothing edits, moves or removes them.

import { drag, select } from "../../vendor/d3.mjs";
import { t } from "../i18n.js";
import { esc } from "./fields.js";

const SVGNS = "http://www.w3.org/2000/svg";
const W = 200;
const STEP = 10;
const MAX_TEXT = 1000;

const list = (doc) => doc.view?.comments || [];

function nextId(doc) {
  const used = new Set(list(doc).map((c) => c.id));
  for (let i = 1; ; i++) if (!used.has(`c${i}`)) return `c${i}`;
}

export function attachComments(canvas, ctx, { readonly = false } = {}) {
  const { store, bus } = ctx;
  const links = canvas.layers.links.node();
  const layer = document.createElementNS(SVGNS, "g");
  layer.setAttribute("class", "comments");
  links.parentNode.insertBefore(layer, links);
  let editing = null; // the id being written

  function edit(label, fn) {
    return store.edit(label, (doc) => {
      doc.view = doc.view || { x: 0, y: 0, k: 1 };
      doc.view.comments = doc.view.comments || [];
      const out = fn(doc.view.comments, doc);
      if (!doc.view.comments.length) delete doc.view.comments;
      return out;
    });
  }

  function add() {
    const [cx, cy] = canvas.center();
    const id = nextId(store.doc);
    const k = list(store.doc).length % 5;
    edit("add comment", (cs) => void cs.push({ id, x: Math.round(cx - W / 2 + k * 20), y: Math.round(cy - 30 + k * 20), text: t("comment.new") }));
    open(id);
    return id;
  }

  function remove(id) {
    edit("delete comment", (cs) => {
      const i = cs.findIndex((c) => c.id === id);
      if (i < 0) return false;
      cs.splice(i, 1);
    });
    bus.emit("a11y:announce", { text: t("comment.deleted") });
  }

  function open(id) {
    editing = id;
    render();
    const ta = layer.querySelector(`[data-comment="${CSS.escape(id)}"] textarea`);
    ta?.focus();
    ta?.select();
  }

  function close(id, text) {
    editing = null;
    const c = list(store.doc).find((x) => x.id === id);
    if (c && text !== null && text !== c.text) {
      if (!text.trim()) remove(id);
      else edit("edit comment", (cs) => void (cs.find((x) => x.id === id).text = text));
    }
    render();
    layer.querySelector(`[data-comment="${CSS.escape(id)}"] .comment`)?.focus();
  }

  function render() {
    const comments = list(store.doc);
    const seen = new Set();
    for (const c of comments) {
      seen.add(c.id);
      let g = layer.querySelector(`g[data-comment="${CSS.escape(c.id)}"]`);
      const sig = JSON.stringify([c.text, editing === c.id, t("comment.aria", { text: "" })]);
      if (!g) {
        g = document.createElementNS(SVGNS, "g");
        g.setAttribute("data-comment", c.id);
        layer.appendChild(g);
      }
      if (g.__sig !== sig) {
        g.__sig = sig;
        build(g, c);
      }
      g.setAttribute("transform", `translate(${c.x},${c.y})`);
    }
    for (const g of [...layer.querySelectorAll("g[data-comment]")]) if (!seen.has(g.getAttribute("data-comment"))) g.remove();
  }

  function build(g, c) {
    g.textContent = "";
    const fo = document.createElementNS(SVGNS, "foreignObject");
    fo.setAttribute("width", W);
    fo.setAttribute("height", 400);
    g.appendChild(fo);
    if (readonly) {
      fo.innerHTML = `<div class="comment readonly" role="note" data-testid="comment-${esc(c.id)}" aria-label="${esc(t("comment.readonly", { text: c.text }))}"><div class="comment-text">${esc(c.text)}</div></div>`;
      const note = fo.querySelector(".comment");
      requestAnimationFrame(() => fo.setAttribute("height", Math.max(30, Math.ceil(note.getBoundingClientRect().height / (canvas.transform.k || 1)) + 4)));
      return;
    }
    const body = editing === c.id
      ? `<div class="comment editing" data-testid="comment-${esc(c.id)}"><textarea maxlength="${MAX_TEXT}" rows="4" aria-label="${esc(t("comment.edit"))}" data-testid="comment-text">${esc(c.text)}</textarea></div>`
      : `<div class="comment" tabindex="0" role="group" data-testid="comment-${esc(c.id)}" aria-label="${esc(t("comment.aria", { text: c.text }))}"><div class="comment-text">${esc(c.text)}</div>
          <button class="comment-del" tabindex="-1" aria-label="${esc(t("comment.delete"))}" title="${esc(t("comment.delete"))}" data-testid="comment-delete">×</button></div>`;
    fo.innerHTML = body;
    const div = fo.querySelector(".comment");
    // The foreignObject is as tall as its note (measured), so it covers nothing else.
    requestAnimationFrame(() => fo.setAttribute("height", Math.max(30, Math.ceil(div.getBoundingClientRect().height / (canvas.transform.k || 1)) + 4)));
    if (editing === c.id) {
      const ta = div.querySelector("textarea");
      ta.addEventListener("keydown", (e) => {
        e.stopPropagation(); // the page's keys (Delete, Ctrl+Z, ?) are the textarea's here
        if (e.key === "Enter" && !e.shiftKey) {
          e.preventDefault();
          close(c.id, ta.value);
        } else if (e.key === "Escape") {
          e.preventDefault();
          close(c.id, null);
        }
      });
      ta.addEventListener("blur", () => editing === c.id && close(c.id, ta.value));
      return;
    }
    div.addEventListener("dblclick", () => open(c.id));
    div.querySelector(".comment-del").addEventListener("click", (e) => {
      e.stopPropagation();
      remove(c.id);
    });
    div.addEventListener("keydown", (e) => {
      if (e.target !== div) return;
      const delta = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] }[e.key];
      if (e.key === "Enter") open(c.id);
      else if (e.key === "Delete" || e.key === "Backspace") remove(c.id);
      else if (delta) {
        const d = e.shiftKey ? 5 : 1;
        edit("move comment", (cs) => {
          const x = cs.find((y) => y.id === c.id);
          x.x += delta[0] * d;
          x.y += delta[1] * d;
        });
        layer.querySelector(`[data-comment="${CSS.escape(c.id)}"] .comment`)?.focus();
      } else return;
      e.preventDefault();
      e.stopPropagation(); // Delete here is the comment's, not the selected node's
    });
    let moved = false;
    const dragger = drag()
      .container(() => layer.parentNode)
      .filter((e) => !e.button && !e.target.closest("button"))
      .subject(() => {
        const now = list(store.doc).find((x) => x.id === c.id);
        return { x: now.x, y: now.y };
      })
      .on("start", () => {
        moved = false;
        store.begin();
      })
      .on("drag", (e) => {
        const now = list(store.doc).find((x) => x.id === c.id);
        if (!now) return;
        moved = true;
        now.x = Math.round(e.x);
        now.y = Math.round(e.y);
        store.touch("move");
      })
      .on("end", () => store.commit(moved ? "move comment" : "select"));
    select(div).call(dragger);
  }

  bus.on("canvas:rendered", render);
  if (readonly) return { render };
  return { add, remove, open, render };
}
