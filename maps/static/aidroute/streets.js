/* aidroute's own map background: the area's streets and their names, drawn on a canvas.
 *
 * No tile server is asked for anything: the streets come with the page, from the
 * OpenStreetMap data aidroute already holds (routing/roads/streets.py). Data:
 *   {classes: ["major", "medium", "minor", "service", "path"],
 *    ways: [[classIndex, "Street name", [lat, lon, lat, lon, ...]], ...]}
 * Map data (c) OpenStreetMap contributors, ODbL.
 */
(function () {
  "use strict";
  var LAND = "#f2efe9";
  // Widths in pixels at zoom 13, 15, 17 (interpolated), casing and fill colours.
  var STYLE = {
    major: { w: [3, 6, 14], fill: "#fcd6a4", casing: "#c99a5b" },
    medium: { w: [2, 5, 12], fill: "#f7fabf", casing: "#b8b98c" },
    minor: { w: [1, 3.5, 10], fill: "#ffffff", casing: "#c8c3bc" },
    service: { w: [0.6, 2, 6], fill: "#ffffff", casing: "#d6d1ca" },
    path: { w: [0.5, 1, 2.5], fill: "#e0927e", casing: null },
  };
  var ORDER = ["path", "service", "minor", "medium", "major"];

  function width(style, zoom) {
    var w = style.w;
    if (zoom <= 13) return w[0] * Math.pow(0.6, 13 - zoom);
    if (zoom <= 15) return w[0] + (w[1] - w[0]) * (zoom - 13) / 2;
    if (zoom <= 17) return w[1] + (w[2] - w[1]) * (zoom - 15) / 2;
    return w[2] * Math.pow(1.6, zoom - 17);
  }

  L.AidrouteStreets = L.Layer.extend({
    initialize: function (data) {
      var classes = data.classes || [];
      this._ways = (data.ways || []).map(function (w) {
        var pts = [];
        for (var i = 0; i + 1 < w[2].length; i += 2) pts.push(L.latLng(w[2][i], w[2][i + 1]));
        return { kind: classes[w[0]] || "path", name: w[1] || "", pts: pts };
      });
    },

    onAdd: function (map) {
      this._map = map;
      var pane = map.getPane("aidrouteStreets") || map.createPane("aidrouteStreets");
      pane.style.zIndex = 150; // above the (absent) tiles, below routes and markers
      pane.style.pointerEvents = "none";
      this._canvas = L.DomUtil.create("canvas", "aid-streets", pane);
      this._canvas.setAttribute("aria-hidden", "true");
      map.on("moveend zoomend resize viewreset", this._redraw, this);
      map.on("zoomstart", this._hide, this);
      if (map.attributionControl) {
        map.attributionControl.addAttribution("Streets &copy; OpenStreetMap contributors");
      }
      this._redraw();
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._redraw, this);
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._canvas);
    },

    _hide: function () {
      this._canvas.style.visibility = "hidden";
    },

    _redraw: function () {
      var map = this._map, canvas = this._canvas;
      if (!map || !canvas) return;
      var size = map.getSize(), ratio = window.devicePixelRatio || 1;
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = LAND;
      ctx.fillRect(0, 0, size.x, size.y);
      var zoom = map.getZoom(), bounds = map.getBounds().pad(0.2);
      var screen = [];
      this._ways.forEach(function (w) {
        var inside = false;
        for (var i = 0; i < w.pts.length && !inside; i++) inside = bounds.contains(w.pts[i]);
        if (!inside) return;
        screen.push({ way: w, xy: w.pts.map(function (p) { return map.latLngToContainerPoint(p); }) });
      });
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ORDER.forEach(function (kind) {
        var style = STYLE[kind], w = width(style, zoom);
        var mine = screen.filter(function (s) { return s.way.kind === kind; });
        if (style.casing) stroke(ctx, mine, style.casing, w + Math.max(1, w * 0.25));
        stroke(ctx, mine, style.fill, w);
      });
      if (zoom >= 15) labels(ctx, screen, zoom);
      canvas.style.visibility = "visible";
    },
  });

  function stroke(ctx, items, colour, w) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = w;
    ctx.beginPath();
    items.forEach(function (s) {
      s.xy.forEach(function (p, i) { if (i === 0) ctx.moveTo(p.x, p.y); else ctx.lineTo(p.x, p.y); });
    });
    ctx.stroke();
  }

  // Names along their street's longest straight stretch, skipped where they would collide.
  function labels(ctx, screen, zoom) {
    var placed = [], seen = {};
    ctx.font = (zoom >= 17 ? "13px" : "11px") + " sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    var named = screen.filter(function (s) {
      return s.way.name && (s.way.kind !== "path" || zoom >= 17);
    });
    named.sort(function (a, b) { return ORDER.indexOf(b.way.kind) - ORDER.indexOf(a.way.kind); });
    named.forEach(function (s) {
      var best = null, len = 0;
      for (var i = 1; i < s.xy.length; i++) {
        var dx = s.xy[i].x - s.xy[i - 1].x, dy = s.xy[i].y - s.xy[i - 1].y;
        var d = Math.sqrt(dx * dx + dy * dy);
        if (d > len) { len = d; best = [s.xy[i - 1], s.xy[i]]; }
      }
      var text = s.way.name, tw = ctx.measureText(text).width;
      if (!best || len < tw + 12) return;
      var cx = (best[0].x + best[1].x) / 2, cy = (best[0].y + best[1].y) / 2;
      var key = text + "@" + Math.round(cx / 250) + "," + Math.round(cy / 250);
      if (seen[key]) return;
      var r = tw / 2 + 4;
      for (var j = 0; j < placed.length; j++) {
        var q = placed[j], ddx = q.x - cx, ddy = q.y - cy;
        if (Math.sqrt(ddx * ddx + ddy * ddy) < q.r + r) return;
      }
      placed.push({ x: cx, y: cy, r: r });
      seen[key] = true;
      var angle = Math.atan2(best[1].y - best[0].y, best[1].x - best[0].x);
      if (angle > Math.PI / 2) angle -= Math.PI;
      if (angle < -Math.PI / 2) angle += Math.PI;
      ctx.save();
      ctx.translate(cx, cy);
      ctx.rotate(angle);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(text, 0, 0);
      ctx.fillStyle = "#333";
      ctx.fillText(text, 0, 0);
      ctx.restore();
    });
  }

  L.aidrouteStreets = function (data) { return new L.AidrouteStreets(data); };
})();
