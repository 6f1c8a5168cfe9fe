// A layer drawn from our vector tiles (/tiles/<layer>/{z}/{x}/{y}.pbf, one MVT layer named
// after the map layer) with Leaflet.VectorGrid, for views with too many features for GeoJSON.
//
// Features are drawn as SVG (VectorGrid's canvas renderer calls L.DomEvent.fakeStop, which
// Leaflet 1.8+ no longer has), interactive, so a click opens the same popup as GeoJSON does.

export function vectorTilesAvailable() {
  return typeof L.vectorGrid?.protobuf === "function";
}

// `style(properties)` gives the Leaflet path options of a feature; `popup(properties)` the
// popup's DOM content.
export function vectorTileLayer(map, layer, { pane, style, popup }) {
  const point = layer.geometry_type.endsWith("Point");
  const grid = L.vectorGrid.protobuf(layer.tiles_url, {
    pane,
    interactive: true,
    // The MVT feature id is the row id (ST_AsMVT's feature_id_name).
    getFeatureId: (feature) => feature.id,
    minZoom: layer.min_zoom,
    maxNativeZoom: 22,
    // Members see their community's rows: send the session cookie with tile requests.
    fetchOptions: { credentials: "same-origin" },
    vectorTileLayerStyles: {
      [layer.name]: (properties) => ({ ...style(properties), fill: true, ...(point ? { radius: 6 } : {}) }),
    },
  });
  grid.on("click", (event) => {
    L.popup({ maxWidth: 280 })
      .setLatLng(event.latlng)
      .setContent(popup(event.layer.properties || {}))
      .openOn(map);
  });
  return grid;
}
