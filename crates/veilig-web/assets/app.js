// Veilig: the map (Leaflet, when present) on pages with a #map element. No inline scripts:
// the page's Content-Security-Policy allows only scripts from the app itself.
(function () {
  "use strict";
  function parsed(text, fallback) {
    try { return text ? JSON.parse(text) : fallback; } catch (e) { return fallback; }
  }
  // A legend box: a title, then a swatch and its words per row (textContent only: the words
  // come from the page's translation files).
  function legendRows(box, title, rows) {
    if (title) { var h = document.createElement("strong"); h.textContent = title; box.appendChild(h); }
    rows.forEach(function (r) {
      var row = document.createElement("div");
      var key = document.createElement("i");
      key.style.background = r.c;
      row.appendChild(key);
      row.appendChild(document.createTextNode(r.l));
      box.appendChild(row);
    });
  }
  function draw() {
    var el = document.getElementById("map");
    if (!el || !window.L || el.dataset.drawn) return;
    el.dataset.drawn = "1";
    var wijken = parsed(el.dataset.wijken, {});
    var map = L.map(el, { zoomControl: true, attributionControl: true });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    // What the pointer is on: the wijk's name and figures (the hint until then).
    var info = L.control({ position: "topright" });
    info.onAdd = function () {
      this.box = L.DomUtil.create("div", "map-info");
      this.box.textContent = el.dataset.hint || "";
      return this.box;
    };
    info.addTo(map);
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      legendRows(box, el.dataset.legendTitle, parsed(el.dataset.legend, []));
      if (el.dataset.hotspots) legendRows(box, el.dataset.labelHot, parsed(el.dataset.legendHot, []));
      return box;
    };
    legend.addTo(map);
    var layers = {};
    var focus = null;
    fetch(el.dataset.areas, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (areas) {
      var base = el.dataset.tiles ? 0.45 : 0.75;
      var outline = L.geoJSON(areas, {
        style: function (f) {
          var w = wijken[f.properties.code];
          return { color: "#222", weight: 1.5, fillColor: w ? w.f : "#ffffff", fillOpacity: base };
        },
        onEachFeature: function (f, layer) {
          var w = wijken[f.properties.code];
          layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "wijk-label" });
          layer.on("mouseover", function () {
            layer.setStyle({ weight: 3.5 });
            info.box.textContent = f.properties.name + (w ? ": " + w.t : "");
          });
          layer.on("mouseout", function () {
            layer.setStyle({ weight: 1.5 });
            info.box.textContent = el.dataset.hint || "";
          });
          if (w && w.h) layer.on("click", function () { window.location.assign(w.h); });
          if (f.properties.code === el.dataset.focus) focus = layer;
        }
      }).addTo(map);
      layers[el.dataset.labelAreas] = outline;
      // A page filtered on one wijk opens on it.
      var bounds = focus ? focus.getBounds() : outline.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds);
      if (!el.dataset.hotspots) { L.control.layers(null, layers).addTo(map); return; }
      return fetch(el.dataset.hotspots, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (hot) {
        var heat = L.geoJSON(hot, {
          interactive: false,
          style: function (f) {
            var t = f.properties.level;
            return { stroke: false, fillColor: t > 0.75 ? "#5a0014" : t > 0.5 ? "#bd0026" : "#fd8d3c", fillOpacity: 0.55 };
          }
        }).addTo(map);
        layers[el.dataset.labelHot] = heat;
        L.control.layers(null, layers).addTo(map);
      });
    });
  }
  // Sortable tables (class "sortable"): each column's heading becomes a button; a click sorts
  // the rows by that column (numbers as numbers in the page's language, a hidden count or a
  // dash last), a second click reverses; aria-sort says which.
  function sortValue(cell, lang) {
    if (!cell) return null;
    if (cell.dataset.n) return Number(cell.dataset.n);
    var t = cell.textContent.trim().replace(/\u2212/g, "-");
    var m = t.match(/^[+-]?[\d.,\u202f\u00a0]*\d/);
    if (!m) return t === "" || t === "\u2013" || t === "x" || t.charAt(0) === "<" ? null : t.toLowerCase();
    var n = m[0].replace(/[\u202f\u00a0]/g, "");
    n = lang === "en" ? n.replace(/,/g, "") : n.replace(/\./g, "").replace(",", ".");
    return Number(n);
  }
  function sortable(table) {
    if (table.dataset.sortable) return;
    table.dataset.sortable = "1";
    var lang = (document.documentElement.lang || "nl").slice(0, 2);
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      if (th.hasAttribute("data-nosort")) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        var down = th.getAttribute("aria-sort") !== "descending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, c) {
          var x = sortValue(a.cells[col], lang), y = sortValue(c.cells[col], lang);
          if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
          var r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), lang);
          return down ? -r : r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function enhance() {
    draw();
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
  }
  // With this script, a phone's menu folds behind its button (without it, it stays open).
  document.documentElement.classList.add("js");
  // The print button (an inline onclick would be refused by the page's own CSP), and the
  // menu's button.
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    if (e.target.closest("[data-print]")) window.print();
    var b = e.target.closest("[data-menu]");
    if (b) {
      var nav = document.getElementById(b.getAttribute("aria-controls"));
      var open = nav.classList.toggle("open");
      b.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("htmx:afterSettle", enhance);
})();
