// kawal field pages: visits are saved on the phone first (IndexedDB) and sent when the network allows.
// Each visit carries a client-made id, so sending it again never makes a second record on the server.
(function () {
  "use strict";
  const DB = "kawal-field", STORE = "queue", CACHE = "kawal-field-v1";

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      tx.onerror = () => reject(tx.error);
    });
  }

  const queued = () => withStore("readonly", (s) => s.getAll());
  const enqueue = (item) => withStore("readwrite", (s) => s.put(item));
  const drop = (id) => withStore("readwrite", (s) => s.delete(id));

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function showQueue() {
    const box = document.getElementById("queue-status");
    if (!box) return;
    const items = await queued();
    const failed = items.filter((i) => i.error);
    box.dataset.waiting = String(items.length);
    box.textContent = items.length
      ? `${items.length} ${box.dataset.waitingText}` + (failed.length ? ` (${failed.length} ${box.dataset.errorText}: ${failed[0].error})` : "")
      : box.dataset.emptyText;
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return showQueue();
    flushing = true;
    try {
      for (const item of await queued()) {
        let response;
        try {
          response = await fetch(item.endpoint, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify(item.payload),
          });
        } catch (networkError) {
          break; // still offline: keep everything for later
        }
        if (response.ok) {
          await drop(item.client_id);
        } else if (response.status === 422 || response.status === 404) {
          const body = await response.json().catch(() => ({}));
          await enqueue({ ...item, error: body.detail || String(response.status) });
        } else {
          break; // the server is unwell: try again later
        }
      }
    } finally {
      flushing = false;
      await showQueue();
    }
  }

  function checked(form, name) {
    const input = form.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : "";
  }

  function visitPayload(form) {
    const checks = [];
    form.querySelectorAll("[data-voter]").forEach((box) => {
      const id = box.dataset.voter;
      const outcome = checked(box, `outcome-${id}`);
      if (!outcome) return;
      const tms = box.querySelector(`[name="tms-${id}"]`).value;
      checks.push({
        voter_id: Number(id),
        outcome,
        tms: tms ? Number(tms) : null,
        field: box.querySelector(`[name="field-${id}"]`).value,
        value: box.querySelector(`[name="value-${id}"]`).value,
        note: box.querySelector(`[name="note-${id}"]`).value,
      });
    });
    const newVoters = [];
    const nama = form.querySelector('[name="new-nama"]').value.trim();
    if (nama) {
      newVoters.push({
        nama,
        nik: form.querySelector('[name="new-nik"]').value.trim(),
        tanggal_lahir: form.querySelector('[name="new-lahir"]').value || null,
      });
    }
    const residents = form.querySelector('[name="residents"]').value;
    return {
      client_id: crypto.randomUUID(),
      recorded_at: new Date().toISOString(),
      pantarlih_visited: checked(form, "pantarlih") || "tidak_tahu",
      sticker: checked(form, "sticker") || "tidak_tahu",
      residents: residents ? Number(residents) : null,
      note: form.querySelector('[name="note"]').value,
      checks,
      new_voters: newVoters,
    };
  }

  async function onSubmit(event) {
    event.preventDefault();
    const form = event.target;
    const payload = visitPayload(form);
    await enqueue({ client_id: payload.client_id, endpoint: form.dataset.endpoint, payload });
    form.reset();
    form.querySelector("[data-saved]").hidden = false;
    await flush();
  }

  async function warmCache() {
    // Keep the pages a relawan needs offline: the task list and every visit form on it.
    const links = [...document.querySelectorAll("a[data-offline]")].map((a) => a.href);
    if (!links.length || !("caches" in window)) return;
    const cache = await caches.open(CACHE);
    await Promise.all([location.href, ...links].map((url) => cache.add(url).catch(() => null)));
    document.body.dataset.offlineReady = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("visit");
    if (form) form.addEventListener("submit", onSubmit);
    window.addEventListener("online", flush);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js").then(() => navigator.serviceWorker.ready).then(warmCache);
    }
    flush();
  });
})();
