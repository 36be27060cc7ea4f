// kawal service worker: the relawan pages open with no signal. Pages under /tugas/ and static files are
// answered from the network when there is one (and kept), from the cache when there is not.
const CACHE = "kawal-field-v1";
// Task pages hold names and addresses: a copy older than this is deleted instead of shown (a phone left
// logged in does not keep them for ever; a relawan offline for a week reconnects long before).
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

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
  const offlineable = url.origin === location.origin && (url.pathname.startsWith("/tugas/") || url.pathname.startsWith("/static/") || url.pathname === "/lapor/baru/");
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
