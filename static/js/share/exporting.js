// Export and import: the topology as JSON, a picture of the canvas (SVG, PNG), runnable Python
// (made by the server: POST /api/export/python), and JSON import with the server's validation
// (POST /api/validate) shown in the page.

import { bounds } from "../editor/geometry.js";

export function fileName(doc, ext) {
  const base = String(doc.title || "topology").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  return `${base || "topology"}.${ext}`;
}

export function download(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

export function exportJson(doc) {
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  download(new Blob([text], { type: "application/json" }), fileName(doc, "json"));
  return text;
}

// The CSS the canvas needs, gathered from the page's own stylesheets (same origin): the
// :root variables and every rule of canvas.css, so the picture looks like the canvas.
function canvasCss() {
  const out = [];
  const walk = (sheet) => {
    let rules;
    try {
      rules = sheet.cssRules;
    } catch {
      return;
    }
    for (const r of rules) {
      if (r.styleSheet) walk(r.styleSheet);
      else if (r.selectorText === ":root" || /canvas\.css$/.test(sheet.href || "")) out.push(r.cssText);
    }
  };
  for (const s of document.styleSheets) walk(s);
  return out.join("\n");
}

/** A standalone SVG of the canvas content (nodes, links, counters), fitted around the nodes. */
export function canvasSvg(svgNode, doc) {
  const b = bounds(doc.nodes) || { x0: 0, y0: 0, w: 400, h: 200 };
  const pad = 32;
  const x = b.x0 - pad, y = b.y0 - pad - 12, w = b.w + 2 * pad, h = b.h + 2 * pad + 12;
  const clone = svgNode.cloneNode(true);
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("viewBox", `${x} ${y} ${w} ${h}`);
  clone.setAttribute("width", Math.round(w));
  clone.setAttribute("height", Math.round(h));
  clone.removeAttribute("style");
  clone.querySelector("rect.bg")?.remove();
  clone.querySelector(".viewport")?.removeAttribute("transform");
  clone.querySelectorAll(".wire").forEach((g) => (g.textContent = ""));
  // the counters are drawn in an SVG over the token canvas (editor/canvas.js)
  const badges = svgNode.parentNode?.querySelector("svg.canvas-over .badges");
  if (badges) clone.querySelector(".viewport")?.appendChild(badges.cloneNode(true));
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  Object.entries({ x, y, width: w, height: h, fill: "#f7f8fb" }).forEach(([k, v]) => bg.setAttribute(k, v));
  clone.insertBefore(bg, clone.querySelector(".viewport"));
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = canvasCss();
  clone.insertBefore(style, clone.firstChild);
  return { text: new XMLSerializer().serializeToString(clone), width: w, height: h };
}

export function exportSvg(svgNode, doc) {
  const { text } = canvasSvg(svgNode, doc);
  download(new Blob([text], { type: "image/svg+xml" }), fileName(doc, "svg"));
  return text;
}

/** PNG at 2× (sharp on high-density screens), drawn from the SVG picture. */
export async function exportPng(svgNode, doc) {
  const { text, width, height } = canvasSvg(svgNode, doc);
  // A data: URL, not a blob: one: the page's Content-Security-Policy allows img-src data:.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  {
    const img = new Image();
    await new Promise((ok, fail) => {
      img.onload = ok;
      img.onerror = () => fail(new Error("the picture could not be drawn"));
      img.src = url;
    });
    const scale = 2;
    const c = document.createElement("canvas");
    c.width = Math.round(width * scale);
    c.height = Math.round(height * scale);
    const g = c.getContext("2d");
    g.scale(scale, scale);
    g.drawImage(img, 0, 0, width, height);
    const blob = await new Promise((ok) => c.toBlob(ok, "image/png"));
    download(blob, fileName(doc, "png"));
    return blob;
  }
}

/** Runnable Python from the server; throws an Error with `.errors` when the topology is invalid. */
export async function exportPython(doc) {
  const res = await fetch("/api/export/python", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(doc) });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    const err = new Error(body.error || `export failed (HTTP ${res.status})`);
    err.errors = body.errors || [];
    throw err;
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "")?.[1] || fileName(doc, "py");
  const text = await res.text();
  download(new Blob([text], { type: "text/x-python" }), name);
  return text;
}

/**
 * Read a JSON file the user picked: {doc, errors} where doc is null when the text is not a
 * topology at all (errors then say why), else the document and its validation problems.
 */
export async function importJson(text) {
  const res = await fetch("/api/validate", { method: "POST", headers: { "Content-Type": "application/json" }, body: text });
  const body = await res.json().catch(() => ({ ok: false, errors: [{ message: `validation failed (HTTP ${res.status})` }] }));
  let doc = null;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = null;
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || !Array.isArray(doc.nodes)) {
    const why = body.errors?.[0]?.message || "it is not a topology document (no nodes list)";
    return { doc: null, errors: body.errors?.length ? body.errors : [{ message: why }] };
  }
  return { doc, errors: body.errors || [] };
}
