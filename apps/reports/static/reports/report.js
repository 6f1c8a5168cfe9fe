// The reporting page: find the place (search, a community button, or "use my location"),
// pin it (tap, then drag), pick a category, see reports of the same problem within 30 m and
// add "me too", attach up to 3 photos, send. The map needs no basemap: communities,
// compounds and buildings are drawn and labelled from our own data. A pin is checked at
// once (GET /api/places/at/): outside every community it is refused, with the nearest
// community offered; inside, the confirmation names the place. The server is the authority
// on every rule; checks here only save a round trip.
//
// For tests, the form carries data-state (idle | sending | done | error), the nearby box
// data-state (idle | loading | ready) and the pin status data-state (idle | checking |
// pinned | refused).

import { attachPlaceSearch, showPlace } from "../maps/search.js";

const config = JSON.parse(document.getElementById("report-config").textContent);
const t = JSON.parse(document.getElementById("report-strings").textContent);

const form = document.getElementById("report-form");
const pinStatus = document.getElementById("pin-status");
const latInput = document.getElementById("id_lat");
const lonInput = document.getElementById("id_lon");
const category = document.getElementById("id_category");
const photoInput = document.getElementById("id_photos");
const previews = document.getElementById("photo-previews");
const formError = document.getElementById("form-error");
const submitButton = document.getElementById("submit-report");
const nearbyBox = document.getElementById("nearby");
const refusal = document.getElementById("pin-refusal");
const chooser = document.getElementById("community-chooser");

// Zoom at which a pin is precise enough to drag to the right doorway.
const PIN_ZOOM = 17;

let map = null;
let marker = null;
let chosen = []; // the photos to send, kept here so they can be added one by one
let nearbyRequest = null;

const fill = (text, values) =>
  Object.entries(values).reduce((out, [key, value]) => out.replaceAll(`%(${key})s`, String(value)), text);

function fieldError(field, message) {
  const slot = form.querySelector(`.field-error[data-field="${field}"]`);
  if (slot) slot.textContent = message || "";
  else if (message) showFormError(message);
}

function clearErrors() {
  form.querySelectorAll(".field-error").forEach((slot) => { slot.textContent = ""; });
  showFormError("");
}

function showFormError(message) {
  formError.textContent = message || "";
  formError.hidden = !message;
}

