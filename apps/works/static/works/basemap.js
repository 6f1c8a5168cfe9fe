// The configured basemap (apps.maps.basemaps.tile_layers: none, OSM or Tianditu) under the
// works maps. With "none" (the default) nothing is requested and the map stays plain.

export function addBasemap(map, tiles) {
  let first = true;
  for (const tile of tiles || []) {
    if (!tile.overlay && !first) continue; // one base layer; the map page offers the others
    L.tileLayer(tile.url, tile.options).addTo(map);
    if (!tile.overlay) first = false;
  }
}
