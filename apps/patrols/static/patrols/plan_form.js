// The planning form: grids picked on the map, a route and checkpoints drawn with
// Leaflet-Geoman, a team from several organisations, a shift and a recurrence.
// "Check" asks the server for conflicts (the same people or the same grids at overlapping
// times), warnings and the next patrols; "Save" saves at once when there is no conflict,
// otherwise the server answers 409 with them, the page lists them and offers "Save anyway"
// (accept_conflicts).
//
// For tests the form carries data-gm-route-points and data-gm-checkpoints.
import { STYLES, fitTo, label, readJSON, send, text } from "./maputil.js";

const config = readJSON("plan-config");
const t = readJSON("plan-strings");
const form = document.getElementById("plan-form");
const state = {
  grids: new Set(config.plan.grids),
  route: null, // an L.Polyline
  checkpoints: [], // {layer, row}
};
let gridLayer = null;

const checkpointIcon = () =>
  L.divIcon({ className: "pt-checkpoint-icon", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9] });

// --- the map ----------------------------------------------------------------------------
function gridStyle(feature) {
  const selected = state.grids.has(feature.id);
  return { ...(selected ? STYLES.gridSelected : STYLES.grid), className: selected ? "pt-grid pt-grid-selected" : "pt-grid" };
}

function describeArea() {
  const codes = gridLayer
    .getLayers()
    .filter((layer) => state.grids.has(layer.feature.id))
    .map((layer) => layer.feature.properties.code)
    .sort();
  document.getElementById("plan-grids").textContent = codes.length ? text(t.grids_chosen, { codes: codes.join(", ") }) : t.grids_none;
}

function describeRoute() {
  const element = document.getElementById("plan-route");
  if (!state.route) {
    element.textContent = t.route_none;
    form.dataset.gmRoutePoints = "0";
    return;
  }
  const points = state.route.getLatLngs();
  let metres = 0;
  for (let i = 1; i < points.length; i += 1) metres += points[i - 1].distanceTo(points[i]);
  element.textContent = text(t.route_drawn, { metres: Math.round(metres), points: points.length });
  form.dataset.gmRoutePoints = String(points.length);
}

function setRoute(layer) {
  if (state.route && state.route !== layer) state.route.remove();
  state.route = layer;
  if (layer) {
    layer.setStyle({ ...STYLES.route, className: "pt-route" });
    layer.on("pm:edit", describeRoute);
    layer.on("pm:remove", () => {
      state.route = null;
      describeRoute();
    });
  }
  describeRoute();
}

function addCheckpoint(layer, name) {
  const list = document.getElementById("checkpoint-list");
  const row = document.createElement("li");
  const input = document.createElement("input");
  input.type = "text";
  input.maxLength = 200;
  input.className = "pt-checkpoint-name";
  input.setAttribute("aria-label", t.checkpoint_name);
  input.value = name || text(t.checkpoint, { n: state.checkpoints.length + 1 });
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "pt-button";
  remove.textContent = t.remove;
  row.append(input, remove);
  list.append(row);
  const entry = { layer, row, input };
  state.checkpoints.push(entry);
  const refreshLabel = () => layer.setTooltipContent ? layer.setTooltipContent(input.value) : null;
  layer.bindTooltip(input.value, { permanent: true, direction: "right", offset: [8, 0], className: "pt-label" });
  input.addEventListener("input", refreshLabel);
  const drop = () => {
    state.checkpoints = state.checkpoints.filter((c) => c !== entry);
    row.remove();
    layer.remove();
    countCheckpoints();
  };
  remove.addEventListener("click", drop);
  layer.on("pm:remove", () => {
    state.checkpoints = state.checkpoints.filter((c) => c !== entry);
    row.remove();
    countCheckpoints();
  });
  countCheckpoints();
  return input;
}

function countCheckpoints() {
  form.dataset.gmCheckpoints = String(state.checkpoints.length);
  document.getElementById("checkpoint-empty").hidden = state.checkpoints.length > 0;
}

