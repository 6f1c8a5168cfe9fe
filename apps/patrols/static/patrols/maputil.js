// Small helpers the patrol pages share: styles, text formatting, fitting the map.

export const STYLES = {
  grid: { color: "#1565c0", weight: 1.5, fillColor: "#1565c0", fillOpacity: 0.04 },
  gridMine: { color: "#c62828", weight: 3, fillColor: "#ef5350", fillOpacity: 0.18 },
  gridSelected: { color: "#6a1b9a", weight: 3, fillColor: "#ab47bc", fillOpacity: 0.35 },
  gridUnassigned: { color: "#e65100", weight: 2.5, dashArray: "6 4", fillColor: "#ff9800", fillOpacity: 0.35 },
  building: { color: "#5d4037", weight: 1, fillColor: "#a1887f", fillOpacity: 0.55 },
  route: { color: "#0d47a1", weight: 4, dashArray: "8 6", opacity: 0.9 },
  track: { color: "#2e7d32", weight: 4, opacity: 0.85 },
};

export function text(template, params = {}) {
  // Fill a translated "%(name)s" template; the template comes from the server.
  return template.replace(/%\((\w+)\)[sd]/g, (_m, key) => (key in params ? String(params[key]) : ""));
}

export function readJSON(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

export function fitTo(map, layers, fallback) {
  const bounds = L.latLngBounds([]);
  for (const layer of layers) {
    if (layer && layer.getBounds) {
      const b = layer.getBounds();
      if (b.isValid()) bounds.extend(b);
    }
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], animate: false, maxZoom: 18 });
  else if (fallback) map.fitBounds(fallback, { animate: false });
}

export function label(layer, content, className = "pt-label") {
  const span = document.createElement("span");
  span.textContent = content;
  layer.bindTooltip(span, { permanent: true, direction: "center", className });
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export async function send(url, { method = "POST", json, form } = {}) {
  // POST JSON or FormData with the CSRF token; resolves to {ok, status, data}.
  const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body, credentials: "same-origin" });
  } catch (error) {
    return { ok: false, status: 0, data: {} };
  }
  let data = {};
  try {
    data = await response.json();
  } catch (error) {
    data = {};
  }
  return { ok: response.ok, status: response.status, data };
}

export function getPosition(options = {}) {
  // The browser's position as a promise (rejects with the GeolocationPositionError).
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject({ code: -1 });
      return;
    }
    navigator.geolocation.getCurrentPosition(resolve, reject, {
      enableHighAccuracy: true,
      timeout: 15000,
      // A check-in needs where the phone is now, not a cached fix from minutes ago.
      maximumAge: 0,
      ...options,
    });
  });
}
