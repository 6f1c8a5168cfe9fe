// One record's place in its surroundings, for the small map on a record's page (a report,
// a work): the grids around it outlined and labelled with their codes, the compounds with
// their names, the buildings with their numbers. Without a basemap (the default: no tile
// requests) a lone marker says nothing; these layers are what lets a person recognise the
// place. Data comes from the layer registry's GeoJSON endpoints, fetched by bbox.
//
// showSurroundings(map, { focus, layers, grid }) centres the map on the record (`focus`, a
// LatLngBounds: a point's is empty) at street level, outlines its grid (`grid`, a code)
// more strongly than the others, and draws the layers under the record. The container gets data-gm-surroundings = loading | ready | error and
// data-gm-grids / data-gm-compounds / data-gm-buildings (feature counts) for tests.

const STYLES = {
  grids: { color: "#1565c0", weight: 2, fillOpacity: 0, dashArray: "6 4" },
  focusGrid: { color: "#0d47a1", weight: 3.5, fillColor: "#1565c0", fillOpacity: 0.05 },
  compounds: { color: "#2e7d32", weight: 1.5, fillColor: "#a5d6a7", fillOpacity: 0.25 },
  buildings: { color: "#5d4037", weight: 1, fillColor: "#bcaaa4", fillOpacity: 0.7 },
};
// Labels appear from these zooms on, so they stay readable instead of piling up.
const LABEL_ZOOM = { compounds: 16, buildings: 17 };
const MIN_ZOOM = 16;
const POINT_ZOOM = 17;
const MAX_ZOOM = 18;
const ZOOM_CONTROL = { x: 52, y: 84 }; // px: the area Leaflet's +/- buttons cover
const AROUND_DEG = 0.003; // ~300 m: where to look for the record's grid

function bboxParam(bounds) {
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(6)).join(",");
}

async function fetchLayer(url, bounds, signal) {
  const response = await fetch(`${url}?bbox=${bboxParam(bounds)}&limit=2000`, {
    headers: { Accept: "application/geo+json" },
    credentials: "same-origin",
    signal,
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

// Where a grid's code goes: the top-left corner of the part of the grid in view, so the
// code of the record's grid shows even when the grid's centre is off the map, and it does
// not sit on the compound names (which are centred).
function labelPoint(map, shape) {
  const view = map.getBounds();
  const box = shape.getBounds();
  if (!view.intersects(box)) return null;
  const north = Math.min(view.getNorth(), box.getNorth());
  const west = Math.max(view.getWest(), box.getWest());
  const corner = map.latLngToContainerPoint([north, west]).add([4, 12]);
  // Not under the zoom buttons in the top-left corner.
  if (corner.y < ZOOM_CONTROL.y && corner.x < ZOOM_CONTROL.x) corner.x = ZOOM_CONTROL.x;
  return map.containerPointToLatLng(corner);
}

function labelOf(name, properties) {
  if (name === "grids") return properties.code;
  if (name === "compounds") return properties.name;
  return properties.number || properties.name;
}

// The labels' stylesheet comes with the module, so a page that uses it needs nothing else.
function ensureStylesheet() {
  const href = new URL("./surroundings.css", import.meta.url).href;
  if ([...document.styleSheets].some((sheet) => sheet.href === href)) return;
  if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

export async function showSurroundings(map, { focus, layers, grid = "" }) {
  ensureStylesheet();
  const container = map.getContainer();
  container.dataset.gmSurroundings = "loading";
  const base = L.layerGroup().addTo(map);
  const gridLabels = L.layerGroup().addTo(map);
  const groups = {
    compounds: L.layerGroup().addTo(base),
    buildings: L.layerGroup().addTo(base),
    grids: L.layerGroup().addTo(base),
  };
  const gridShapes = [];

  const placeGridLabels = () => {
    gridLabels.clearLayers();
    for (const { shape, code, isFocus } of gridShapes) {
      const at = labelPoint(map, shape);
      if (!at) continue;
      L.tooltip({ permanent: true, direction: "right", offset: [0, 0], className: `gm-surround-label gm-surround-grid${isFocus ? " is-focus" : ""}`, interactive: false })
        .setLatLng(at)
        .setContent(code)
        .addTo(gridLabels);
    }
  };

  try {
    // 1. The grids near the record, to find the record's grid and fit the view to it.
    const around = focus.pad(0).extend(L.latLngBounds(
      [focus.getSouth() - AROUND_DEG, focus.getWest() - AROUND_DEG],
      [focus.getNorth() + AROUND_DEG, focus.getEast() + AROUND_DEG],
    ));
    const grids = await fetchLayer(layers.grids, around);
    L.geoJSON(grids, {
      interactive: false,
      style: (feature) => (feature.properties.code === grid ? STYLES.focusGrid : STYLES.grids),
      onEachFeature: (feature, shape) => {
        gridShapes.push({ shape, code: feature.properties.code, isFocus: feature.properties.code === grid });
      },
    }).addTo(groups.grids);
    container.dataset.gmGrids = String(grids.features.length);

    // A point record: centred at street level (buildings get their numbers). A shape
    // (a line, an area): all of it in view, but never so far out that the place is lost.
    if (focus.getNorth() === focus.getSouth() && focus.getEast() === focus.getWest()) {
      map.setView(focus.getCenter(), POINT_ZOOM, { animate: false });
    } else {
      map.fitBounds(focus, { padding: [24, 24], maxZoom: MAX_ZOOM, animate: false });
      if (map.getZoom() < MIN_ZOOM) map.setView(focus.getCenter(), MIN_ZOOM, { animate: false });
    }
    placeGridLabels();
    map.on("moveend zoomend", placeGridLabels);

    // 2. Compounds and buildings in (and a little around) the view; again when the view
    // leaves what was loaded.
    let loaded = null;
    let controller = null;
    const cache = { compounds: null, buildings: null };
    const render = () => {
      for (const name of ["compounds", "buildings"]) {
        const data = cache[name];
        if (!data) continue;
        groups[name].clearLayers();
        const labelled = map.getZoom() >= LABEL_ZOOM[name];
        L.geoJSON(data, {
          interactive: false,
          style: STYLES[name],
          onEachFeature: (feature, shape) => {
            const label = labelOf(name, feature.properties);
            if (label && labelled) {
              // A free-standing label at the middle of the shape's box: bound tooltips of
              // small polygons drift off their shape when the map is re-laid out.
              L.tooltip({ permanent: true, direction: "center", interactive: false, className: `gm-surround-label gm-surround-${name.slice(0, -1)}` })
                .setLatLng(shape.getBounds().getCenter())
                .setContent(label)
                .addTo(groups[name]);
            }
          },
        }).addTo(groups[name]);
        container.dataset[`gm${name[0].toUpperCase()}${name.slice(1)}`] = String(data.features.length);
      }
    };
    const refresh = async () => {
      if (loaded && loaded.contains(map.getBounds())) return;
      if (controller) controller.abort();
      controller = new AbortController();
      const bounds = map.getBounds().pad(0.5);
      [cache.compounds, cache.buildings] = await Promise.all([
        fetchLayer(layers.compounds, bounds, controller.signal),
        fetchLayer(layers.buildings, bounds, controller.signal),
      ]);
      loaded = bounds;
      render();
    };
    map.on("zoomend", render);
    await refresh();
    map.on("moveend", () => refresh().catch(() => {}));
    container.dataset.gmSurroundings = "ready";
  } catch (error) {
    // The record's own marker still shows; the page says nothing is lost.
    if (error.name !== "AbortError") container.dataset.gmSurroundings = "error";
  }
  return base;
}
