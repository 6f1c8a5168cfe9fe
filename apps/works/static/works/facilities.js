// The public facility map: open facilities by kind (the map page's symbols and popups),
// sites under construction with their expected opening, the culture corridor with its
// length, and "nearest … to me" from the browser's location or a tapped point.
//
// For tests, the map container carries data-gm-state-facilities / data-gm-state-coming
// (loading | ready | error), data-gm-count-facilities / data-gm-count-coming, and
// data-gm-nearest-m (the distance of the last answer, in metres).

import { facilityIconElement } from "../maps/legend.js";
import { addBasemap } from "./basemap.js";
import { facilityMarker } from "../maps/markers.js";
import { makeFormatter, popupContent } from "../maps/popups.js";

const config = JSON.parse(document.getElementById("facility-config").textContent);
const t = JSON.parse(document.getElementById("facility-strings").textContent);
const fmt = makeFormatter(config, t);
const kinds = Object.fromEntries(config.kinds.map((kind) => [kind.code, kind]));
const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => values[key] ?? "");

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function distanceText(metres) {
  if (metres >= 1000) return `${(metres / 1000).toFixed(1)} ${t.unit_km}`;
  return fmt.length(metres);
}

class Status {
  constructor(map) {
    this.container = map.getContainer();
    this.box = document.getElementById("map-status");
    this.error = document.getElementById("map-error");
    this.loading = new Set();
  }

  mark(name, state, count) {
    const suffix = name[0].toUpperCase() + name.slice(1);
    this.container.dataset[`gmState${suffix}`] = state;
    if (count !== undefined) this.container.dataset[`gmCount${suffix}`] = String(count);
    if (state === "loading") this.loading.add(name);
    else this.loading.delete(name);
    this.box.querySelector(".map-status-text").textContent = t.loading;
    this.box.hidden = this.loading.size === 0;
  }

  fail(message) {
    this.error.textContent = message;
    this.error.hidden = !message;
  }
}

async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

function drawFacilities(map, data) {
  const open = data.features.filter((f) => f.properties.status === "in_service");
  const layer = L.geoJSON(
    { type: "FeatureCollection", features: open },
    {
      style: (feature) => {
        const kind = kinds[feature.properties.kind] || kinds.other;
        return { color: kind.colour, fillColor: kind.colour, weight: 5, fillOpacity: 0.3, className: `gm-kind-${kind.code}` };
      },
      pointToLayer: (feature, latlng) => facilityMarker(kinds, feature, latlng),
      onEachFeature: (feature, shape) => {
        shape.bindPopup(() => popupContent("facilities", feature, fmt, config, t), { maxWidth: 280 });
        const p = feature.properties;
        if (p.kind === "culture_corridor" && p.length_m) {
          // The corridor is walked along: say how long it is, on the map itself.
          const label = element("span", "gm-corridor-label", `${p.name} · ${fmt.length(p.length_m)}`);
          shape.bindTooltip(label, { permanent: true, direction: "top", className: "gm-corridor-tooltip" });
        }
      },
    },
  ).addTo(map);
  return { layer, count: open.length };
}

function comingPopup(feature) {
  const p = feature.properties;
  const root = element("div", "gm-popup gm-popup-coming");
  root.append(element("h3", "gm-popup-title", fmt.bilingual(p.name, p.name_en)));
  const facts = element("dl", "gm-popup-facts");
  const add = (label, value) => {
    if (value === null || value === undefined || value === "") return;
    facts.append(element("dt", null, label), element("dd", null, value));
  };
  add(t.status, config.work_statuses[p.status] || p.status);
  if (p.is_overdue) add(t.expected_opening, fill(t.delayed, { date: p.planned_end }));
  else add(t.expected_opening, p.planned_end);
  add(t.progress, `${p.progress_percent}%`);
  add(t.community, p.community_name);
  root.append(facts);
  return root;
}

function drawComing(map, data) {
  const layer = L.geoJSON(data, {
    style: () => ({ color: "#fb8c00", weight: 4, dashArray: "6 5", fillOpacity: 0.15 }),
    pointToLayer: (feature, latlng) => {
      const kind = kinds[feature.properties.site_kind] || kinds.other;
      return L.marker(latlng, {
        icon: L.divIcon({ html: facilityIconElement(kind), className: "gm-coming-marker", iconSize: [28, 28], iconAnchor: [14, 14] }),
        title: `${feature.properties.name} (${t.coming})`,
      });
    },
    onEachFeature: (feature, shape) => shape.bindPopup(() => comingPopup(feature), { maxWidth: 260 }),
  }).addTo(map);
  return { layer, count: data.features.length };
}

