// Veilig: the map (Leaflet, when present) on pages with a #map element. No inline scripts:
// the page's Content-Security-Policy allows only scripts from the app itself.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("map");
    if (!el || !window.L || el.dataset.drawn) return;
    el.dataset.drawn = "1";
    var map = L.map(el, { zoomControl: true, attributionControl: true });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var layers = {};
    fetch(el.dataset.areas, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (areas) {
      var outline = L.geoJSON(areas, {
        style: { color: "#222", weight: 1.5, fillColor: "#ffffff", fillOpacity: el.dataset.tiles ? 0.1 : 0.6 },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.code + " " + f.properties.name, { permanent: false });
        }
      }).addTo(map);
      layers[el.dataset.labelAreas] = outline;
      if (outline.getBounds().isValid()) map.fitBounds(outline.getBounds());
      if (!el.dataset.hotspots) { L.control.layers(null, layers).addTo(map); return; }
      return fetch(el.dataset.hotspots, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (hot) {
        var heat = L.geoJSON(hot, {
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
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
