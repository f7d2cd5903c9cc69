// Small 16×16 line icons (SVG path data), shared by the palette, node headers and buttons.

export const ICONS = {
  source: "M3 8h7M7 4l4 4-4 4M13 3v10",
  replier: "M12 4H6a3 3 0 0 0 0 6h6M9 7l3 3-3 3",
  worker: "M8 5.5A2.5 2.5 0 1 0 8 10.5 2.5 2.5 0 1 0 8 5.5M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4",
  sink: "M8 2v8M4.5 6.5 8 10l3.5-3.5M3 13h10",
  node: "M3 3h10v10H3z",
  hub: "M8 2.3a1.6 1.6 0 1 0 0 3.2 1.6 1.6 0 1 0 0-3.2M3.5 10.5a1.6 1.6 0 1 0 0 3.2 1.6 1.6 0 1 0 0-3.2M12.5 10.5a1.6 1.6 0 1 0 0 3.2 1.6 1.6 0 1 0 0-3.2M7.2 5.3 4.3 10.6M8.8 5.3l2.9 5.3M5.1 12.1h5.8",
  client: "M2.5 3.5h11v7h-11zM6 13h4M8 10.5V13",
  server: "M3 2.5h10v4H3zM3 9.5h10v4H3zM5.5 4.5h.1M5.5 11.5h.1",
  eye: "M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8zM8 6.5A1.5 1.5 0 1 0 8 9.5 1.5 1.5 0 1 0 8 6.5",
  play: "M5 3.5v9l7.5-4.5z",
  pause: "M5 3.5v9M11 3.5v9",
  stop: "M4 4h8v8H4z",
  step: "M3.5 3.5v9l6.5-4.5zM12.5 3.5v9",
  undo: "M6 4 3 7l3 3M3 7h6.5a3.5 3.5 0 0 1 0 7H7",
  redo: "M10 4l3 3-3 3M13 7H6.5a3.5 3.5 0 0 0 0 7H9",
  layout: "M2 3h4v3H2zM10 3h4v3h-4zM10 10h4v3h-4zM6 4.5h4M12 6v4",
  fit: "M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4",
  trash: "M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9",
  plus: "M8 3v10M3 8h10",
  close: "M4 4l8 8M12 4l-8 8",
  book: "M3 3h4a1 1 0 0 1 1 1v9a1 1 0 0 0-1-1H3zM13 3H9a1 1 0 0 0-1 1v9a1 1 0 0 1 1-1h4z",
  link: "M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 0 1 3.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 0 1 4.5 9l1-1",
  chevron: "M4 6l4 4 4-4",
};

/** The icon for a node kind: its own, else one chosen by what its name says it is. */
export function kindIcon(kind) {
  if (ICONS[kind]) return kind;
  const k = String(kind);
  if (/broker|queue|proxy|gateway/.test(k)) return "hub";
  if (/client|pirate$/.test(k)) return "client";
  if (/server/.test(k)) return "server";
  if (/monitor/.test(k)) return "eye";
  if (/worker/.test(k)) return "worker";
  if (/collector|_sub$|sink/.test(k)) return "sink";
  if (/producer|_pub$|source/.test(k)) return "source";
  return "node";
}

/** An inline <svg> string for HTML templates. */
export function iconSvg(name, cls = "icon") {
  const d = ICONS[name] || ICONS.node;
  return `<svg class="${cls}" viewBox="0 0 16 16" aria-hidden="true"><path d="${d}"/></svg>`;
}
