// One basemap layer from its description (apps.maps.basemaps.tile_layers): raster tiles for
// OSM, Tianditu and AMap; a self-hosted PMTiles vector file drawn by protomaps-leaflet
// (loaded by {% basemap_js %} only when such a file is configured).

export function basemapLayer(spec) {
  if (spec.kind === "pmtiles") {
    if (typeof protomapsL === "undefined") return null;
    // eslint-disable-next-line no-undef
    return protomapsL.leafletLayer({
      url: spec.url,
      flavor: "light",
      lang: spec.options.lang || "zh",
      attribution: spec.options.attribution,
      maxZoom: spec.options.maxZoom,
    });
  }
  return L.tileLayer(spec.url, spec.options);
}