function csrfToken() {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

// --- the pin ---------------------------------------------------------------------------

let refusedMark = null;
let lastRefusal = ""; // why the last tap was refused, repeated if she sends without a pin
let pinRequest = 0; // only the answer about the latest tap counts
let confirmed = null; // the last place the server said is inside: { latlng, message }

function pinIcon() {
  return L.divIcon({ className: "rp-pin", html: "<span></span>", iconSize: [28, 28], iconAnchor: [14, 30] });
}

function refusedIcon() {
  return L.divIcon({ className: "rf-refused", html: "<span>×</span>", iconSize: [26, 26], iconAnchor: [13, 13] });
}

function setStatus(message, state) {
  pinStatus.textContent = message;
  pinStatus.dataset.state = state;
}

function placeMarker(latlng) {
  if (!marker) {
    marker = L.marker(latlng, { draggable: true, icon: pinIcon(), keyboard: true, title: t.pinned });
    marker.on("dragend", () => checkAndPin(marker.getLatLng()));
    marker.addTo(map);
  } else {
    marker.setLatLng(latlng);
  }
  latInput.value = latlng.lat.toFixed(7);
  lonInput.value = latlng.lng.toFixed(7);
}

function removeMarker() {
  if (marker) marker.remove();
  marker = null;
  latInput.value = "";
  lonInput.value = "";
}

function confirmPin(latlng, message) {
  confirmed = { latlng, message };
  setStatus(message, "pinned");
  fieldError("location", "");
  lastRefusal = "";
  hideChooser();
  checkNearby();
}

function hideRefusal() {
  refusal.hidden = true;
  if (refusedMark) {
    refusedMark.remove();
    refusedMark = null;
  }
}

function distanceText(metres) {
  return metres >= 1000 ? fill(t.km, { km: (metres / 1000).toFixed(1) }) : fill(t.m, { m: Math.round(metres) });
}

// Outside every community: no pin there (it goes back to the last good place, or away, and
// a grey cross marks the tap), the reason in words beside the map, and a button to the
// nearest served community.
function refuse(latlng, data) {
  if (confirmed) placeMarker(confirmed.latlng);
  else removeMarker();
  if (!refusedMark) refusedMark = L.marker(latlng, { icon: refusedIcon(), interactive: false, keyboard: false }).addTo(map);
  else refusedMark.setLatLng(latlng);
  lastRefusal = data.detail || t.refused;
  setStatus(confirmed ? confirmed.message : t.tap_to_pin, "refused");
  document.getElementById("pin-refusal-text").textContent = t.refused;
  const nearestText = document.getElementById("pin-refusal-nearest");
  const button = document.getElementById("nearest-community");
  if (data.nearest) {
    nearestText.textContent = fill(t.nearest, { name: data.nearest.name, distance: distanceText(data.nearest.distance_m) });
    button.textContent = fill(t.go_to, { name: data.nearest.name });
    button.onclick = () => {
      goToCommunity(data.nearest);
      hideRefusal();
      setStatus(confirmed ? confirmed.message : t.tap_to_pin, confirmed ? "pinned" : "idle");
    };
    button.hidden = false;
  } else {
    nearestText.textContent = "";
    button.hidden = true;
  }
  refusal.hidden = false;
}

// The pin goes down where she taps at once, and the server is asked what is there: inside,
// the confirmation names the place; outside, the pin is taken back and the tap refused.
// Without an answer (no connection), the pin stays: sending checks the place again.
async function checkAndPin(latlng, { zoomIn = false, message = null } = {}) {
  const request = ++pinRequest;
  // A tap on a zoomed-out map is a rough place: zoom in at once so it can be refined (and
  // a second tap lands where it is aimed), unless it is plainly off the served area.
  if (zoomIn && map.getZoom() < PIN_ZOOM && servedBounds() && servedBounds().contains(latlng)) {
    map.setView(latlng, PIN_ZOOM, { animate: false });
  }
  placeMarker(latlng);
  hideRefusal();
  setStatus(message ? `${message} ${t.pinned}` : t.pinned, "checking");
  const params = new URLSearchParams({ lon: latlng.lng.toFixed(7), lat: latlng.lat.toFixed(7) });
  let data = null;
  try {
    const response = await fetch(`${config.place_url}?${params}`, { headers: { Accept: "application/json" } });
    if (response.ok) data = await response.json();
  } catch (error) {
    data = null;
  }
  if (request !== pinRequest) return;
  if (data && !data.inside) {
    refuse(latlng, data);
    return;
  }
  const named = data && data.label ? fill(t.pinned_at, { place: data.label }) : t.pinned;
  confirmPin(latlng, message ? `${message} ${named}` : named);
}

function servedBounds() {
  if (!config.extent) return null;
  const [minLon, minLat, maxLon, maxLat] = config.extent;
  return L.latLngBounds([[minLat, minLon], [maxLat, maxLon]]);
}

function locate() {
  if (!navigator.geolocation) {
    setStatus(t.locate_unsupported, "idle");
    return;
  }
  setStatus(t.locating, "checking");
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
      map.setView(latlng, Math.max(map.getZoom(), PIN_ZOOM));
      const accuracy = fill(t.located_accuracy, { metres: Math.round(position.coords.accuracy) });
      checkAndPin(latlng, { message: accuracy });
    },
    (error) => setStatus(fill(t.locate_failed, { reason: error.message }), "idle"),
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

// --- where the map opens, and the community chooser -----------------------------------------

function fitBbox(bbox) {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { padding: [8, 8], animate: false });
  // A whole community fits a phone at a zoom where its buildings are small: come in to
  // where compounds are labelled, around its middle.
  if (map.getZoom() < config.label_zoom.compounds + 1) {
    map.setView(map.getCenter(), config.label_zoom.compounds + 1, { animate: false });
  }
}

function goToCommunity(community) {
  fitBbox(community.bbox);
  hideChooser();
}

function hideChooser() {
  if (chooser) chooser.hidden = true;
}

function setUpChooser() {
  chooser.querySelectorAll("button[data-community]").forEach((button) => {
    const community = config.communities.find((c) => String(c.id) === button.dataset.community);
    button.addEventListener("click", () => {
      goToCommunity(community);
      setStatus(t.tap_to_pin, "idle");
      map.getContainer().focus({ preventScroll: true });
    });
  });
}

