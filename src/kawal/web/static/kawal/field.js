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

  // A phone may be shared, and a session can end without "Keluar" (which empties the queue): each record keeps
  // the account that made it and waits for that account; the next person's login neither sends it as theirs
  // (the server would refuse it) nor counts it as their own.
  const account = () => document.body.dataset.account || "";
  const mine = (item) => !item.account || item.account === account();
  const queued = async () => (await withStore("readonly", (s) => s.getAll())).filter(mine);
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
    if (failed.length) {
      // A refused record stays until the relawan has read why and chooses to drop it.
      const discard = document.createElement("button");
      discard.type = "button";
      discard.textContent = box.dataset.discardText;
      discard.addEventListener("click", async () => {
        for (const item of failed) await drop(item.client_id);
        await showQueue();
      });
      box.append(" ", discard);
    }
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // Plain-http pages have no randomUUID; a version-4 UUID from getRandomValues is as good.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  async function sha256Hex(blob) {
    if (!crypto.subtle) return ""; // the server hashes anyway; this only proves the bytes arrived whole
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, "0")).join("");
  }

  async function post(url, init) {
    try {
      return await fetch(url, { method: "POST", credentials: "same-origin", ...init });
    } catch (networkError) {
      return null; // still offline
    }
  }

  // The server refused this record for good (bad data, not allowed, too large): retrying cannot help. Other
  // answers (no network, 5xx, not logged in, too many requests) mean "try again later".
  function refused(response) {
    return response.status >= 400 && response.status < 500 && ![401, 408, 429].includes(response.status);
  }

  async function rejected(item, response) {
    const body = await response.json().catch(() => ({}));
    await enqueue({ ...item, error: body.detail || String(response.status) });
  }

  // Photos go first, one request each, so a weak signal only has to carry one photo at a time.
  // Returns "sent", "offline" or "rejected".
  async function sendPhotos(item) {
    for (const photo of item.photos || []) {
      if (photo.sent) continue;
      const body = new FormData();
      body.append("client_id", photo.client_id);
      body.append("kind", photo.kind);
      body.append("sha256", photo.sha256 || "");
      body.append("file", photo.blob, photo.name || "foto.jpg");
      const response = await post(photo.upload || "/api/v1/photos", { headers: { "X-CSRFToken": csrfToken() }, body });
      if (!response) return "offline";
      if (refused(response)) {
        await rejected(item, response);
        return "rejected";
      }
      if (!response.ok) return "offline";
      photo.sent = true;
      await enqueue(item);
    }
    return "sent";
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return showQueue();
    flushing = true;
    try {
      for (const item of await queued()) {
        if (item.error) continue; // refused: it waits for the relawan to read why (and discard it)
        const photos = await sendPhotos(item);
        if (photos === "offline") break;
        if (photos === "rejected") continue;
        const response = await post(item.endpoint, {
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(item.payload),
        });
        if (!response) break;
        if (response.ok) {
          await drop(item.client_id);
        } else if (refused(response)) {
          await rejected(item, response);
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
      // Only what belongs to the chosen answer is sent: a reason picked and then changed to "ada dan benar" is not.
      const tms = outcome === "tms" ? box.querySelector(`[name="tms-${id}"]`).value : "";
      const correcting = outcome === "ubah";
      checks.push({
        voter_id: Number(id),
        outcome,
        tms: tms ? Number(tms) : null,
        field: correcting ? box.querySelector(`[name="field-${id}"]`).value : "",
        value: correcting ? box.querySelector(`[name="value-${id}"]`).value : "",
        note: outcome === "sesuai" ? "" : box.querySelector(`[name="note-${id}"]`).value,
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
      client_id: newId(),
      recorded_at: new Date().toISOString(),
      pantarlih_visited: checked(form, "pantarlih") || "tidak_tahu",
      sticker: checked(form, "sticker") || "tidak_tahu",
      // Bawaslu's coklit categories: left unanswered they stay empty (not "tidak_tahu"), as the API allows.
      joki: checked(form, "joki"),
      sk_shown: checked(form, "sk_shown"),
      pantarlih_date: form.querySelector('[name="pantarlih-date"]').value || null,
      residents: residents ? Number(residents) : null,
      note: form.querySelector('[name="note"]').value,
      latitude: form.dataset.latitude ? Number(form.dataset.latitude) : null,
      longitude: form.dataset.longitude ? Number(form.dataset.longitude) : null,
      checks,
      new_voters: newVoters,
      photos: [],
    };
  }

  async function photosOf(form) {
    const photos = [];
    for (const input of form.querySelectorAll("input[type=file][data-kind]")) {
      for (const blob of input.files) {
        const voter = input.dataset.photoVoter;
        photos.push({
          client_id: newId(),
          kind: input.dataset.kind,
          voter_id: voter ? Number(voter) : null,
          name: blob.name,
          blob,
          sha256: await sha256Hex(blob),
          upload: input.dataset.upload || "", // a recording goes to its own endpoint (data-upload), photos to /api/v1/photos
          sent: false,
        });
      }
    }
    return photos;
  }

  // Any other queued form (a drawn unit's outcome, a person met, a household check): its filled fields as JSON.
  function formPayload(form) {
    const payload = { client_id: newId(), recorded_at: new Date().toISOString() };
    for (const [name, value] of new FormData(form).entries()) {
      if (typeof value === "string" && value.trim() !== "") payload[name] = value.trim();
    }
    return payload;
  }

  async function onSubmit(event) {
    event.preventDefault();
    const form = event.target;
    const payload = form.id === "visit" ? visitPayload(form) : formPayload(form);
    const photos = await photosOf(form);
    payload.photos = photos.map((p) => ({ client_id: p.client_id, voter_id: p.voter_id }));
    await enqueue({ client_id: payload.client_id, endpoint: form.dataset.endpoint, payload, photos, account: account() });
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

  // <div data-when="NAME=A|B">: shown only while the checked radio (or the select) NAME holds A or B, so a
  // relawan sees the extra questions of an answer only once they give it. Without this script all of it shows.
  function showWhenNeeded(form) {
    const parts = [...form.querySelectorAll("[data-when]")];
    if (!parts.length) return;
    const update = () => {
      for (const part of parts) {
        const [name, values] = part.dataset.when.split("=");
        const input = form.querySelector(`input[name="${name}"]:checked, select[name="${name}"]`);
        part.hidden = !(input && values.split("|").includes(input.value));
      }
    };
    form.addEventListener("change", update);
    form.addEventListener("reset", () => setTimeout(update));
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form").forEach(showWhenNeeded);
    document.querySelectorAll("form[data-queue]").forEach((queued) => queued.addEventListener("submit", onSubmit));
    const form = document.getElementById("visit");
    if (form) {
      // Where the visit happened is evidence kept for reviewers; without permission or a fix, it is left out.
      if (navigator.geolocation) {
        navigator.geolocation.getCurrentPosition(
          (position) => {
            form.dataset.latitude = String(position.coords.latitude);
            form.dataset.longitude = String(position.coords.longitude);
          },
          () => null,
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 300000 }
        );
      }
    }
    window.addEventListener("online", flush);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js").then(() => navigator.serviceWorker.ready).then(warmCache);
    }
    flush();
  });
})();
