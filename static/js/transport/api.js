// JSON HTTP calls to the backend (/api/...). Each returns parsed JSON or throws an Error
// whose message says what went wrong.

async function json(url, init) {
  const res = await fetch(url, { headers: { Accept: "application/json", "Content-Type": "application/json" }, ...init });
  const body = await res.json().catch(() => null);
  if (!res.ok && !(body && typeof body === "object" && "ok" in body)) {
    throw new Error(body?.error || `${url}: HTTP ${res.status}`);
  }
  return body;
}

export const getMeta = () => json("/api/meta");
export const listPresets = () => json("/api/presets");
export const getPreset = (id) => json(`/api/presets/${encodeURIComponent(id)}`);
export const validate = (doc, signal) => json("/api/validate", { method: "POST", body: JSON.stringify(doc), signal });
