// The Plan section of the week page: the routes on a map (Leaflet, with the area's own
// streets as background: no tile server is asked), and drivers' reports arriving live
// (server-sent events of /plans/{id}/status/events) in the list and on the map.
(function () {
  "use strict";
  var state = { map: null, source: null, markers: {} };

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  // label: a stop's number, "H" or "!" (never people's text); colour: the route's.
  function pin(label, colour, kind) {
    var html = '<span style="border-color:' + colour + '">' + label + "</span>";
    return L.divIcon({ className: "plan-pin " + kind, html: html, iconSize: [26, 26] });
  }

  function drawMap(el) {
    var holder = document.getElementById("plan-map-data");
    if (!holder) return;
    var data = JSON.parse(holder.textContent);
    var map = L.map(el, { scrollWheelZoom: false });
    if (data.url) {
      L.tileLayer(data.url, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    } else if (data.streets && L.aidrouteStreets) {
      L.aidrouteStreets(data.streets).addTo(map);
    }
    var bounds = [];
    data.routes.forEach(function (r) {
      if (r.path.length > 1) {
        L.polyline(r.path, { color: r.colour, weight: 4, opacity: 0.8, dashArray: r.dash }).addTo(map);
      }
      r.stops.forEach(function (s) {
        var m = L.marker([s.lat, s.lon], {
          icon: pin(String(s.n), r.colour, "status-" + s.status), keyboard: false,
        });
        m.bindTooltip(text(r.driver + " · " + s.n + " · " + s.name));
        m.addTo(map);
        state.markers[s.id] = { marker: m, n: String(s.n), colour: r.colour };
        bounds.push([s.lat, s.lon]);
      });
    });
    data.hubs.forEach(function (h) {
      L.marker([h.lat, h.lon], { icon: pin("H", "#1b1f24", "hub"), keyboard: false })
        .bindTooltip(text(h.name)).addTo(map);
      bounds.push([h.lat, h.lon]);
    });
    data.unassigned.forEach(function (u) {
      L.marker([u.lat, u.lon], { icon: pin("!", "#a4161a", "left-out"), keyboard: false })
        .bindTooltip(text(u.name)).addTo(map);
      bounds.push([u.lat, u.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    else map.setView([0, 0], 2);
    state.map = map;
  }

  function showStatus(words, st) {
    var sel = '[data-stop-status="' + CSS.escape(st.stop_id) + '"]';
    document.querySelectorAll(sel).forEach(function (cell) {
      var said = st.status === "pending" ? "" : (words[st.status] || st.status);
      cell.textContent = st.note ? said + " · " + st.note : said;
      cell.className = "status status-" + st.status;
    });
    var m = state.markers[st.stop_id];
    if (m) m.marker.setIcon(pin(m.n, m.colour, "status-" + st.status));
  }

  function listen(live) {
    var words = JSON.parse(live.getAttribute("data-words"));
    var source = new EventSource(live.getAttribute("data-events"));
    source.addEventListener("status", function (event) {
      var data = JSON.parse(event.data);
      data.stops.forEach(function (st) { showStatus(words, st); });
      Object.keys(data.counts).forEach(function (key) {
        var count = live.querySelector('[data-count="' + key + '"]');
        if (count) count.textContent = data.counts[key];
      });
      live.setAttribute("data-updated", data.updated_at);
    });
    state.source = source;
  }

  function init() {
    if (state.source) { state.source.close(); state.source = null; }
    if (state.map) { state.map.remove(); state.map = null; state.markers = {}; }
    var el = document.getElementById("plan-map");
    if (el && window.L) drawMap(el);
    var live = document.getElementById("plan-live");
    if (live && window.EventSource) listen(live);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "plan-panel") init();
  });
  window.addEventListener("pagehide", function () {
    if (state.source) state.source.close();
  });
})();
