// The short label a token carries when labels are on: what a person reads to tell messages
// apart in motion. From the frames the sender passed to send() (the `sent` event), else the
// frames the receiver got: a ROUTER's routing-id frame and empty delimiters are skipped, a
// Majordomo message is labelled with its service (MDPC01) or command (MDPW01), anything else
// with its first frame (a PUB's topic). Pure: no DOM.

import { hexOfText, isHex, printable } from "../model/frames.js";

const MAX = 16;
const MDP_COMMANDS = { "\x01": "READY", "\x02": "REQUEST", "\x03": "REPLY", "\x04": "HEARTBEAT", "\x05": "DISCONNECT" };

const text = (f) => (isHex(f) ? null : String(f ?? ""));
const cut = (s) => (s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s);

function shown(f) {
  if (isHex(f)) return `0x${f.hex.slice(0, 8)}${f.hex.length > 8 ? "…" : ""}`;
  const s = String(f);
  if (s.startsWith("\x00")) return `0x${hexOfText(s).slice(0, 8)}…`; // an automatic routing id
  return cut(printable(s));
}

/** The label of a message from its frames; `skipFirst`: the first frame is a routing id (a
 *  ROUTER sending, or what a ROUTER received). "" when there is nothing to show. */
export function labelOf(frames, skipFirst = false) {
  if (!Array.isArray(frames) || !frames.length) return "";
  let i = skipFirst ? 1 : 0;
  while (i < frames.length && text(frames[i]) === "") i++; // envelope delimiters
  if (i >= frames.length) return "";
  const head = text(frames[i]);
  if (head === "MDPC01") return frames[i + 1] !== undefined ? shown(frames[i + 1]) : "MDPC01";
  if (head === "MDPW01") {
    const cmd = MDP_COMMANDS[text(frames[i + 1])] || "MDPW01";
    const svc = cmd === "READY" && frames[i + 2] !== undefined ? ` ${shown(frames[i + 2])}` : "";
    return `${cmd}${svc}`;
  }
  return shown(frames[i]);
}
