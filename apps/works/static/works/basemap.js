// The configured basemap (apps.maps.basemaps.tile_layers: none, OSM, Tianditu, AMap or a
// self-hosted PMTiles file) under the works maps. With "none" (the default) nothing is
// requested and the map stays plain.
import { basemapLayer } from "../maps/basemap.js";

export function addBasemap(map, tiles) {
  let first = true;
  for (const tile of tiles || []) {
    if (!tile.overlay && !first) continue; // one base layer; the map page offers the others
    const layer = basemapLayer(tile);
    if (!layer) continue;
    layer.addTo(map);
    if (!tile.overlay) first = false;
  }
}
