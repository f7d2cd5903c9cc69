// Drawing links: a wide invisible path for easy clicking under a thin visible curve,
// coloured by the socket family of its ends. Clicking selects the link.

import { family } from "../model/meta.js";
import { findSocket } from "../model/topology.js";
import { pathD } from "./geometry.js";

export function drawLinks(layer, doc, curves, view, ctx) {
  const links = doc.links.filter((l) => curves.has(l.id));
  const sel = layer.selectAll("g.link").data(links, (l) => l.id);
  sel.exit().remove();
  const entered = sel.enter().append("g").attr("class", "link");
  entered.append("path").attr("class", "link-hit");
  entered.append("path").attr("class", "link-line");
  entered.on("click", (e, l) => {
    e.stopPropagation();
    ctx.select({ type: "link", id: l.id });
  });
  const s = view.selection;
  entered.merge(sel).each(function (l) {
    const d = pathD(curves.get(l.id));
    const sock = findSocket(doc, l.bind.node, l.bind.socket);
    const bad = view.problems.has(`link:${l.id}`);
    this.setAttribute("class", `link fam-${family(sock?.type)}${s && s.type === "link" && s.id === l.id ? " selected" : ""}${bad ? " has-problem" : ""}`);
    this.setAttribute("data-link", l.id);
    this.setAttribute("data-testid", `link-${l.id}`);
    for (const p of this.querySelectorAll("path")) p.setAttribute("d", d);
  });
}
