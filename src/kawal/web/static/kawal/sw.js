// kawal service worker: the relawan pages open with no signal. Pages under /tugas/, Jaga TPS and static files are
// answered from the network when there is one (and kept), from the cache when there is not.
const CACHE = "kawal-field-v1";
// Task pages hold names and addresses: a copy older than this is deleted instead of shown (a phone left
// logged in does not keep them for ever; a relawan offline for a week reconnects long before).
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

// Jaga TPS: the witness's list and each assigned C.Hasil form (/tps/<pemilihan>/<kode TPS>/); the list page
// precaches every form on it, so a form never opened still opens at a TPS without signal. Coordinators' pages
// under /tps/ (kelola, konflik) are not kept.
const JAGA_TPS = /^\/tps\/(\d+\/\d{13}\/)?$/;

function fresh(cached) {
  const stamped = Date.parse(cached.headers.get("Date") || "");
  return Number.isNaN(stamped) || Date.now() - stamped < MAX_AGE_MS;
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached && fresh(cached)) return cached;
  if (cached) await cache.delete(request, { ignoreVary: true });
  return Response.error();
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const offlineable = url.origin === location.origin && (url.pathname.startsWith("/tugas/") || url.pathname.startsWith("/static/") || url.pathname === "/lapor/baru/" || JAGA_TPS.test(url.pathname));
  if (request.method !== "GET" || !offlineable) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => fromCache(request))
  );
});
