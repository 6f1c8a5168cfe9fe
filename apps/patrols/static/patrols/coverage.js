// The coverage map: grids shaded by how many nights of the week had a patrol in the
// second half of the night (00:00–06:00), so a gap shows at a glance.
import { fitTo, label, readJSON, text } from "./maputil.js";

const config = readJSON("coverage-config");
const t = config.strings;

export function shade(nights, over) {
  // Share of the week's nights so far whose second half was watched.
  if (!over) return "#b0bec5";
  const share = nights / over;
  if (share >= 1) return "#2e7d32";
  if (share >= 0.5) return "#fbc02d";
  if (share > 0) return "#ef6c00";
  return "#c62828";
}

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  if (map.getContainer().id !== "coverage-map") return;
  const layer = L.geoJSON(config.geojson, {
    style: (feature) => ({
      color: "#37474f",
      weight: 1.5,
      fillColor: shade(feature.properties.second_half_nights, feature.properties.nights_over),
      fillOpacity: 0.55,
      className: `pt-grid pt-coverage-${feature.properties.second_half_nights}`,
    }),
    onEachFeature: (feature, gridLayer) => {
      const p = feature.properties;
      label(gridLayer, `${p.code} · ${p.second_half_nights}/${p.nights_over}`);
      const div = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = p.code;
      const last = p.last_patrolled ? new Date(p.last_patrolled).toLocaleString() : t.never;
      div.append(
        title,
        document.createElement("br"),
        text(t.nights, { n: p.second_half_nights, over: p.nights_over }),
        document.createElement("br"),
        text(t.hours, { night: p.night_hours, second: p.second_half_hours }),
        document.createElement("br"),
        last,
      );
      gridLayer.bindPopup(div);
    },
  }).addTo(map);
  fitTo(map, [layer]);
});
