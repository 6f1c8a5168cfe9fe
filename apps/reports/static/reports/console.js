// The console's map: the reports the list's filters select, from the console's GeoJSON
// endpoint (the registry layer's fields). A marker links to the report's page; hovering a
// row highlights its marker. The map container carries data-rp-state (loading | ready |
// error) and data-rp-count for tests.

const config = JSON.parse(document.getElementById("console-config").textContent);
const t = JSON.parse(document.getElementById("console-strings").textContent);

const COLOURS = {
  submitted: "#e07b00",
  accepted: "#1565c0",
  rejected: "#78909c",
  dispatched: "#5e35b1",
  in_progress: "#5e35b1",
  handled: "#00897b",
  verified: "#00897b",
  closed: "#2e7d32",
};

function popup(feature) {
  const p = feature.properties;
  const root = document.createElement("div");
  const title = document.createElement("strong");
  title.textContent = `${p.name} · ${p.status_label}`;
  const when = document.createElement("div");
  when.textContent = `${p.submitted_on}${p.grid_code ? ` · ${p.grid_code}` : ""}${p.is_overdue ? ` · ${t.overdue}` : ""}`;
  const link = document.createElement("a");
  link.href = config.detail_url.replace("{id}", feature.id);
  link.textContent = t.open;
  root.append(title, when, link);
  return root;
}

async function load(map) {
  const container = map.getContainer();
  const status = document.getElementById("console-map-status");
  container.dataset.rpState = "loading";
  status.textContent = t.loading;
  status.hidden = false;
  try {
    const response = await fetch(config.geojson_url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.json();
    const markers = new Map();
    const layer = L.geoJSON(data, {
      pointToLayer: (feature, latlng) => {
        const colour = COLOURS[feature.properties.status] || "#455a64";
        const marker = L.circleMarker(latlng, {
          radius: 8, color: feature.properties.is_overdue ? "#a3180d" : "#fff", weight: feature.properties.is_overdue ? 3 : 2,
          fillColor: colour, fillOpacity: 0.9, className: `rp-marker rp-marker-${feature.properties.status}`,
        });
        markers.set(String(feature.id), marker);
        return marker;
      },
      onEachFeature: (feature, marker) => marker.bindPopup(() => popup(feature)),
    }).addTo(map);
    if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17, animate: false });
    else if (config.extent) {
      const [minLon, minLat, maxLon, maxLat] = config.extent;
      map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { animate: false });
    }
    document.querySelectorAll("#report-list tr[data-report-id]").forEach((row) => {
      const marker = markers.get(row.dataset.reportId);
      if (!marker) return;
      row.addEventListener("mouseenter", () => { marker.setRadius(12); row.classList.add("rp-highlight"); });
      row.addEventListener("mouseleave", () => { marker.setRadius(8); row.classList.remove("rp-highlight"); });
    });
    status.textContent = data.features.length ? "" : t.none_on_map;
    status.hidden = data.features.length > 0;
    container.dataset.rpCount = String(data.features.length);
    container.dataset.rpState = "ready";
  } catch (error) {
    status.textContent = t.load_failed;
    container.dataset.rpState = "error";
  }
}

async function drawGrids(map) {
  // Context only: the user's grids, outlined and labelled under the reports.
  try {
    const response = await fetch(config.grids_url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    L.geoJSON(data, {
      interactive: false,
      style: { color: "#1565c0", weight: 1.5, fillOpacity: 0.03 },
      onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.code, { permanent: true, direction: "center", className: "rp-grid-label" }),
    }).addTo(map).bringToBack();
  } catch (error) {
    // The reports still show without the outlines.
  }
}

// On a phone the filters fold away, unless one is on: the reports come first.
const filterPanel = document.getElementById("filter-panel");
if (filterPanel && !filterPanel.dataset.active && window.matchMedia("(max-width: 719px)").matches) {
  filterPanel.open = false;
}

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id !== "console-map") return;
  drawGrids(map);
  load(map);
});
