// Point symbols shared by the map pages: a facility is a disc of its kind's colour with its
// symbol (legend.js draws the same disc in the legend).

import { facilityIconElement } from "./legend.js";

// `kinds` maps kind codes to {code, label, symbol, colour} (config.kinds by code).
export function facilityMarker(kinds, feature, latlng, options = {}) {
  const kind = kinds[feature.properties.kind] || kinds.other;
  const extraClass = options.className ? ` ${options.className}` : "";
  return L.marker(latlng, {
    icon: L.divIcon({
      html: facilityIconElement(kind),
      className: `gm-facility-marker gm-layer-facilities gm-kind-${kind.code}${extraClass}`,
      iconSize: [28, 28],
      iconAnchor: [14, 14],
      popupAnchor: [0, -12],
    }),
    title: feature.properties.name || kind.label,
    alt: kind.label,
    keyboard: true,
    ...(options.pane ? { pane: options.pane } : {}),
  });
}
