// Place search for any map page: a text box that finds compounds, buildings, facilities,
// roads and works of our own data (GET /api/places/search/?q=...), as an ARIA combobox.
// Keyboard: type, ArrowDown/ArrowUp move through the results, Enter picks (the first result
// when none is highlighted), Escape closes. A tap on a result picks it too.
//
//   import { attachPlaceSearch, showPlace } from "/static/maps/search.js";
//   attachPlaceSearch({ form, input, list, status, url, near: () => map.getCenter(),
//                       strings, onPick: (result) => showPlace(map, result) });
//
// The box carries data-state (idle | searching | ready | empty | error) for tests.

const DEBOUNCE_MS = 250;

let counter = 0;

export function attachPlaceSearch({ form, input, list, status, url, near, onPick, strings }) {
  const id = `place-search-${++counter}`;
  let results = [];
  let active = -1;
  let timer = null;
  let controller = null;
  let lastQuery = "";

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id || (list.id = `${id}-list`));
  input.setAttribute("autocomplete", "off");
  list.setAttribute("role", "listbox");
  list.hidden = true;
  form.dataset.state = "idle";

  const say = (text) => { if (status) status.textContent = text || ""; };

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const options = [...list.children];
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function pick(index) {
    const result = results[index];
    if (!result) return;
    close();
    input.value = result.name;
    say(fill(strings.picked, { name: result.name }));
    onPick(result);
  }

  function draw() {
    list.replaceChildren();
    results.forEach((result, index) => {
      const option = document.createElement("li");
      option.id = `${id}-option-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.kind = result.kind;
      const name = document.createElement("span");
      name.className = "gm-search-name";
      name.textContent = result.name;
      const context = document.createElement("span");
      context.className = "gm-search-context";
      context.textContent = [result.kind_label, result.context].filter(Boolean).join(" · ");
      option.append(name, context);
      // pointerdown, not click: keep the focus in the box until the result is picked.
      option.addEventListener("pointerdown", (event) => event.preventDefault());
      option.addEventListener("click", () => pick(index));
      list.append(option);
    });
    active = -1;
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(results.length > 0));
  }

  async function search(query) {
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    lastQuery = query;
    form.dataset.state = "searching";
    say(strings.searching);
    const params = new URLSearchParams({ q: query });
    const centre = near ? near() : null;
    if (centre) params.set("near", `${centre.lng.toFixed(6)},${centre.lat.toFixed(6)}`);
    try {
      const response = await fetch(`${url}?${params}`, { signal, headers: { Accept: "application/json" } });
      const data = await response.json();
      if (signal.aborted) return;
      if (!response.ok) {
        results = [];
        draw();
        form.dataset.state = "error";
        say(data.detail || strings.failed);
        return;
      }
      results = data.results;
      draw();
      form.dataset.state = results.length ? "ready" : "empty";
      say(results.length ? fill(strings.found, { count: results.length }) : fill(strings.none, { query }));
    } catch (error) {
      if (signal.aborted) return;
      results = [];
      draw();
      form.dataset.state = "error";
      say(strings.failed);
    }
  }

  function searchNow() {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      results = [];
      draw();
      form.dataset.state = "idle";
      say("");
      return Promise.resolve();
    }
    if (query === lastQuery && form.dataset.state !== "searching" && form.dataset.state !== "error") {
      return Promise.resolve();
    }
    return search(query);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(searchNow, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden && results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      highlight(active === -1 && event.key === "ArrowUp" ? -1 : active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Escape") {
      close();
    }
  });

  // Enter (or the phone keyboard's search key, or the button) submits the form: pick the
  // highlighted result, or the first one once the search for what is typed has answered.
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (active >= 0 && !list.hidden) {
      pick(active);
      return;
    }
    await searchNow();
    if (results.length) pick(0);
  });

  input.addEventListener("blur", () => setTimeout(close, 150));
  return { search: searchNow, close };
}

// Show a result on a Leaflet map: its whole shape, or its surroundings for a point, outlined
// and named (a road or a parking strip may be on none of the map's own layers).
const highlights = new WeakMap();

export function showPlace(map, result, { maxZoom = 18, pointZoom = 18 } = {}) {
  const [minLon, minLat, maxLon, maxLat] = result.bbox;
  if (maxLon - minLon < 1e-6 && maxLat - minLat < 1e-6) {
    map.setView([result.point[1], result.point[0]], pointZoom);
  } else {
    map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { maxZoom, padding: [24, 24] });
  }
  if (highlights.has(map)) highlights.get(map).remove();
  if (!result.geometry) return;
  const highlight = L.geoJSON(result.geometry, {
    interactive: false,
    style: { color: "#e65100", weight: 5, opacity: 0.9, fillColor: "#ffb74d", fillOpacity: 0.25 },
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 10, interactive: false }),
  });
  const name = document.createElement("span"); // text, never HTML
  name.textContent = result.name;
  const label = L.tooltip({ permanent: true, direction: "top", className: "gm-search-highlight", offset: [0, -8] })
    .setLatLng([result.point[1], result.point[0]])
    .setContent(name);
  const group = L.layerGroup([highlight, label]).addTo(map);
  highlights.set(map, group);
}

function fill(text, values) {
  return Object.entries(values).reduce((out, [key, value]) => out.replaceAll(`%(${key})s`, String(value)), text || "");
}
