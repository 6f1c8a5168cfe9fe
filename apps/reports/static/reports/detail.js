// A report's page in the console: the small map shows the report's place in its
// surroundings (its grid outlined with the code, compounds, buildings with their numbers)
// and the report itself as a red marker on top.

import { showSurroundings } from "../maps/surroundings.js";

const config = JSON.parse(document.getElementById("detail-map-config").textContent);

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id !== "detail-map") return;
  const [lat, lon] = config.point;
  map.setView([lat, lon], 17, { animate: false });
  L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 3, fillColor: "#c62828", fillOpacity: 1, className: "rp-report-marker", pane: "markerPane" })
    .bindTooltip(config.marker_label, { direction: "top", offset: [0, -8] })
    .addTo(map);
  showSurroundings(map, { focus: L.latLngBounds([lat, lon], [lat, lon]), layers: config.layers, grid: config.grid });
});