function setUpMap(map) {
  gridLayer = L.geoJSON(config.grids, {
    pmIgnore: true,
    snapIgnore: true,
    style: gridStyle,
    onEachFeature: (feature, layer) => {
      label(layer, feature.properties.code);
      layer.on("click", () => {
        if (map.pm.globalDrawModeEnabled() || map.pm.globalEditModeEnabled() || map.pm.globalRemovalModeEnabled()) return;
        if (state.grids.has(feature.id)) state.grids.delete(feature.id);
        else state.grids.add(feature.id);
        gridLayer.setStyle(gridStyle);
        describeArea();
      });
    },
  }).addTo(map);

  map.pm.setLang(t.language === "zh" ? "zh" : "en");
  map.pm.setGlobalOptions({ snappable: false, markerStyle: { icon: checkpointIcon() }, pathOptions: STYLES.route });
  map.pm.addControls({
    position: "topleft",
    drawMarker: true,
    drawPolyline: true,
    drawPolygon: false,
    drawRectangle: false,
    drawCircle: false,
    drawCircleMarker: false,
    drawText: false,
    cutPolygon: false,
    rotateMode: false,
    dragMode: false,
    editMode: true,
    removalMode: true,
  });
  map.on("pm:create", (event) => {
    if (event.shape === "Line") setRoute(event.layer);
    else if (event.shape === "Marker") {
      const input = addCheckpoint(event.layer);
      input.focus();
      input.select();
    }
  });

  const plan = config.plan;
  if (plan.route) {
    const coords = plan.route.coordinates.map(([lng, lat]) => [lat, lng]);
    setRoute(L.polyline(coords).addTo(map));
  } else describeRoute();
  for (const checkpoint of plan.checkpoints) {
    addCheckpoint(L.marker([checkpoint.lat, checkpoint.lng], { icon: checkpointIcon() }).addTo(map), checkpoint.name);
  }
  countCheckpoints();
  describeArea();
  fitTo(map, [gridLayer]);
}

// --- the team ---------------------------------------------------------------------------
const people = Object.fromEntries(config.people.map((p) => [p.id, p]));
const roleLabels = Object.fromEntries(config.roles.map((r) => [r.value, r.label]));

function addTeamRow(seat = {}) {
  const row = document.createElement("li");
  const person = document.createElement("select");
  person.className = "pt-team-person";
  person.setAttribute("aria-label", t.person);
  person.append(new Option(t.choose_person, ""));
  for (const p of config.people) person.append(new Option(`${p.name} · ${p.roles.map((r) => roleLabels[r]).join("/")}`, p.id));
  const role = document.createElement("select");
  role.className = "pt-team-role";
  role.setAttribute("aria-label", t.role);
  const fillRoles = () => {
    const chosen = people[person.value];
    const keep = role.value || seat.role;
    role.replaceChildren(...(chosen ? chosen.roles : []).map((r) => new Option(roleLabels[r] || r, r)));
    if (chosen && chosen.roles.includes(keep)) role.value = keep;
  };
  person.addEventListener("change", fillRoles);
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "pt-button";
  remove.textContent = t.remove;
  remove.addEventListener("click", () => row.remove());
  row.append(person, role, remove);
  document.getElementById("team-list").append(row);
  if (seat.person) person.value = String(seat.person);
  fillRoles();
  return person;
}

// --- the form ---------------------------------------------------------------------------
function fill() {
  const p = config.plan;
  form.elements.name.value = p.name;
  form.elements.start_time.value = p.start_time;
  form.elements.end_time.value = p.end_time;
  form.elements.recurrence.value = p.recurrence;
  for (const box of form.querySelectorAll("input[name=weekdays]")) box.checked = p.weekdays.includes(Number(box.value));
  form.elements.starts_on.value = p.starts_on;
  form.elements.until.value = p.until;
  form.elements.notes.value = p.notes;
  for (const seat of p.team) addTeamRow(seat);
  if (!p.team.length) addTeamRow();
  const required = config.required_roles.map((r) => roleLabels[r] || r);
  document.getElementById("required-roles").textContent = required.length ? text(t.required_roles, { roles: required.join(", ") }) : "";
  showRecurrence();
}

function showRecurrence() {
  const recurrence = form.elements.recurrence.value;
  document.getElementById("plan-weekdays").hidden = recurrence !== "weekly";
  document.getElementById("plan-until-wrap").hidden = recurrence === "once";
}

