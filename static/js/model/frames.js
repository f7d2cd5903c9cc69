// Message frames as the server sends them: a JSON string when the bytes were valid UTF-8,
// else {"hex": "00a1..."}. Helpers to measure and show them. No DOM.

const enc = new TextEncoder();

export const isHex = (f) => f !== null && typeof f === "object" && typeof f.hex === "string";

export function frameBytes(f) {
  if (isHex(f)) return Math.floor(f.hex.length / 2);
  return enc.encode(String(f ?? "")).length;
}

// Hex grouped in pairs: "00 a1 ff".
export const spacedHex = (hex) => hex.replace(/(..)(?=.)/g, "$1 ");

export function hexOfText(s) {
  return Array.from(enc.encode(String(s)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Control characters are shown visibly so "" and "\x01topic" are never mistaken for text.
export function printable(s) {
  return String(s).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

const shortHex = (hex) => `0x${hex.slice(0, 16)}${hex.length > 16 ? "…" : ""}`;
const quoted = (s) => `"${printable(s).replace(/"/g, '\\"')}"`;

// A short one-line preview of a whole message, for the event log. A frame starting with a NUL
// byte (libzmq's automatic routing ids are \x00 + 4 bytes) is shown in hex like the ids that are
// not valid UTF-8, so one peer's id always looks the same.
export function preview(frames, max = 60) {
  if (!Array.isArray(frames)) return "";
  const parts = frames.map((f) => (isHex(f) ? shortHex(f.hex) : String(f).startsWith("\x00") ? shortHex(hexOfText(f)) : quoted(f)));
  const s = parts.join(" | ");
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export const totalBytes = (frames) => (Array.isArray(frames) ? frames.reduce((n, f) => n + frameBytes(f), 0) : 0);
