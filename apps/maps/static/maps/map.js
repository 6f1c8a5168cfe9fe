// The map page: every registered layer from /api/layers/<name>.geojson, over an optional
// basemap. Config and translated strings come from json_script blocks in the template.
//
// For tests and debugging, the map container carries per layer:
//   data-gm-state-<layer>  loading | ready | error | zoom (below min_zoom) | off (unchecked)
//   data-gm-count-<layer>  features drawn from the last response
//   data-gm-bbox-<layer>   the bbox of the last request (minlon,minlat,maxlon,maxlat)
//   data-gm-mode-<layer>   geojson | tiles (layers flagged `tiles` in the registry only)
//
// A `tiles` layer asks for at most config.tile_threshold + 1 GeoJSON features; when it gets
// more than the threshold, the view is drawn from vector tiles instead (vectortiles.js) until
// the map leaves the area of that request.

import { basemapLayer } from "./basemap.js";
import { exportControl } from "./export.js";
import { installGcj02Display } from "./gcj02.js";
import { legendControl } from "./legend.js";
import { facilityMarker } from "./markers.js";
import { makeFormatter, popupContent } from "./popups.js";
import { vectorTileLayer, vectorTilesAvailable } from "./vectortiles.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const t = JSON.parse(document.getElementById("map-strings").textContent);
const fmt = makeFormatter(config, t);
const kinds = Object.fromEntries(config.kinds.map((kind) => [kind.code, kind]));

// Grid codes are only readable from this zoom on; below it they are hidden by CSS.
const LABEL_MIN_ZOOM = 15;
// Facility points cluster below this zoom (leaflet.markercluster).
const CLUSTER_UNTIL_ZOOM = 16;
const PHONE = window.matchMedia("(max-width: 600px)");

const STYLES = {
  communities: { color: "#c62828", weight: 3, fillColor: "#c62828", fillOpacity: 0.03 },
  grids: { color: "#1565c0", weight: 2, fillColor: "#1565c0", fillOpacity: 0.06 },
  compounds: { color: "#2e7d32", weight: 1.5, dashArray: "5 4", fillColor: "#66bb6a", fillOpacity: 0.12 },
  buildings: { color: "#5d4037", weight: 1, fillColor: "#a1887f", fillOpacity: 0.55 },
  facilities: { color: "#455a64", weight: 4, fillColor: "#455a64", fillOpacity: 0.3 },
  works: { color: "#fb8c00", weight: 3, dashArray: "6 4", fillColor: "#fb8c00", fillOpacity: 0.15 },
};