function legend(map) {
  const Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      const details = element("details", "gm-legend leaflet-control");
      details.open = !window.matchMedia("(max-width: 600px)").matches;
      details.append(element("summary", null, t.legend));
      const list = element("ul", "gm-legend-kinds");
      for (const kind of config.nearest_kinds) {
        const item = element("li");
        item.dataset.kind = kind.code;
        item.append(facilityIconElement(kind), document.createTextNode(kind.label));
        list.append(item);
      }
      const coming = element("li", "gm-legend-coming");
      const swatch = element("span", "gm-legend-swatch");
      swatch.style.setProperty("--gm-stroke", "#fb8c00");
      swatch.style.setProperty("--gm-fill", "#fb8c00");
      coming.append(swatch, document.createTextNode(t.coming));
      list.append(coming);
      details.append(list);
      L.DomEvent.disableClickPropagation(details);
      return details;
    },
  });
  new Legend().addTo(map);
}

class Nearest {
  constructor(map) {
    this.map = map;
    this.result = document.getElementById("nearest-result");
    this.kind = document.getElementById("nearest-kind");
    this.tap = document.getElementById("nearest-tap");
    this.drawn = L.layerGroup().addTo(map);
    this.tapping = false;
    document.getElementById("nearest-locate").addEventListener("click", () => this.locate());
    this.tap.addEventListener("click", () => this.setTapping(!this.tapping));
    this.kind.addEventListener("change", () => this.last && this.search(...this.last));
    map.on("click", (event) => {
      if (!this.tapping) return;
      this.setTapping(false);
      this.search(event.latlng.lng, event.latlng.lat);
    });
  }

  say(text, strong) {
    this.result.textContent = "";
    if (strong) this.result.append(element("strong", null, strong), document.createTextNode(" "));
    this.result.append(document.createTextNode(text));
  }

  setTapping(on) {
    this.tapping = on;
    this.tap.setAttribute("aria-pressed", on ? "true" : "false");
    this.map.getContainer().style.cursor = on ? "crosshair" : "";
    if (on) this.say(t.tap_hint);
  }

  locate() {
    if (!navigator.geolocation) return this.say(t.no_location);
    this.say(t.locating);
    navigator.geolocation.getCurrentPosition(
      (position) => this.search(position.coords.longitude, position.coords.latitude),
      () => this.say(t.no_location),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  async search(lon, lat) {
    this.last = [lon, lat];
    this.say(t.searching);
    const kind = this.kind.value;
    const query = new URLSearchParams({ kind, lon: lon.toFixed(6), lat: lat.toFixed(6) });
    let answer;
    try {
      answer = await getJSON(`${config.nearest_url}?${query}`);
    } catch (error) {
      return this.say(t.nearest_failed);
    }
    this.drawn.clearLayers();
    const here = L.marker([lat, lon], {
      icon: L.divIcon({ className: "gm-you-are-here", iconSize: [16, 16] }),
      title: t.you_are_here,
    });
    this.drawn.addLayer(here);
    if (!answer.ok) {
      const label = (kinds[kind] || {}).label || kind;
      return this.say(answer.body.detail || fill(t.none_open, { kind: label }));
    }
    const { facility, distance_m: metres, line } = answer.body;
    const path = L.geoJSON(line, { style: { color: "#1e88e5", weight: 4, dashArray: "8 6", className: "gm-nearest-line" } });
    this.drawn.addLayer(path);
    this.map.fitBounds(path.getBounds().extend([lat, lon]), { padding: [50, 50], maxZoom: 17 });
    this.map.getContainer().dataset.gmNearestM = String(metres);
    const name = fmt.bilingual(facility.name, facility.name_en);
    this.say(fill(t.distance, { name, distance: distanceText(metres) }));
    this.result.dataset.facilityId = String(facility.id);
  }
}

async function setUp(map) {
  const status = new Status(map);
  addBasemap(map, config.basemap);
  if (config.extent) {
    const [minLon, minLat, maxLon, maxLat] = config.extent;
    map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { padding: [8, 8], animate: false });
  }
  legend(map);
  new Nearest(map);
  const load = async (name, url, draw) => {
    status.mark(name, "loading");
    try {
      const { ok, body } = await getJSON(url);
      if (!ok) throw new Error("HTTP");
      status.mark(name, "ready", draw(map, body).count);
    } catch (error) {
      status.mark(name, "error");
      status.fail(t.load_failed.replace("%(layer)s", name === "facilities" ? t.open_now : t.coming));
    }
  };
  await Promise.all([
    load("facilities", config.facilities_url, drawFacilities),
    load("coming", config.coming_url, drawComing),
  ]);
}

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id === "facility-map") setUp(map);
});