// When she has already let this site know her location, open at the community she is in
// (or the nearest one) without asking again. Never prompts: that waits for a tap.
async function openNearMe() {
  if (!navigator.permissions || !navigator.geolocation) return;
  try {
    const permission = await navigator.permissions.query({ name: "geolocation" });
    if (permission.state !== "granted") return;
  } catch (error) {
    return;
  }
  navigator.geolocation.getCurrentPosition(async (position) => {
    const params = new URLSearchParams({ lon: position.coords.longitude.toFixed(7), lat: position.coords.latitude.toFixed(7) });
    try {
      const response = await fetch(`${config.place_url}?${params}`, { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (marker || !response.ok) return; // she has pinned in the meantime
      const community = data.inside ? data.community : data.nearest;
      if (community && community.bbox) goToCommunity(community);
    } catch (error) {
      // The chooser is still there.
    }
  }, () => {}, { timeout: 10000, maximumAge: 300000 });
}

function drawServedArea() {
  return fetch(config.communities_url, { headers: { Accept: "application/geo+json" } })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((data) => {
      // Not interactive: a tap inside a community must still reach the map and set the pin.
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#c62828", weight: 2, fillColor: "#c62828", fillOpacity: 0.04 },
        onEachFeature: (feature, shape) => label(shape, communityName(feature.properties), "community"),
      }).addTo(map);
      map.getContainer().dataset.rpArea = "ready";
    })
    .catch(() => {
      setStatus(t.load_failed, "idle");
      map.getContainer().dataset.rpArea = "error";
    });
}

function communityName(properties) {
  return (config.language === "en" && properties.name_en) || properties.name;
}

function label(shape, text, kind) {
  if (!text) return;
  shape.bindTooltip(text, { permanent: true, direction: "center", className: `rf-label rf-label-${kind}`, interactive: false });
}

// Which labels a zoom shows: community names far out, compound names closer, building
// numbers closest, so a phone map is never a heap of words.
function updateLabelZoom() {
  const zoom = map.getZoom();
  const container = map.getContainer();
  const level = zoom < config.label_zoom.compounds ? "wide" : zoom < config.label_zoom.buildings ? "mid" : "near";
  container.classList.remove("rf-labels-wide", "rf-labels-mid", "rf-labels-near");
  container.classList.add(`rf-labels-${level}`);
  container.dataset.rfLabels = level;
}

// Grids, compounds and buildings around the view, so the place can be recognised without a
// basemap.
const CONTEXT_STYLES = {
  grids: { color: "#1565c0", weight: 1.5, fillOpacity: 0, dashArray: "4 4" },
  compounds: { color: "#0d3c61", weight: 1.5, fillColor: "#90caf9", fillOpacity: 0.12 },
  buildings: { color: "#5d4037", weight: 1, fillColor: "#a1887f", fillOpacity: 0.55 },
};

function contextLabel(layer, properties) {
  if (layer.name === "compounds") return communityName(properties);
  if (layer.name === "buildings") return buildingLabel(properties.number);
  return null; // grid codes mean nothing to a resident: outlines only
}

// "D2-1栋" in full close up; "1栋" a step further out, inside its labelled compound,
// where the full numbers of neighbouring buildings would run into each other.
function buildingLabel(number) {
  if (!number) return null;
  const element = document.createElement("span");
  const short = document.createElement("span");
  short.className = "rf-label-short";
  short.textContent = number.includes("-") ? number.slice(number.lastIndexOf("-") + 1) : number;
  const full = document.createElement("span");
  full.className = "rf-label-full";
  full.textContent = number;
  element.append(short, full);
  return element;
}

function contextLayer(layer) {
  const group = L.layerGroup().addTo(map);
  let loaded = null;
  let controller = null;
  return async function refresh() {
    if (map.getZoom() < layer.min_zoom) {
      group.clearLayers();
      loaded = null;
      return;
    }
    if (loaded && loaded.contains(map.getBounds())) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const bounds = map.getBounds().pad(0.5);
    const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(6)).join(",");
    try {
      const response = await fetch(`${layer.url}?bbox=${bbox}&limit=2000`, { signal: controller.signal });
      if (!response.ok) return;
      const data = await response.json();
      group.clearLayers();
      L.geoJSON(data, {
        interactive: false,
        style: CONTEXT_STYLES[layer.name],
        onEachFeature: (feature, shape) => label(shape, contextLabel(layer, feature.properties), layer.name.replace(/s$/, "")),
      }).addTo(group);
      loaded = bounds;
      map.getContainer().dataset[`rf${layer.name[0].toUpperCase()}${layer.name.slice(1)}`] = String(data.features.length);
    } catch (error) {
      // Orientation only: the pin works without it.
    }
  };
}

// --- nearby reports and "me too" ----------------------------------------------------------

