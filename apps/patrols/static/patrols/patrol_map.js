// A read-only map of a plan or patrol: area grids, planned route, checkpoints (green once
// visited on site) and the recorded track. Used by the plan, patrol and sheet pages.
import { STYLES, fitTo, label, readJSON } from "./maputil.js";

export function drawPatrol(map, data) {
  const layers = [];
  if (data.grids) {
    layers.push(
      L.geoJSON(data.grids, {
        style: () => ({ ...STYLES.gridSelected, fillOpacity: 0.12, className: "pt-grid" }),
        onEachFeature: (feature, layer) => label(layer, feature.properties.code),
      }).addTo(map),
    );
  }
  if (data.route) layers.push(L.geoJSON(data.route, { style: () => ({ ...STYLES.route, className: "pt-route" }) }).addTo(map));
  if (data.track) layers.push(L.geoJSON(data.track, { style: () => ({ ...STYLES.track, className: "pt-track" }) }).addTo(map));
  const markers = [];
  for (const [index, checkpoint] of (data.checkpoints || []).entries()) {
    const visited = (checkpoint.checkins || []).some((c) => c.on_site);
    const marker = L.marker([checkpoint.lat, checkpoint.lng], {
      icon: L.divIcon({ className: `pt-checkpoint-icon${visited ? " pt-visited" : ""}`, html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9] }),
      title: checkpoint.name,
      keyboard: false,
    }).addTo(map);
    marker.checkpointLabel = `${index + 1}. ${checkpoint.name}`;
    markers.push(marker);
  }
  if (markers.length) layers.push(L.featureGroup(markers));
  fitTo(map, layers);
  // Labels point into the map: a checkpoint near the right edge is named on its left, so a
  // narrow phone map does not cut its name off.
  const middle = map.getSize().x / 2;
  for (const marker of markers) {
    const left = map.latLngToContainerPoint(marker.getLatLng()).x > middle;
    marker.bindTooltip(marker.checkpointLabel, { permanent: true, direction: left ? "left" : "right", offset: [left ? -8 : 8, 0], className: "pt-label" });
  }
  return layers;
}

const config = readJSON("patrol-config");
if (config) {
  window.addEventListener("map:init", (event) => {
    if (event.detail.map.getContainer().id === "patrol-map") {
      drawPatrol(event.detail.map, config.instance || { ...config.plan, grids: config.grids });
    }
  });
}
