// The planner's view: works on the map and in the table, kept in step. Clicking a row
// highlights its work on the map and pans there; clicking a work on the map highlights its
// row. The timeline chart (timeline.js) selects the same way.
//
// Without a basemap the works would float in blank space, so the planner's communities are
// drawn as outlines with their names (and how many works each has), and the map opens on
// the district where most of the works are (config.home); the community list on the map
// jumps to any of them. A filtered map fits the works it shows.
//
// For tests, the map container carries data-gm-state (loading | ready | error),
// data-gm-count (works drawn), data-gm-selected (the selected work's id), data-gm-zoom and
// data-gm-view (the visible bounds: west,south,east,north).

import { addBasemap } from "./basemap.js";
import { drawTimeline } from "./timeline.js";

const config = JSON.parse(document.getElementById("works-config").textContent);
const t = JSON.parse(document.getElementById("works-strings").textContent);
const colours = Object.fromEntries(config.statuses.map((s) => [s.code, s.colour]));
const labels = Object.fromEntries(config.statuses.map((s) => [s.code, s.label]));
const table = document.getElementById("works-table");

function baseStyle(feature) {
  const colour = colours[feature.properties.status] || "#555";
  return {
    color: colour,
    weight: 3,
    opacity: 0.95,
    fillColor: colour,
    fillOpacity: 0.3,
    radius: 7,
    className: `gm-work gm-work-${feature.id}`,
  };
}

const SELECTED = { weight: 6, opacity: 1, fillOpacity: 0.55, radius: 11, color: "#111" };

function popupFor(feature) {
  const p = feature.properties;
  const root = document.createElement("div");
  root.className = "gm-popup";
  const title = document.createElement("h3");
  title.className = "gm-popup-title";
  title.textContent = p.name;
  const facts = document.createElement("p");
  facts.textContent = `${labels[p.status] || p.status} · ${t.progress} ${p.progress_percent}%`;
  const link = document.createElement("a");
  link.href = config.detail_url.replace("/0/", `/${feature.id}/`);
  link.textContent = t.open_work;
  root.append(title, facts, link);
  return root;
}

function legendControl() {
  const Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      const details = document.createElement("details");
      details.className = "works-legend leaflet-control";
      details.open = !window.matchMedia("(max-width: 600px)").matches;
      const summary = document.createElement("summary");
      summary.textContent = t.legend;
      const list = document.createElement("ul");
      for (const status of config.statuses) {
        const item = document.createElement("li");
        item.dataset.status = status.code;
        const dot = document.createElement("span");
        dot.className = "works-dot";
        dot.style.setProperty("--gm-status", status.colour);
        item.append(dot, document.createTextNode(status.label));
        list.append(item);
      }
      details.append(summary, list);
      L.DomEvent.disableClickPropagation(details);
      return details;
    },
  });
  return new Legend();
}

class WorksMap {
  constructor(map) {
    this.map = map;
    this.byId = new Map();
    this.selected = null;
    this.status = document.getElementById("works-map-status");
    this.container = map.getContainer();
  }

  setState(state, message) {
    this.container.dataset.gmState = state;
    this.status.textContent = message || "";
    this.status.hidden = !message;
    this.status.classList.toggle("is-error", state === "error");
  }

  async load() {
    this.setState("loading", t.loading);
    try {
      const response = await fetch(config.geojson_url, {
        headers: { Accept: "application/geo+json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.draw(await response.json());
    } catch (error) {
      this.setState("error", t.load_failed);
    }
  }

  draw(data) {
    const layer = L.geoJSON(data, {
      style: baseStyle,
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, baseStyle(feature)),
      onEachFeature: (feature, shape) => {
        this.byId.set(String(feature.id), shape);
        shape.bindPopup(() => popupFor(feature), { maxWidth: 260 });
        shape.on("click", () => this.select(String(feature.id), { fromMap: true }));
      },
    }).addTo(this.map);
    this.container.dataset.gmCount = String(data.features.length);
    if (data.features.length) {
      if (config.home) {
        const [minLon, minLat, maxLon, maxLat] = config.home;
        // Quarter zoom steps: the district's communities fill the map instead of a quarter of it.
        this.map.options.zoomSnap = 0.25;
        this.map.fitBounds([[minLat, minLon], [maxLat, maxLon]], {
          paddingTopLeft: [40, 40],
          paddingBottomRight: [40, 10],
          animate: false,
        });
      } else {
        this.map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16, animate: false });
      }
      this.setState("ready", "");
    } else {
      this.setState("ready", t.none_on_map);
    }
  }

