// A work's page: its site on a small map, in its status colour, in its surroundings (the
// grid it lies in with its code, compounds, buildings with their numbers).

import { addBasemap } from "./basemap.js";
import { showSurroundings } from "../maps/surroundings.js";

const site = JSON.parse(document.getElementById("work-site").textContent);

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id !== "work-map") return;
  addBasemap(map, site.basemap);
  const style = { color: site.colour, weight: 4, fillColor: site.colour, fillOpacity: 0.3, radius: 9, pane: "markerPane" };
  const shape = L.geoJSON(JSON.parse(site.geometry), {
    style,
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, style),
  }).addTo(map);
  map.fitBounds(shape.getBounds(), { maxZoom: 17, padding: [20, 20], animate: false });
  showSurroundings(map, { focus: shape.getBounds(), layers: site.layers, grid: site.grid });
});
