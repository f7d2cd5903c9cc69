// "Auto layout": dagre ranks nodes left to right along message flow (binders of sending
// types feed connectors), then node positions are written back as one undoable edit.

import dagre from "../../vendor/dagre.mjs";
import { portSide } from "../model/meta.js";
import { findSocket } from "../model/topology.js";
import { NODE_W, nodeHeight } from "./geometry.js";

export function autoLayout(doc) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 110, marginx: 40, marginy: 40 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(n.id, { width: NODE_W, height: nodeHeight(n) });
  for (const l of doc.links) {
    // Put the end whose port faces right (a sender) on the left of the edge.
    const sb = findSocket(doc, l.bind.node, l.bind.socket);
    const [a, b] = sb && portSide(sb.type) === "right" ? [l.bind.node, l.connect.node] : [l.connect.node, l.bind.node];
    if (a !== b) g.setEdge(a, b, {}, l.id);
  }
  dagre.layout(g);
  for (const n of doc.nodes) {
    const p = g.node(n.id);
    if (p) {
      n.x = Math.round(p.x - NODE_W / 2);
      n.y = Math.round(p.y - nodeHeight(n) / 2);
    }
  }
}