function payload() {
  const route = state.route
    ? { type: "LineString", coordinates: state.route.getLatLngs().map((ll) => [Number(ll.lng.toFixed(7)), Number(ll.lat.toFixed(7))]) }
    : null;
  return {
    id: config.plan.id || null,
    community: config.plan.community,
    name: form.elements.name.value,
    grids: [...state.grids],
    route,
    checkpoints: state.checkpoints.map((c) => ({ name: c.input.value, lat: c.layer.getLatLng().lat, lng: c.layer.getLatLng().lng })),
    team: [...document.querySelectorAll("#team-list li")]
      .map((row) => ({ person: row.querySelector(".pt-team-person").value, role: row.querySelector(".pt-team-role").value }))
      .filter((seat) => seat.person),
    start_time: form.elements.start_time.value,
    end_time: form.elements.end_time.value,
    recurrence: form.elements.recurrence.value,
    weekdays: [...form.querySelectorAll("input[name=weekdays]:checked")].map((box) => Number(box.value)),
    starts_on: form.elements.starts_on.value,
    until: form.elements.until.value,
    notes: form.elements.notes.value,
  };
}

const status = document.getElementById("plan-status");
const conflictList = document.getElementById("plan-conflicts");
const warningList = document.getElementById("plan-warnings");
const upcomingList = document.getElementById("plan-upcoming");
const anyway = document.getElementById("plan-save-anyway");

function showErrors(errors = {}) {
  for (const element of form.querySelectorAll("[data-error-for]")) element.textContent = errors[element.dataset.errorFor] || "";
}

function fillList(list, items, describe) {
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      describe(li, item);
      return li;
    }),
  );
  // The list and its heading show only when there is something in it.
  list.closest("[data-block]").hidden = !items.length;
}

function showCheck(data) {
  // What the server found: conflicts (same people or same grids at the same time),
  // warnings that do not stop a save, and the next patrols the plan would make.
  fillList(conflictList, data.conflicts || [], (li, c) => {
    li.dataset.kind = c.kind;
    li.textContent = c.message;
  });
  fillList(warningList, data.warnings || [], (li, w) => {
    li.dataset.kind = w.kind;
    li.textContent = w.message;
  });
  fillList(upcomingList, data.upcoming || [], (li, occurrence) => {
    li.dataset.starts = occurrence.starts;
    li.dataset.ends = occurrence.ends;
    li.textContent = occurrence.running ? `${occurrence.label} · ${t.running}` : occurrence.label;
  });
  anyway.hidden = !(data.conflicts || []).length;
}

function clearCheck() {
  showCheck({ conflicts: [], warnings: [], upcoming: [] });
}

function say(message, kind = "") {
  status.textContent = message;
  status.className = kind;
}

function summary(data) {
  if (data.conflicts.length) return [t.has_conflicts, "pt-msg-error"];
  if (!data.patrols) return [t.no_patrols, "pt-msg-error"];
  return [text(t.no_conflicts, { count: data.patrols }), "pt-ok"];
}

async function check() {
  say(t.checking);
  showErrors();
  const { ok, status: code, data } = await send(config.check_url, { json: payload() });
  if (!ok) {
    clearCheck();
    showErrors(data.errors);
    say(code === 0 ? t.network : data.detail || t.network, "pt-msg-error");
    return;
  }
  showCheck(data);
  say(...summary(data));
}

let saving = false;

async function save(acceptConflicts) {
  if (saving) return; // one save at a time: a double click must not make two plans
  saving = true;
  const buttons = [document.getElementById("plan-save"), anyway];
  buttons.forEach((button) => (button.disabled = true));
  say(t.saving);
  showErrors();
  try {
    const { ok, status: code, data } = await send(config.save_url, { json: { ...payload(), accept_conflicts: acceptConflicts } });
    if (ok) {
      say(t.saved, "pt-ok");
      window.location.assign(data.url);
      return;
    }
    if (code === 409 && data.conflicts) {
      showCheck(data);
      say(summary(data)[0], "pt-msg-error");
      return;
    }
    showErrors(data.errors);
    say(code === 0 ? t.network : data.detail || t.network, "pt-msg-error");
  } finally {
    saving = false;
    buttons.forEach((button) => (button.disabled = false));
  }
}

fill();
form.elements.recurrence.addEventListener("change", showRecurrence);
document.getElementById("team-add").addEventListener("click", () => addTeamRow().focus());
document.getElementById("plan-check").addEventListener("click", check);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  save(false);
});
anyway.addEventListener("click", () => save(true));
// Once the plan changes, the conflicts shown may no longer be the plan's: check again.
form.addEventListener("change", () => {
  anyway.hidden = true;
});

window.addEventListener("map:init", (event) => {
  if (event.detail.map.getContainer().id === "plan-map") setUpMap(event.detail.map);
});
