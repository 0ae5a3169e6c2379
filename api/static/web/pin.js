// The Deliveries table's pin map: "Drop a pin on the map" opens a dialog with the area's
// streets (drawn by the page from the server's own data: no tile server is asked); a click
// drops the pin, "Use this point" writes it into the row's LAT, LON field and saves it.
(function () {
  "use strict";
  var map = null, marker = null, input = null, chosen = null;

  function dialog() { return document.getElementById("pin-dialog"); }

  function show(point) {
    chosen = point;
    var text = point.lat.toFixed(6) + ", " + point.lng.toFixed(6);
    document.getElementById("pin-chosen").textContent = text;
    document.getElementById("pin-use").disabled = false;
    if (marker) marker.setLatLng(point); else marker = L.marker(point).addTo(map);
  }

  function build(box, then) {
    var url = box.getAttribute("data-streets");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      map = L.map("pin-map", { zoomControl: true });
      var b = data.bbox;
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]]);
      if (data.streets && data.streets.ways && L.aidrouteStreets) L.aidrouteStreets(data.streets).addTo(map);
      map.on("click", function (e) { show(e.latlng); });
      then();
    });
  }

  function open(button) {
    var box = dialog();
    input = document.getElementById(button.getAttribute("data-point"));
    document.getElementById("pin-for").textContent = button.getAttribute("data-label") || "";
    document.getElementById("pin-chosen").textContent = "";
    document.getElementById("pin-use").disabled = true;
    chosen = null;
    if (marker && map) { map.removeLayer(marker); marker = null; }
    box.showModal();
    var ready = function () { map.invalidateSize(); };
    if (map) ready(); else build(box, ready);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".pin-open");
    if (button) { open(button); return; }
    if (event.target.id === "pin-cancel") { dialog().close(); return; }
    if (event.target.id === "pin-use" && chosen && input) {
      input.value = chosen.lat.toFixed(6) + ", " + chosen.lng.toFixed(6);
      dialog().close();
      var form = input.form;
      if (form.requestSubmit) form.requestSubmit(); else htmx.trigger(form, "submit");
    }
  });
})();
