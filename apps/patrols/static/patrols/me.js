// "My area": my grids highlighted, buildings, and "locate me" answered by PostGIS.
import { STYLES, fitTo, getPosition, label, readJSON, text } from "./maputil.js";

const data = readJSON("me-data");
const t = readJSON("me-strings");
const config = readJSON("me-config");
let youMarker = null;

function setUp(map) {
  const others = L.geoJSON(data.others, { style: () => ({ ...STYLES.grid, className: "pt-grid-other" }) }).addTo(map);
  const mine = L.geoJSON(data.mine, {
    style: () => ({ ...STYLES.gridMine, className: "pt-grid-mine" }),
    onEachFeature: (feature, layer) => label(layer, feature.properties.code),
  }).addTo(map);
  L.geoJSON(data.buildings, {
    style: () => ({ ...STYLES.building, className: "pt-building" }),
    onEachFeature: (feature, layer) => {
      const p = feature.properties;
      const div = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = p.number;
      div.append(title, document.createElement("br"), `${p.head_name || "–"} · ${p.households ?? "–"}`);
      layer.bindPopup(div);
    },
  }).addTo(map);
  fitTo(map, [mine.getLayers().length ? mine : others]);

  const button = document.getElementById("locate-me");
  const result = document.getElementById("locate-result");
  const say = (message, state) => {
    result.textContent = message;
    result.dataset.state = state;
    result.hidden = false;
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    say(t.locating, "loading");
    try {
      const position = await getPosition();
      const { latitude: lat, longitude: lng } = position.coords;
      const response = await fetch(`${config.locate_url}?lat=${lat}&lng=${lng}`, { credentials: "same-origin" });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.detail || response.status);
      const parts = [];
      if (answer.inside) parts.push(text(answer.inside.mine ? t.inside_mine : t.inside_other, answer.inside));
      else parts.push(t.outside);
      if (answer.nearest_mine && !(answer.inside && answer.inside.mine)) {
        parts.push(text(t.nearest, { code: answer.nearest_mine.code, distance: Math.round(answer.nearest_mine.distance_m) }));
      }
      say(parts.join(" "), answer.inside && answer.inside.mine ? "inside" : "outside");
      if (youMarker) youMarker.remove();
      youMarker = L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#1e88e5", fillOpacity: 1, className: "pt-you" })
        .bindTooltip(t.you)
        .addTo(map);
      map.setView([lat, lng], Math.max(map.getZoom(), 16));
    } catch (error) {
      const code = error && error.code;
      say(code === -1 ? t.no_geolocation : code === 1 ? t.denied : t.failed, "error");
    } finally {
      button.disabled = false;
    }
  });
}

window.addEventListener("map:init", (event) => {
  if (event.detail.map.getContainer().id === "me-map") setUp(event.detail.map);
});
