// kawal service worker: the relawan pages open with no signal. Pages under /tugas/ and static files are
// answered from the network when there is one (and kept), from the cache when there is not.
const CACHE = "kawal-field-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const offlineable = url.origin === location.origin && (url.pathname.startsWith("/tugas/") || url.pathname.startsWith("/static/"));
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
      .catch(() => caches.match(request, { ignoreVary: true }).then((cached) => cached || Response.error()))
  );
});