  select(id, { fromMap = false } = {}) {
    if (this.selected && this.byId.has(this.selected)) {
      const previous = this.byId.get(this.selected);
      previous.setStyle(baseStyle(previous.feature));
      if (previous.setRadius) previous.setRadius(baseStyle(previous.feature).radius);
    }
    this.selected = id;
    this.container.dataset.gmSelected = id;
    const shape = this.byId.get(id);
    if (shape) {
      shape.setStyle({ ...SELECTED, fillColor: colours[shape.feature.properties.status] });
      if (shape.setRadius) shape.setRadius(SELECTED.radius);
      shape.bringToFront();
      if (!fromMap) {
        const bounds = shape.getBounds ? shape.getBounds() : L.latLngBounds([shape.getLatLng()]);
        this.map.fitBounds(bounds, { maxZoom: 17, padding: [40, 40] });
      }
    }
    highlightRow(id, { scroll: fromMap });
  }
}

function highlightRow(id, { scroll }) {
  if (!table) return;
  for (const row of table.querySelectorAll("tbody tr")) {
    const on = row.dataset.workId === id;
    row.classList.toggle("is-selected", on);
    row.setAttribute("aria-selected", on ? "true" : "false");
    if (on && scroll) row.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
}

function fitOutline(map, shape) {
  map.fitBounds(shape.getBounds(), { padding: [20, 20], maxZoom: 16 });
}

function drawCommunities(map) {
  const shapes = [];
  for (const community of config.communities || []) {
    const shape = L.geoJSON(community.outline, {
      style: {
        color: "#5d6b7a",
        weight: 1.5,
        dashArray: "5 4",
        fillColor: "#5d6b7a",
        fillOpacity: community.works ? 0.06 : 0.02,
        className: "gm-community",
      },
      interactive: false,
    }).addTo(map);
    // The name sits above the outline, so it never covers the works inside.
    const bounds = shape.getBounds();
    L.tooltip({ permanent: true, direction: "top", className: "works-community-label" })
      .setLatLng([bounds.getNorth(), bounds.getCenter().lng])
      .setContent(community.label)
      .addTo(map);
    shapes.push([community, shape]);
  }
  return shapes;
}

function communityControl(map, shapes) {
  const Jump = L.Control.extend({
    options: { position: "topright" },
    onAdd() {
      const box = document.createElement("nav");
      box.className = "works-communities leaflet-control";
      box.setAttribute("aria-label", t.communities);
      const all = document.createElement("button");
      all.type = "button";
      all.textContent = t.all_communities;
      all.addEventListener("click", () => {
        const bounds = L.latLngBounds([]);
        for (const [, shape] of shapes) bounds.extend(shape.getBounds());
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
      });
      box.append(all);
      for (const [community, shape] of shapes) {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.community = community.code;
        button.textContent = community.name;
        button.addEventListener("click", () => fitOutline(map, shape));
        box.append(button);
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
  });
  return new Jump();
}

function recordView(map) {
  const container = map.getContainer();
  const b = map.getBounds();
  container.dataset.gmZoom = String(map.getZoom());
  container.dataset.gmView = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
    .map((v) => v.toFixed(6))
    .join(",");
}

function setUp(map) {
  const works = new WorksMap(map);
  map.on("moveend zoomend", () => recordView(map));
  addBasemap(map, config.basemap);
  const shapes = drawCommunities(map);
  if (shapes.length > 1) communityControl(map, shapes).addTo(map);
  legendControl().addTo(map);
  if (config.extent) {
    const [minLon, minLat, maxLon, maxLat] = config.extent;
    map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { animate: false });
  }
  if (table) {
    table.addEventListener("click", (event) => {
      if (event.target.closest("a")) return; // the name links to the work's page
      const row = event.target.closest("tr[data-work-id]");
      if (row) works.select(row.dataset.workId);
    });
    table.addEventListener("keydown", (event) => {
      const row = event.target.closest("tr[data-work-id]");
      if (row && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        works.select(row.dataset.workId);
      }
    });
  }
  const canvas = document.getElementById("works-timeline");
  if (canvas && window.Chart) {
    drawTimeline(canvas, config, t, colours, (id) => works.select(String(id)));
  }
  works.load();
}

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id === "works-map") setUp(map);
});