async function checkNearby() {
  if (!latInput.value || !category.value) {
    nearbyBox.hidden = true;
    return;
  }
  if (nearbyRequest) nearbyRequest.abort();
  const controller = new AbortController();
  nearbyRequest = controller;
  nearbyBox.dataset.state = "loading";
  const params = new URLSearchParams({ lat: latInput.value, lon: lonInput.value, category: category.value });
  try {
    const response = await fetch(`${config.nearby_url}?${params}`, { signal: controller.signal, headers: { Accept: "application/json" } });
    const data = await response.json();
    if (controller.signal.aborted) return;
    showNearby(response.ok ? data.reports : []);
  } catch (error) {
    if (!controller.signal.aborted) showNearby([]);
  } finally {
    if (nearbyRequest === controller) nearbyRequest = null;
  }
}

function showNearby(reports) {
  const list = document.getElementById("nearby-list");
  list.replaceChildren();
  document.getElementById("nearby-intro").textContent = t.nearby_intro;
  for (const report of reports) {
    const item = document.createElement("li");
    const text = document.createElement("span");
    text.textContent = `${report.category} · ${report.status_label} · ${fill(t.distance, { metres: report.distance_m })} · ${report.submitted_at}${report.excerpt ? ` · “${report.excerpt}”` : ""}`;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "rp-button rp-button-secondary";
    button.textContent = `${t.me_too} (${fill(t.people, { count: report.me_too_count + 1 })})`;
    button.addEventListener("click", () => meToo(report, button));
    item.append(text, button);
    list.append(item);
  }
  nearbyBox.hidden = reports.length === 0;
  nearbyBox.dataset.state = "ready";
}

