// The small map of an OGC API items or item page: the features of the page, fitted.
// Features come from the page's json_script block (a list, or one feature).

const data = JSON.parse(document.getElementById("ogc-features").textContent);
const features = Array.isArray(data) ? data : [data];

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id !== "ogc-map") return;
  const layer = L.geoJSON({ type: "FeatureCollection", features }, {
    style: { color: "#1565c0", weight: 2, fillOpacity: 0.15 },
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 6, color: "#1565c0" }),
    onEachFeature: (feature, shape) => shape.bindTooltip(String(feature.id)),
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 18, animate: false });
  map.getContainer().dataset.ogcCount = String(features.length);
});
