// Form widgets for the inspector, generated from field specs (model/meta.js Field shape).
// fieldHtml() renders one labelled control; readField() turns the control back into a value.

import { t } from "../i18n.js";

export const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/**
 * @param f      field spec {name, label, type, min, max, choices, optional, help}
 * @param value  current value (may be undefined)
 * @param attrs  {scope, socket} → data attributes that tell the change handler what to edit
 * @param ctx    {sockets: [names], errors: [messages]}
 */
export function fieldHtml(f, value, attrs, ctx = {}) {
  const key = `${attrs.scope}:${attrs.socket || ""}:${f.name}`;
  // the label names the control (for=id) and the help describes it, for screen readers too
  const id = fieldId(key);
  const data = `data-scope="${esc(attrs.scope)}" data-field="${esc(f.name)}" data-type="${esc(f.type)}" data-key="${esc(key)}" id="${id}"${f.help ? ` aria-describedby="${id}-help"` : ""}${
    attrs.socket ? ` data-socket="${esc(attrs.socket)}"` : ""
  } data-testid="field-${esc(attrs.socket ? `${attrs.socket}-` : "")}${esc(f.name)}"`;
  const errs = ctx.errors || [];
  const bad = errs.length ? " is-bad" : "";
  let control;
  const range = [f.min !== null && f.min !== undefined ? `min="${f.min}"` : "", f.max !== null && f.max !== undefined ? `max="${f.max}"` : ""].join(" ");
  switch (f.type) {
    case "int":
    case "number":
      control = `<input class="inp${bad}" type="number" ${range} step="${f.type === "int" ? 1 : "any"}" value="${esc(value ?? "")}" placeholder="${esc(f.default ?? "")}" ${data}>`;
      break;
    case "bool":
      control = `<label class="switch"><input type="checkbox" ${value ? "checked" : ""} ${data}><span></span></label>`;
      break;
    case "choice":
      control = `<select class="inp${bad}" ${data}>${(f.choices || [])
        .map((c) => `<option value="${esc(c)}" ${String(c) === String(value ?? f.default) ? "selected" : ""}>${esc(c)}</option>`)
        .join("")}</select>`;
      break;
    case "socket": {
      const names = ctx.sockets || [];
      const opts = (f.optional ? [""] : []).concat(names);
      control = `<select class="inp${bad}" ${data}>${opts
        .map((c) => `<option value="${esc(c)}" ${c === (value ?? "") ? "selected" : ""}>${c ? esc(c) : esc(t("field.none"))}</option>`)
        .join("")}${value && !names.includes(value) ? `<option selected value="${esc(value)}">${esc(t("field.missing", { name: value }))}</option>` : ""}</select>`;
      break;
    }
    case "list": {
      const lines = Array.isArray(value) ? value : [];
      control = `<textarea class="inp mono${bad}" rows="${Math.min(6, Math.max(2, lines.length + 1))}" spellcheck="false" placeholder="${esc(t("field.onePerLine"))}" ${data}>${esc(lines.join("\n"))}</textarea>`;
      break;
    }
    default:
      control = `<input class="inp${bad}" type="text" value="${esc(value ?? "")}" spellcheck="false" ${data}>`;
  }
  const help = f.help ? `<div class="help" id="${id}-help">${esc(f.help)}</div>` : "";
  const errHtml = errs.map((m) => `<div class="field-error" data-testid="field-error">${esc(m)}</div>`).join("");
  return `<div class="field field-${esc(f.type)}"><label class="lbl" for="${id}">${esc(f.label)}</label>${control}${help}${errHtml}</div>`;
}

/** A DOM id for a field key: unique within the inspector (scope, socket and field name). */
export function fieldId(key) {
  return "f-" + String(key).replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

/** The value a control holds, typed per data-type; `undefined` means "remove the key". */
export function readField(el) {
  const type = el.getAttribute("data-type");
  if (type === "bool") return el.checked;
  if (type === "int" || type === "number") {
    if (el.value.trim() === "") return undefined;
    const v = Number(el.value);
    return Number.isFinite(v) ? (type === "int" ? Math.trunc(v) : v) : el.value;
  }
  if (type === "list") {
    const lines = el.value.split("\n");
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }
  if (type === "socket" && el.value === "") return undefined;
  return el.value;
}