async function meToo(report, button) {
  button.disabled = true;
  try {
    const response = await fetch(config.me_too_url.replace("{id}", report.id), {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const data = await response.json();
    button.textContent = response.ok ? `${t.me_too_done} ✓` : button.textContent;
    document.getElementById("nearby-intro").textContent = data.detail || "";
    if (!response.ok) button.disabled = false;
  } catch (error) {
    button.disabled = false;
    document.getElementById("nearby-intro").textContent = t.send_failed;
  }
}

// --- photos ---------------------------------------------------------------------------------

function addPhotos(files) {
  fieldError("photos", "");
  const problems = [];
  const accepted = config.accept.split(",");
  for (const file of files) {
    if (chosen.length >= config.max_photos) {
      problems.push(fill(t.too_many_photos, { max: config.max_photos }));
      break;
    }
    if (file.type && !accepted.includes(file.type)) {
      problems.push(fill(t.photo_wrong_type, { name: file.name }));
    } else if (file.size > config.max_photo_bytes) {
      const mb = (size) => (size / 1048576).toFixed(1);
      problems.push(fill(t.photo_too_big, { name: file.name, size: mb(file.size), max: mb(config.max_photo_bytes) }));
    } else {
      chosen.push(file);
    }
  }
  fieldError("photos", problems.join(" "));
  photoInput.value = ""; // the list above is what gets sent; the input can pick again
  drawPreviews();
}

function drawPreviews() {
  previews.replaceChildren();
  chosen.forEach((file, index) => {
    const box = document.createElement("div");
    box.className = "rp-preview";
    const img = document.createElement("img");
    img.alt = file.name;
    img.src = URL.createObjectURL(file);
    img.addEventListener("load", () => URL.revokeObjectURL(img.src), { once: true });
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = t.remove_photo;
    remove.addEventListener("click", () => { chosen.splice(index, 1); drawPreviews(); });
    box.append(img, remove);
    previews.append(box);
  });
  previews.dataset.count = String(chosen.length);
}

// --- sending --------------------------------------------------------------------------------

function checkBeforeSending() {
  let ok = true;
  if (!latInput.value) { fieldError("location", lastRefusal || t.no_pin); ok = false; }
  if (!category.value) { fieldError("category", t.no_category); ok = false; }
  if (!form.elements.description.value.trim()) { fieldError("description", t.no_description); ok = false; }
  return ok;
}

async function send(event) {
  event.preventDefault();
  if (form.dataset.state === "sending") return; // a double tap sends once
  clearErrors();
  if (!checkBeforeSending()) {
    form.dataset.state = "error"; // nothing typed is cleared: she fixes what is said and sends
    return;
  }
  const body = new FormData(form);
  body.delete("photos");
  chosen.forEach((file) => body.append("photos", file, file.name));
  form.dataset.state = "sending";
  submitButton.disabled = true;
  submitButton.textContent = t.sending;
  try {
    const response = await fetch(form.action || window.location.href, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (response.ok) return done(data);
    form.dataset.state = "error";
    if (data.errors) {
      for (const [field, messages] of Object.entries(data.errors)) fieldError(field, messages.join(" "));
    } else {
      showFormError(data.detail || t.send_failed);
    }
  } catch (error) {
    form.dataset.state = "error";
    showFormError(t.send_failed); // same submission key: a retry cannot file it twice
  } finally {
    submitButton.disabled = false;
    if (form.dataset.state !== "done") submitButton.textContent = submitButton.dataset.label;
  }
}

function done(data) {
  form.dataset.state = "done";
  form.hidden = true;
  document.getElementById("done-title").textContent = t.sent_title;
  document.getElementById("done-code-label").textContent = t.sent_code;
  document.getElementById("done-code").textContent = data.code;
  const link = document.getElementById("done-link");
  link.href = data.url;
  link.textContent = t.sent_link;
  document.getElementById("report-done").hidden = false;
  document.getElementById("report-done").scrollIntoView({ behavior: "smooth" });
}

// --- one tap to the grid worker ---------------------------------------------------------

async function callWorker() {
  const result = document.getElementById("call-result");
  if (!latInput.value) {
    result.textContent = t.pin_for_call;
    return;
  }
  result.textContent = t.calling;
  const params = new URLSearchParams({ lat: latInput.value, lon: lonInput.value });
  try {
    const response = await fetch(`${config.grid_worker_url}?${params}`, { headers: { Accept: "application/json" } });
    const data = await response.json();
    result.replaceChildren();
    const contact = data.worker
      ? { href: data.worker.tel, text: fill(t.call_worker, { name: data.worker.name, grid: data.grid ? data.grid.code : "", phone: data.worker.work_phone }) }
      : data.office ? { href: data.office.tel, text: fill(t.call_office, { name: data.office.name, phone: data.office.phone }) } : null;
    if (!response.ok || !contact) {
      result.textContent = data.detail || t.no_worker;
      if (!contact) return;
    }
    const link = document.createElement("a");
    link.href = contact.href;
    link.id = "call-link";
    link.textContent = contact.text;
    result.append(link);
  } catch (error) {
    result.textContent = t.send_failed;
  }
}

function setUp(leafletMap) {
  map = leafletMap;
  if (config.start) {
    fitBbox(config.start.bbox);
  } else if (config.extent) {
    const [minLon, minLat, maxLon, maxLat] = config.extent;
    map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { padding: [8, 8], animate: false });
  }
  map.on("click", (event) => checkAndPin(event.latlng, { zoomIn: true }));
  map.on("zoomend", updateLabelZoom);
  updateLabelZoom();
  const context = config.context_layers.map(contextLayer);
  const refreshContext = () => context.forEach((refresh) => refresh());
  map.on("moveend", refreshContext);
  drawServedArea().then(refreshContext);
  if (latInput.value && lonInput.value) {
    const latlng = L.latLng(Number(latInput.value), Number(lonInput.value));
    map.setView(latlng, PIN_ZOOM, { animate: false });
    checkAndPin(latlng);
  }
  if (chooser) setUpChooser();
  if (!config.start && !latInput.value) openNearMe();
  attachPlaceSearch({
    form: document.getElementById("place-search"),
    input: document.getElementById("place-q"),
    list: document.getElementById("place-results"),
    status: document.getElementById("place-search-status"),
    url: config.search_url,
    near: () => map.getCenter(),
    strings: {
      searching: t.search_searching,
      found: t.search_found,
      none: t.search_none,
      failed: t.search_failed,
      picked: t.search_picked,
    },
    onPick: (result) => {
      hideChooser();
      showPlace(map, result, { maxZoom: 17, pointZoom: 17 });
      // A building is where the problem usually is: pin it there, to be dragged if need be.
      if (result.kind === "building") checkAndPin(L.latLng(result.point[1], result.point[0]));
    },
  });
  document.getElementById("locate").addEventListener("click", locate);
  document.getElementById("call-worker").addEventListener("click", callWorker);
  category.addEventListener("change", checkNearby);
  photoInput.addEventListener("change", () => addPhotos([...photoInput.files]));
  submitButton.dataset.label = submitButton.textContent;
  form.addEventListener("submit", send);
  form.dataset.state = "idle";
  nearbyBox.dataset.state = "idle";
  pinStatus.dataset.state = "idle";
  map.getContainer().dataset.rpReady = "1";
}

window.addEventListener("map:init", (event) => {
  const { map: leafletMap } = event.detail;
  if (leafletMap.getContainer().id === "report-map") setUp(leafletMap);
});
