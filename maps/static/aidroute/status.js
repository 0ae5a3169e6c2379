/* aidroute: a driver reports each stop (delivered / not home / refused, with a note) from
 * the page of their link, with or without signal.
 *
 * Every report is kept in the phone's localStorage first, then sent to the server: at once,
 * when the signal comes back ("online"), when the page loads and every 20 seconds. One entry
 * per stop: a newer report replaces an unsent older one, so the latest report wins; sending
 * the same report again changes nothing on the server, so a retry after a lost answer
 * never counts twice. What the server already has is read back when the page loads.
 * A service worker (/d/worker.js) keeps the page itself for a reload without signal.
 */
(function () {
  "use strict";
  var main = document.getElementById("aid-main");
  if (!main || !main.dataset.statusUrl) { return; }
  var statusUrl = new URL(main.dataset.statusUrl, location.href).href;
  var stopsUrl = new URL(main.dataset.stopsUrl, location.href).href;
  var words = JSON.parse(main.dataset.words);
  var key = "aidroute-reports:" + new URL(location.href).pathname;
  var CACHE = "aidroute-driver-v1";
  var RETRY_MS = 20000;
  var TIMEOUT_MS = 15000;
  var sections = Array.prototype.slice.call(document.querySelectorAll(".aid-report"));
  var sending = false;

  // The reports: {stop_id: {status, note, seq, sent: true|false, failed: bool}}.
  // localStorage may be refused (a private window, a full phone): then the reports live in
  // this page's memory until they are sent.
  var durable = true;
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { return null; }
  }
  var memory = load() || {};
  function reports() {
    var kept = durable ? load() : null;
    if (kept) { memory = kept; }
    return memory;
  }
  function save(r) {
    memory = r;
    try { localStorage.setItem(key, JSON.stringify(r)); durable = true; } catch (e) { durable = false; }
  }

  function nextSeq(r) {
    var top = 0;
    Object.keys(r).forEach(function (id) { top = Math.max(top, r[id].seq || 0); });
    return top + 1;
  }

  function show(tapped) {
    var r = reports();
    var waiting = 0;
    sections.forEach(function (section) {
      section.hidden = false;
      var entry = r[section.dataset.stop];
      var card = section.closest(".aid-card");
      var state = section.querySelector(".aid-state");
      section.querySelectorAll(".aid-mark").forEach(function (btn) {
        btn.setAttribute("aria-pressed", String(!!entry && btn.dataset.status === entry.status));
      });
      if (!entry) {
        card.removeAttribute("data-state");
        state.textContent = "";
        state.removeAttribute("data-sent");
        return;
      }
      var how = entry.failed ? "failed" : entry.sent ? "sent" : "waiting";
      if (how === "waiting") { waiting += 1; }
      card.dataset.state = entry.status;
      state.dataset.sent = entry.failed ? "failed" : entry.sent ? "yes" : "no";
      var text = words[entry.status] + " · " + words[how];
      if (state.textContent !== text) { state.textContent = text; }
      var note = section.querySelector(".aid-note");
      if (!note.value && document.activeElement !== note) { note.value = entry.note || ""; }
      document.dispatchEvent(new CustomEvent("aidroute:reported", {
        detail: {n: parseInt(section.dataset.n, 10), tapped: tapped === section.dataset.stop}
      }));
    });
    var outbox = document.getElementById("aid-outbox");
    var said = waiting ? words[waiting === 1 ? "outbox_one" : "outbox_other"].replace("{n}", waiting) : "";
    if (outbox && outbox.textContent !== said) { outbox.textContent = said; }
  }

  function mark(stopId, status, note) {
    var r = reports();
    r[stopId] = {status: status, note: note, seq: nextSeq(r), sent: false, failed: false};
    save(r);
    show(stopId);
    flush();
  }

  // A weak signal can leave a request hanging: give up after a while and try again later.
  function post(stopId, entry) {
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, TIMEOUT_MS) : null;
    return fetch(statusUrl, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({stop_id: stopId, status: entry.status, note: entry.note}),
      credentials: "omit",
      cache: "no-store",
      signal: abort ? abort.signal : undefined
    }).finally(function () { clearTimeout(timer); });
  }

  // Send every unsent report, oldest first, one at a time; stop at the first that does not
  // reach the server (no signal) and try again later.
  function flush() {
    if (sending) { return; }
    var r = reports();
    var queue = Object.keys(r).filter(function (id) { return !r[id].sent && !r[id].failed; });
    queue.sort(function (a, b) { return r[a].seq - r[b].seq; });
    if (!queue.length) { return; }
    sending = true;
    var step = function (i) {
      if (i >= queue.length) { sending = false; show(); return; }
      var id = queue[i];
      var entry = reports()[id];
      if (!entry || entry.sent || entry.failed) { step(i + 1); return; }
      post(id, entry).then(function (res) {
        var now = reports();
        var current = now[id];
        // A newer report tapped meanwhile stays unsent: it goes next time.
        var same = current && current.seq === entry.seq;
        if (res.ok) {
          if (same) { current.sent = true; save(now); }
        } else if (res.status >= 500 || res.status === 408 || res.status === 429) {
          throw new Error("server busy");
        } else if (same) {
          current.failed = true;  // the server will never take it (link ended, stop moved)
          save(now);
        }
        show();
        step(i + 1);
      }).catch(function () {
        sending = false;
        show();
      });
    };
    step(0);
  }

  // What the server already has: a reload shows it, even from another phone. A report this
  // phone has not sent yet is newer and stays; one it sent that the server lacks goes again.
  function readBack() {
    return fetch(stopsUrl, {credentials: "omit", cache: "no-store"}).then(function (res) {
      if (!res.ok) { return; }
      return res.json().then(function (run) {
        var r = reports();
        run.stops.forEach(function (stop) {
          var mine = r[stop.id];
          if (mine && (!mine.sent || mine.failed)) { return; }
          if (stop.status === "pending") {
            if (mine) { mine.sent = false; }
            return;
          }
          r[stop.id] = {status: stop.status, note: stop.status_note || "",
                        seq: mine ? mine.seq : nextSeq(r), sent: true, failed: false};
        });
        save(r);
      });
    }).catch(function () { /* no signal: what the phone kept is shown */ });
  }

  // Keep the page and its scripts on the phone for a reload without signal.
  function keepPage() {
    if (!("serviceWorker" in navigator) || !main.dataset.workerUrl) { return; }
    navigator.serviceWorker.register(new URL(main.dataset.workerUrl, location.href).href)
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () {
        if (!navigator.onLine || !window.caches) { return; }
        var urls = [location.href.split("#")[0]];
        document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (el) {
          var u = new URL(el.src || el.href, location.href);
          if (u.origin === location.origin) { urls.push(u.href); }
        });
        return caches.open(CACHE).then(function (cache) { return cache.addAll(urls); });
      })
      .then(function () { main.dataset.offlineReady = "yes"; })
      .catch(function () { /* the page still works while it stays open */ });
  }

  sections.forEach(function (section) {
    section.querySelectorAll(".aid-mark").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var note = section.querySelector(".aid-note").value.trim().slice(0, 500);
        mark(section.dataset.stop, btn.dataset.status, note);
      });
    });
  });
  window.addEventListener("online", flush);
  window.addEventListener("storage", function (e) { if (e.key === key) { show(); } });
  setInterval(flush, RETRY_MS);
  show();
  readBack().then(function () { show(); flush(); });
  keepPage();
})();