function escapeHtml(text) {
  // Leaflet's layer control inserts names as HTML; our titles are plain text.
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function featureStyle(layerName, feature) {
  const base = { ...STYLES[layerName], className: `gm-feature gm-layer-${layerName}` };
  if (layerName !== "facilities") return base;
  const kind = kinds[feature.properties.kind];
  const colour = kind ? kind.colour : base.color;
  return {
    ...base,
    color: colour,
    fillColor: colour,
    dashArray: feature.properties.kind === "fence" ? "2 6" : null,
    className: `${base.className} gm-kind-${feature.properties.kind}`,
  };
}

// Points of layers other than facilities (e.g. works) are small discs in the layer's pane.
function pointMarker(layerName, feature, latlng) {
  if (layerName === "facilities") return facilityMarker(kinds, feature, latlng);
  return L.circleMarker(latlng, { radius: 6, ...featureStyle(layerName, feature), pane: `gm-${layerName}` });
}

class Messages {
  // The loading indicator, the zoom hint and fetch errors, shown over the map.
  constructor() {
    this.status = document.getElementById("map-status");
    this.notice = document.getElementById("map-notice");
    this.error = document.getElementById("map-error");
    this.loading = new Set();
    this.errors = new Map();
    this.hints = new Map();
  }

  setLoading(name, on) {
    if (on) this.loading.add(name);
    else this.loading.delete(name);
    this.status.querySelector(".map-status-text").textContent = t.loading;
    this.status.hidden = this.loading.size === 0;
  }

  setError(name, message) {
    if (message) this.errors.set(name, message);
    else this.errors.delete(name);
    this.error.textContent = [...this.errors.values()].join(" ");
    this.error.hidden = this.errors.size === 0;
  }

  setHint(name, message) {
    if (message) this.hints.set(name, message);
    else this.hints.delete(name);
    this.notice.textContent = [...this.hints.values()].join(" ");
    this.notice.hidden = this.hints.size === 0;
  }
}

class LayerLoader {
  // Fetches one layer for the current view and redraws it; skips the request while the
  // view stays inside the area already loaded.
  constructor(map, layer, group, messages) {
    Object.assign(this, { map, layer, group, messages });
    this.loadedBounds = null;
    this.truncated = false;
    this.controller = null;
    this.tileLayer = null; // the VectorGrid while in tiles mode
    this.usesTiles = Boolean(layer.tiles && layer.tiles_url) && vectorTilesAvailable();
  }

  mark(key, value) {
    this.map.getContainer().dataset[`gm${key}${this.layer.name.replace(/^./, (c) => c.toUpperCase())}`] = value;
  }

  reset(state) {
    if (this.controller) this.controller.abort();
    this.group.clearLayers();
    this.tileLayer = null;
    this.loadedBounds = null;
    this.messages.setLoading(this.layer.name, false);
    this.messages.setError(this.layer.name, null);
    this.messages.setHint(this.layer.name, null);
    this.mark("State", state);
    this.mark("Count", "0");
  }

  refresh() {
    const { map, layer } = this;
    if (!map.hasLayer(this.group)) return this.reset("off");
    if (map.getZoom() < layer.min_zoom) return this.reset("zoom");
    const view = map.getBounds();
    if (this.loadedBounds && !this.truncated && this.loadedBounds.contains(view)) return;
    // A margin of a fifth of the view on each side: short pans need no new request, and a
    // request carries about twice the view's area, not four times (city-scale layers).
    this.load(view.pad(0.2));
  }

  async load(bounds) {
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const bbox = [
      clamp(bounds.getWest(), -180, 180),
      clamp(bounds.getSouth(), -90, 90),
      clamp(bounds.getEast(), -180, 180),
      clamp(bounds.getNorth(), -90, 90),
    ].map((v) => v.toFixed(6)).join(",");
    this.mark("State", "loading");
    this.messages.setLoading(this.layer.name, true);
    try {
      // One more than the threshold tells "more than the threshold" apart from "exactly".
      const limit = this.usesTiles ? `&limit=${config.tile_threshold + 1}` : "";
      const response = await fetch(`${this.layer.url}?bbox=${bbox}${limit}`, {
        signal: controller.signal,
        headers: { Accept: "application/geo+json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      if (controller.signal.aborted) return;
      if (this.usesTiles && data.numberReturned > config.tile_threshold) {
        this.showTiles(bounds, bbox);
        return;
      }
      if (this.usesTiles) this.mark("Mode", "geojson");
      this.draw(data);
      this.loadedBounds = bounds;
      this.truncated = data.numberReturned >= config.feature_limit;
      const hint = t.truncated.replace("%(layer)s", this.layer.title).replace("%(count)s", fmt.number(data.numberReturned));
      this.messages.setHint(this.layer.name, this.truncated ? hint : null);
      this.messages.setError(this.layer.name, null);
      this.mark("Bbox", bbox);
      this.mark("Count", String(data.features.length));
      this.mark("State", "ready");
    } catch (error) {
      if (controller.signal.aborted) return;
      this.messages.setError(this.layer.name, t.load_failed.replace("%(layer)s", this.layer.title));
      this.mark("State", "error");
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.messages.setLoading(this.layer.name, false);
      }
    }
  }

  showTiles(bounds, bbox) {
    const name = this.layer.name;
    if (!this.tileLayer) {
      this.group.clearLayers();
      this.tileLayer = vectorTileLayer(this.map, this.layer, {
        pane: `gm-${name}`,
        style: (properties) => featureStyle(name, { properties }),
        popup: (properties) => popupContent(name, { properties }, fmt, config, t),
      });
      this.tileLayer.on("loading", () => this.mark("State", "loading"));
      // While a new GeoJSON request decides the mode, that request owns the state.
      this.tileLayer.on("load", () => this.controller || this.mark("State", "ready"));
      this.group.addLayer(this.tileLayer);
    }
    this.loadedBounds = bounds;
    this.truncated = false;
    this.messages.setHint(name, null);
    this.messages.setError(name, null);
    this.mark("Mode", "tiles");
    this.mark("Bbox", bbox);
    this.mark("Count", ""); // tiles hold the features; there is no one response to count
    this.mark("State", this.tileLayer.isLoading() ? "loading" : "ready");
  }

  draw(data) {
    const name = this.layer.name;
    const geojson = L.geoJSON(data, {
      pane: `gm-${name}`,
      style: (feature) => featureStyle(name, feature),
      pointToLayer: (feature, latlng) => pointMarker(name, feature, latlng),
      onEachFeature: (feature, layer) => {
        layer.bindPopup(() => popupContent(name, feature, fmt, config, t), { maxWidth: 280 });
        const label = this.layer.label_field === "code" ? feature.properties.code : null;
        if (label) {
          const text = document.createElement("span");
          text.textContent = label;
          layer.bindTooltip(text, { permanent: true, direction: "center", className: "gm-grid-label" });
        }
      },
    });
    this.group.clearLayers();
    this.tileLayer = null;
    this.group.addLayer(geojson);
  }
}

function addBasemap(map, control) {
  let first = true;
  for (const tiles of config.basemap) {
    const layer = basemapLayer(tiles);
    if (!layer) continue;
    if (tiles.overlay) control.addOverlay(layer, escapeHtml(tiles.name));
    else control.addBaseLayer(layer, escapeHtml(tiles.name));
    if (tiles.overlay || first) layer.addTo(map);
    if (!tiles.overlay) first = false;
  }
}

function setUpMap(map) {
  const messages = new Messages();
  const control = L.control.layers(null, null, { collapsed: PHONE.matches });
  addBasemap(map, control);
  installGcj02Display(map); // AMap tiles are GCJ-02: overlays shift while they show

  const loaders = config.layers.map((layer, index) => {
    map.createPane(`gm-${layer.name}`).style.zIndex = String(410 + index * 10);
    // Facility points cluster when zoomed out; without the plugin they are simply all drawn.
    const clustered = layer.name === "facilities" && typeof L.markerClusterGroup === "function";
    const group = clustered
      ? L.markerClusterGroup({ disableClusteringAtZoom: CLUSTER_UNTIL_ZOOM, showCoverageOnHover: false })
      : L.layerGroup();
    group.addTo(map);
    control.addOverlay(group, escapeHtml(layer.title));
    const loader = new LayerLoader(map, layer, group, messages);
    group.on("add", () => loader.refresh());
    group.on("remove", () => loader.reset("off"));
    return loader;
  });
  control.addTo(map);
  legendControl(config, t, STYLES, { open: !PHONE.matches }).addTo(map);
  if (config.export) exportControl(map, config, t).addTo(map);

  const refreshAll = () => {
    map.getContainer().classList.toggle("gm-hide-labels", map.getZoom() < LABEL_MIN_ZOOM);
    const hidden = loaders.filter((l) => map.hasLayer(l.group) && map.getZoom() < l.layer.min_zoom);
    messages.setHint("zoom", hidden.length ? t.zoom_in.replace("%(layers)s", fmt.list(hidden.map((l) => l.layer.title))) : null);
    loaders.forEach((loader) => loader.refresh());
  };

  if (config.extent) {
    const [minLon, minLat, maxLon, maxLat] = config.extent;
    map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { padding: [8, 8], animate: false });
  }
  map.on("moveend", refreshAll);
  refreshAll();
}

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id === "map") setUpMap(map);
});
