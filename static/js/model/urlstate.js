// The topology in the URL fragment: #t=<lz-string compressToEncodedURIComponent(JSON)>.
// Pure functions; the caller decides when to read or write location (see main.js).

import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "../../vendor/lz-string.mjs";

export function encodeFragment(doc) {
  return `#t=${compressToEncodedURIComponent(JSON.stringify(doc))}`;
}

/** The document in a fragment, or null when there is none or it does not decode. */
export function decodeFragment(hash) {
  const m = /^#?(?:.*&)?t=([^&]+)/.exec(hash || "");
  if (!m) return null;
  try {
    const json = decompressFromEncodedURIComponent(m[1]);
    const doc = json ? JSON.parse(json) : null;
    return doc && typeof doc === "object" && Array.isArray(doc.nodes) ? doc : null;
  } catch {
    return null;
  }
}
