// kawal Jaga TPS: the C.Hasil form and the witness's TPS list.
// - The consistency rules of kawal.engine.results.rules, shown live in plain sentences (the sentences come from
//   the page, from the server's one table; the rule code sits behind "detail"). A form that breaks them is still
//   saved and sent (the paper is the evidence); the server checks again.
// - A photo of each page is required (the file inputs are `required`; this says which one is missing).
// - A receipt after saving: the values, the photos and the time, and whether the reading has left the phone.
//   Saving and sending are field.js's offline queue (IndexedDB "kawal-field"); this script only reads it.
// - "Tersimpan untuk dipakai tanpa sinyal" once the service worker holds the page.
(function () {
  "use strict";
  const PAIRED = ["dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total", "pemilih_disabilitas"];
  const DB = "kawal-field", STORE = "queue", CACHE = "kawal-field-v1";
  const nf = new Intl.NumberFormat("id-ID");
  const angka = (x) => (x === null || x === undefined || Number.isNaN(x) ? "–" : nf.format(x));

  function pageJson(id) {
    const node = document.getElementById(id);
    try {
      return node ? JSON.parse(node.textContent) : null;
    } catch (notJson) {
      return null;
    }
  }

  // A count as typed: plain digits, or grouped the Indonesian way ("1.234"); anything else is not a count.
  function count(typed) {
    const text = typed.trim();
    if (!/^([0-9]{1,3}(\.[0-9]{3})+|[0-9]{1,7})$/.test(text)) return NaN;
    return Number(text.replace(/\./g, ""));
  }

  function reader(form) {
    return (name) => {
      const input = form.querySelector(`[name="${name}"]`);
      if (!input || input.value.trim() === "") return null;
      return count(input.value);
    };
  }

  // The election's limits come from the page (data-max-per-tps, data-reserve-num/-den): never hard-coded here.
  // The reserve is a fraction so the rounding up per TPS is exact, as on the server: ⌈dpt × num / den⌉.
  function limits(form) {
    const d = form.dataset;
    return {
      maxPerTps: Number(d.maxPerTps),
      reserve: (dpt) => Math.floor((dpt * Number(d.reserveNum) + Number(d.reserveDen) - 1) / Number(d.reserveDen)),
      reserveText: (d.reserveText || "").replace(".", ","),
    };
  }

  // Each finding: its rule code and the numbers its sentence names (the same names as paper.py's _values).
  function check(form) {
    const v = reader(form);
    const paslon = Number(form.dataset.paslon || 0);
    const rules = limits(form);
    const out = [];
    const all = (...xs) => xs.every((x) => x !== null && !Number.isNaN(x));
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    const votes = Array.from({ length: paslon }, (_, i) => v(`suara_paslon_${i + 1}`));
    const [sah, tidakSah, total] = [v("suara_sah"), v("suara_tidak_sah"), v("suara_sah_dan_tidak_sah")];
    const users = ["pengguna_dpt", "pengguna_dptb", "pengguna_dpk"].map(v);
    const pengguna = v("pengguna_total"), dpt = v("dpt");
    if (paslon && all(...votes, sah) && sum(votes) !== sah) out.push(["PASLON_NE_SAH", { jumlah: sum(votes), sah }]);
    if (all(sah, tidakSah, total) && sah + tidakSah !== total)
      out.push(["SAH_TIDAK_SAH_NE_TOTAL", { sah, tidak_sah: tidakSah, jumlah: sah + tidakSah, total }]);
    if (all(...users, pengguna) && sum(users) !== pengguna) out.push(["PENGGUNA_NE_RINCIAN", { jumlah: sum(users), total: pengguna }]);
    if (all(pengguna, total) && pengguna !== total) out.push(["PENGGUNA_NE_SUARA", { pengguna, total }]);
    if (all(users[0], dpt) && users[0] > dpt) out.push(["PENGGUNA_DPT_GT_DPT", { pengguna: users[0], dpt }]);
    if (all(dpt) && dpt > rules.maxPerTps) out.push(["DPT_GT_MAKS", { dpt, maks: rules.maxPerTps }]);
    const ballots = ["surat_suara_diterima", "surat_suara_digunakan", "surat_suara_dikembalikan", "surat_suara_tidak_digunakan"].map(v);
    if (all(...ballots) && ballots[0] !== ballots[1] + ballots[2] + ballots[3])
      out.push(["SURAT_SUARA_NE", { diterima: ballots[0], jumlah: ballots[1] + ballots[2] + ballots[3] }]);
    if (all(ballots[1], pengguna) && ballots[1] !== pengguna) out.push(["DIGUNAKAN_NE_PENGGUNA", { digunakan: ballots[1], pengguna }]);
    const disabilitas = v("pemilih_disabilitas");
    if (all(disabilitas, pengguna) && disabilitas > pengguna) out.push(["DISABILITAS_GT_PENGGUNA", { disabilitas, pengguna }]);
    if (all(total, dpt) && total > dpt + rules.reserve(dpt)) {
      const cadangan = rules.reserve(dpt);
      out.push(["SUARA_GT_DPT", { total, dpt, persen: rules.reserveText, cadangan, batas: dpt + cadangan }]);
    }
    const labels = pageJson("field-labels") || {};
    for (const base of PAIRED) {
      const [l, p, j] = [v(`${base}_l`), v(`${base}_p`), v(base)];
      if (all(j, l, p) && l + p !== j) out.push(["LP_NE_JUMLAH", { nomor: labels[base] || base, l, p, jumlah: l + p, total: j }]);
    }
    form.querySelectorAll("input[inputmode=numeric]").forEach((input) => {
      input.classList.toggle("invalid", input.value.trim() !== "" && Number.isNaN(v(input.name)));
    });
    return out;
  }

  function sentence(code, values) {
    const table = pageJson("rule-sentences") || {};
    // Without the page's table (never on a served page) the code and its numbers are still said.
    const text = table[code] || `${code} ${Object.keys(values).map((k) => `${k}={${k}}`).join(", ")}`;
    return text.replace(/\{(\w+)\}/g, (_, key) => (typeof values[key] === "number" ? angka(values[key]) : values[key] ?? "–"));
  }

  function show(form) {
    const box = document.getElementById("flags");
    const problems = check(form);
    box.hidden = problems.length === 0;
    box.dataset.count = String(problems.length);
    box.querySelector("ul").replaceChildren(
      ...problems.map(([code, values]) => {
        const item = Object.assign(document.createElement("li"), { textContent: sentence(code, values) });
        item.dataset.rule = code;
        const more = document.createElement("details");
        more.append(Object.assign(document.createElement("summary"), { textContent: box.dataset.detail || "detail" }));
        more.append(Object.assign(document.createElement("code"), { textContent: code }));
        item.append(" ", more);
        return item;
      })
    );
  }

  // --- photos: one per page, required ---------------------------------------------------------------------------

  // The browser refuses the submit (the file inputs are required); this names every page still without a photo.
  function onInvalid(event) {
    const input = event.target;
    if (input.type !== "file") return;
    const form = input.form;
    const missing = [...form.querySelectorAll("input[type=file][required]")].filter((i) => !i.files.length);
    const note = document.getElementById("photo-missing");
    note.textContent = `${missing.map((i) => i.dataset.name).join(", ")} ${form.dataset.photoMissing}`;
    note.hidden = false;
    const first = missing[0] && missing[0].closest("label");
    if (first) first.scrollIntoView({ block: "center" });
  }

  // --- the receipt ----------------------------------------------------------------------------------------------

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function snapshot(form) {
    const labels = pageJson("field-labels") || {};
    const rows = [];
    form.querySelectorAll("input[inputmode=numeric]").forEach((input) => {
      if (input.value.trim() !== "") rows.push([labels[input.name] || input.name, Number(input.value.trim())]);
    });
    const photos = [];
    form.querySelectorAll("input[type=file]").forEach((input) => {
      for (const file of input.files) photos.push({ page: input.dataset.page, url: URL.createObjectURL(file), name: file.name });
    });
    return { clientId: form.elements.client_id.value, rows, photos, at: new Date() };
  }

  function openQueue() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      // The same store as field.js makes, so whichever script opens the database first, it is the same.
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function queuedItems() {
    const db = await openQueue();
    return new Promise((resolve) => {
      const request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
      const account = document.body.dataset.account || ""; // records wait for the account that made them (field.js)
      request.onsuccess = () => resolve((request.result || []).filter((i) => !i.account || i.account === account));
      request.onerror = () => resolve([]);
    });
  }

  function renderReceipt(box, shot) {
    const d = box.dataset;
    const when = shot.at.toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "short" });
    const table = document.createElement("table");
    for (const [label, value] of shot.rows) {
      const row = table.insertRow();
      row.insertCell().textContent = label;
      row.insertCell().textContent = angka(value);
    }
    const pictures = document.createElement("p");
    for (const photo of shot.photos) {
      pictures.append(Object.assign(document.createElement("img"), { src: photo.url, alt: `${d.photos} ${photo.page}` }));
    }
    const status = Object.assign(document.createElement("p"), { textContent: d.waiting });
    status.dataset.receiptStatus = "menunggu";
    const again = Object.assign(document.createElement("button"), { type: "button", textContent: d.again });
    again.addEventListener("click", () => {
      box.hidden = true;
      document.querySelector("form.chasil").scrollIntoView();
    });
    box.replaceChildren(
      Object.assign(document.createElement("h2"), { textContent: d.title }),
      Object.assign(document.createElement("p"), { textContent: `${d.savedAt} ${when}` }),
      status,
      shot.rows.length ? table : Object.assign(document.createElement("p"), { textContent: d.empty }),
      Object.assign(document.createElement("h3"), { textContent: `${d.photos} (${shot.photos.length})` }),
      pictures,
      again
    );
    box.dataset.clientId = shot.clientId;
    box.hidden = false;
    box.scrollIntoView({ block: "start" });
    follow(box, status, shot.clientId);
  }

  // Whether the reading has left the phone: it is in field.js's queue until the server has it.
  function follow(box, status, clientId) {
    const d = box.dataset;
    const tick = async () => {
      if (box.dataset.clientId !== clientId) return; // a newer receipt took over
      const item = (await queuedItems()).find((i) => i.client_id === clientId);
      if (!item) {
        status.textContent = d.sent;
        status.dataset.receiptStatus = "terkirim";
        return;
      }
      status.textContent = item.error ? `${d.refused}: ${item.error}` : d.waiting;
      status.dataset.receiptStatus = item.error ? "ditolak" : "menunggu";
      if (!item.error) setTimeout(tick, 1000);
    };
    tick();
  }

  function setUpForm(form) {
    form.elements.client_id.value = newId();
    form.addEventListener("input", () => show(form));
    form.addEventListener("change", (event) => {
      if (event.target.type === "file") document.getElementById("photo-missing").hidden = true;
    });
    form.addEventListener("invalid", onInvalid, true);
    let pending = null;
    // Capture phase: runs before field.js's own submit handler, which queues the reading and clears the form.
    document.addEventListener(
      "submit",
      (event) => {
        if (event.target !== form) return;
        // The server takes plain digits: "1.234" is sent as 1234 (field.js reads the inputs after this).
        form.querySelectorAll("input[inputmode=numeric]").forEach((input) => {
          if (!Number.isNaN(count(input.value))) input.value = input.value.trim().replace(/\./g, "");
        });
        pending = snapshot(form);
      },
      true
    );
    form.addEventListener("reset", () => {
      setTimeout(() => show(form), 0);
      if (!pending) return;
      const shot = pending;
      pending = null;
      form.elements.client_id.value = newId(); // the next reading is a new record
      renderReceipt(document.getElementById("receipt"), shot);
    });
    document.querySelectorAll("[data-correct]").forEach((button) => button.addEventListener("click", () => correct(form)));
  }

  // A correction starts from the witness's own last reading; it is sent as a new reading (the old one stays).
  function correct(form) {
    const mine = pageJson("mine-numbers") || {};
    for (const [name, value] of Object.entries(mine)) {
      const input = form.querySelector(`[name="${name}"]`);
      if (input) input.value = String(value);
    }
    show(form);
    const first = document.querySelector("[data-differ-row]");
    const target = first ? form.querySelector(`[name="${first.dataset.differRow}"]`) : form.querySelector("input[inputmode=numeric]");
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus();
    }
  }

  // --- offline readiness and the list's waiting marks ------------------------------------------------------------

  async function markOffline() {
    const note = document.querySelector("[data-offline-note]");
    if (!note || !("caches" in window)) return;
    const reveal = () => {
      note.hidden = false;
      document.body.dataset.jagaOffline = "true";
    };
    if (document.body.dataset.offlineReady === "true") return reveal();
    new MutationObserver(() => document.body.dataset.offlineReady === "true" && reveal()).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-offline-ready"],
    });
    const cache = await caches.open(CACHE);
    if (await cache.match(location.href, { ignoreVary: true })) reveal();
  }

  async function markQueued() {
    const rows = document.querySelectorAll("li[data-tps]");
    if (!rows.length) return;
    const waiting = (await queuedItems()).map((i) => i.endpoint || "");
    rows.forEach((row) => {
      row.querySelector("[data-queued]").hidden = !waiting.some((e) => e.includes(`/${row.dataset.tps}/`));
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("form.chasil");
    if (form) setUpForm(form);
    markOffline();
    markQueued();
    window.addEventListener("online", () => setTimeout(markQueued, 3000));
  });
})();
