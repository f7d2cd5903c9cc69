// The topology in the URL fragment: #v=1&t=<lz-string compressToEncodedURIComponent(JSON)>.
// `v` is the link format version (share/links.js and app/links/state.py own the format and its
// upgrades); a bare "#t=..." (version 0) still opens. Pure functions; the caller decides when
// to read or write location (see main.js).

import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "../../vendor/lz-string.mjs";

export function encodeFragment(doc) {
  return `#v=1&t=${compressToEncodedURIComponent(JSON.stringify(doc))}`;
}

/** The document in a fragment, or null when there is none or it does not decode. */
export function decodeFragment(hash) {
  const m = /^#?(?:.*&)?t=([^&]+)/.exec(hash || "");
  const v = /^#?(?:.*&)?v=([^&]*)/.exec(hash || "");
  if (!m || (v && !/^[01]$/.test(v[1]))) return null; // a newer link format than this page knows
  try {
    const json = decompressFromEncodedURIComponent(decodeURIComponent(m[1]));
    const doc = json ? JSON.parse(json) : null;
    return doc && typeof doc === "object" && Array.isArray(doc.nodes) ? doc : null;
  } catch {
    return null;
  }
}
