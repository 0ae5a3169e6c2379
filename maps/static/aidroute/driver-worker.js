/* aidroute: the service worker of drivers' pages (served at /d/worker.js, scope /d/).
 *
 * A driver may lose signal mid-route: the page, its scripts and styles are answered from the
 * network when there is one (and kept), else from what was kept. Reports (POST) and the live
 * lists (stops, status) always go to the network: status.js keeps what is not sent yet.
 * A link that the server no longer knows (expired, revoked) is forgotten here too.
 */
"use strict";

var CACHE = "aidroute-driver-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function live(url) {
  return /\/(stops|status|events|worker\.js)$/.test(url.pathname);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || live(url)) {
    return;
  }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) {
          return cache.put(request, copy);
        }));
      } else if (response.status === 404 && request.mode === "navigate") {
        event.waitUntil(caches.open(CACHE).then(function (cache) {
          return cache.delete(request);
        }));
      }
      return response;
    }).catch(function () {
      return caches.match(request, {ignoreVary: true}).then(function (kept) {
        return kept || Response.error();
      });
    })
  );
});
