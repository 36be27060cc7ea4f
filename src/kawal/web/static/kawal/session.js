// Logging out leaves nothing personal on the phone: the pages kept for offline work (names, addresses) and the
// queue are deleted here, and the server's Clear-Site-Data header repeats it for the browser. Records not yet
// sent would be deleted with them, so the relawan is asked first.
(function () {
  "use strict";
  const DB = "kawal-field", STORE = "queue";

  function unsentCount() {
    return new Promise((resolve) => {
      if (!("indexedDB" in window)) return resolve(0);
      const request = indexedDB.open(DB);
      request.onupgradeneeded = () => request.transaction.abort(); // no queue on this phone: do not create one
      request.onerror = () => resolve(0);
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(STORE)) { db.close(); return resolve(0); }
        const counted = db.transaction(STORE, "readonly").objectStore(STORE).count();
        counted.onsuccess = () => { db.close(); resolve(counted.result); };
        counted.onerror = () => { db.close(); resolve(0); };
      };
    });
  }

  async function forget() {
    if ("caches" in window) {
      for (const name of await caches.keys()) await caches.delete(name);
    }
    if ("indexedDB" in window) {
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(DB);
        request.onsuccess = request.onerror = request.onblocked = () => resolve();
      });
    }
  }

  async function onLogout(event) {
    const form = event.target;
    if (form.dataset.cleared === "true") return;
    event.preventDefault();
    const unsent = await unsentCount();
    if (unsent && !window.confirm(`${unsent} ${form.dataset.unsentText}`)) return;
    await forget();
    form.dataset.cleared = "true";
    form.submit();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-logout]").forEach((form) => form.addEventListener("submit", onLogout));
  });
})();
