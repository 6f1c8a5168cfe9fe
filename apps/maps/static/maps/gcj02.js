// WGS 84 <-> GCJ-02 for display on AMap/Gaode tiles: a port of apps/core/gcj02.py (same
// formula, same constants, same iterated inverse), tested against it in the browser.
//
// installGcj02Display(map) swaps the map's projection for one that shifts WGS 84 positions
// to GCJ-02 while a base layer with the `gcj02` option is shown: every overlay is then drawn
// where the AMap tiles show that place, and every position read back from the map (clicks,
// drawn shapes, getBounds for requests) is converted back to WGS 84 before anyone uses it.
// Stored data never changes.

const A = 6378245.0;
const EE = 0.00669342162296594323;
const CHINA_LON = [72.004, 137.8347];
const CHINA_LAT = [0.8293, 55.8271];
const INVERSE_TOLERANCE_DEG = 1e-10;
const INVERSE_MAX_STEPS = 30;

export function outOfChina(lon, lat) {
  return lon < CHINA_LON[0] || lon > CHINA_LON[1] || lat < CHINA_LAT[0] || lat > CHINA_LAT[1];
}

function rawOffsets(x, y) {
  const pi = Math.PI;
  const ripple = ((20 * Math.sin(6 * x * pi) + 20 * Math.sin(2 * x * pi)) * 2) / 3;
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ripple;
  dLat += ((20 * Math.sin(y * pi) + 40 * Math.sin((y / 3) * pi)) * 2) / 3;
  dLat += ((160 * Math.sin((y / 12) * pi) + 320 * Math.sin((y * pi) / 30)) * 2) / 3;
  let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += ripple;
  dLon += ((20 * Math.sin(x * pi) + 40 * Math.sin((x / 3) * pi)) * 2) / 3;
  dLon += ((150 * Math.sin((x / 12) * pi) + 300 * Math.sin((x / 30) * pi)) * 2) / 3;
  return [dLat, dLon];
}

export function wgs84ToGcj02(lon, lat) {
  if (outOfChina(lon, lat)) return [lon, lat];
  let [dLat, dLon] = rawOffsets(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

export function gcj02ToWgs84(lon, lat) {
  let wLon = lon;
  let wLat = lat;
  for (let step = 0; step < INVERSE_MAX_STEPS; step += 1) {
    const [fLon, fLat] = wgs84ToGcj02(wLon, wLat);
    const eLon = fLon - lon;
    const eLat = fLat - lat;
    wLon -= eLon;
    wLat -= eLat;
    if (Math.max(Math.abs(eLon), Math.abs(eLat)) < INVERSE_TOLERANCE_DEG) break;
  }
  return [wLon, wLat];
}

function showsGcj02(map) {
  let shifted = false;
  map.eachLayer((layer) => {
    if (layer instanceof L.TileLayer && layer.options.gcj02) shifted = true;
  });
  return shifted;
}

export function installGcj02Display(map) {
  const mercator = L.Projection.SphericalMercator;
  const state = { shifted: false };
  const projection = {
    bounds: mercator.bounds,
    project(latlng) {
      if (!state.shifted) return mercator.project(latlng);
      const [lon, lat] = wgs84ToGcj02(latlng.lng, latlng.lat);
      return mercator.project(L.latLng(lat, lon));
    },
    unproject(point) {
      const latlng = mercator.unproject(point);
      if (!state.shifted) return latlng;
      const [lon, lat] = gcj02ToWgs84(latlng.lng, latlng.lat);
      return L.latLng(lat, lon);
    },
  };
  map.options.crs = L.extend({}, L.CRS.EPSG3857, { projection });

  const update = () => {
    const shifted = showsGcj02(map);
    map.getContainer().dataset.gmDatum = shifted ? "gcj02" : "wgs84";
    if (shifted === state.shifted) return;
    if (!map._loaded) {
      state.shifted = shifted; // no view yet: the first setView draws in the right projection
      return;
    }
    // Keep the same WGS 84 place in the middle, redrawn in the new projection.
    const center = map.getCenter();
    state.shifted = shifted;
    map.setView(center, map.getZoom(), { reset: true });
  };
  map.on("baselayerchange", update);
  update();
}
