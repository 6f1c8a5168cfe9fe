// People on grids: select cells on the map, choose a person, assign or remove.
// Grids without a grid worker are drawn in a warning colour. The map carries
// data-gm-unassigned (codes, comma-separated) for tests.
import { STYLES, fitTo, label, readJSON, send, text } from "./maputil.js";

const config = readJSON("assign-config");
const t = readJSON("assign-strings");
const selected = new Set();
let state = { grids: { features: [] }, people: [] };
let layer = null;
let map = null;

const personSelect = document.getElementById("assign-person");
const statusLine = document.getElementById("assign-status");

function chosenPerson() {
  return state.people.find((p) => String(p.id) === personSelect.value);
}

function style(feature) {
  const person = chosenPerson();
  let base = STYLES.grid;
  let cls = "pt-grid";
  if (feature.properties.unassigned) {
    base = STYLES.gridUnassigned;
    cls += " pt-grid-unassigned";
  }
  if (person && person.grids.includes(feature.id)) {
    base = STYLES.gridMine;
    cls += " pt-grid-covered";
  }
  if (selected.has(feature.id)) {
    base = STYLES.gridSelected;
    cls += " pt-grid-selected";
  }
  return { ...base, className: cls };
}

function renderTable() {
  const body = document.querySelector("#assign-table tbody");
  body.replaceChildren(
    ...state.grids.features.map((feature) => {
      const p = feature.properties;
      const tr = document.createElement("tr");
      tr.dataset.grid = p.code;
      if (p.unassigned) tr.className = "pt-unassigned";
      const people = p.people.map((person) => `${person.name} (${person.role_label})`).join("、");
      for (const value of [p.code, people || (p.unassigned ? t.unassigned : t.nobody), p.building_heads.join("、")]) {
        const td = document.createElement("td");
        td.textContent = value;
        tr.append(td);
      }
      return tr;
    }),
  );
}

function renderSelection() {
  const codes = state.grids.features.filter((f) => selected.has(f.id)).map((f) => f.properties.code);
  document.getElementById("assign-selection").textContent = codes.length ? text(t.selected, { codes: codes.join(", ") }) : t.nothing_selected;
  if (layer) layer.setStyle(style);
}

function renderPeople() {
  const current = personSelect.value;
  personSelect.replaceChildren(new Option(t.choose_person, ""), ...state.people.map((p) => new Option(`${p.name} · ${p.roles.join("/")}`, p.id)));
  personSelect.value = current;
}

function render(fit = false) {
  if (layer) layer.remove();
  layer = L.geoJSON(state.grids, {
    style,
    onEachFeature: (feature, gridLayer) => {
      label(gridLayer, feature.properties.code, feature.properties.unassigned ? "pt-label pt-label-warn" : "pt-label");
      gridLayer.on("click", () => {
        if (selected.has(feature.id)) selected.delete(feature.id);
        else selected.add(feature.id);
        renderSelection();
      });
    },
  }).addTo(map);
  map.getContainer().dataset.gmUnassigned = state.grids.features.filter((f) => f.properties.unassigned).map((f) => f.properties.code).join(",");
  if (fit) fitTo(map, [layer]);
  renderTable();
  renderPeople();
  renderSelection();
}

async function load() {
  statusLine.textContent = t.loading;
  const response = await fetch(config.state_url, { credentials: "same-origin" });
  state = await response.json();
  statusLine.textContent = "";
  render(true);
}

async function change(action) {
  if (!personSelect.value || !selected.size) {
    statusLine.textContent = !selected.size ? t.nothing_selected : t.choose_person;
    return;
  }
  statusLine.textContent = t.saving;
  const body = { community: config.community, person: Number(personSelect.value), add: [], remove: [] };
  body[action] = [...selected];
  const { ok, data } = await send(config.save_url, { json: body });
  if (!ok) {
    statusLine.textContent = data.detail || t.error;
    return;
  }
  state = data;
  selected.clear();
  statusLine.textContent = t.saved;
  render();
}

personSelect.addEventListener("change", () => renderSelection());
document.getElementById("assign-add").addEventListener("click", () => change("add"));
document.getElementById("assign-remove").addEventListener("click", () => change("remove"));
document.getElementById("assign-clear").addEventListener("click", () => {
  selected.clear();
  renderSelection();
});

window.addEventListener("map:init", (event) => {
  if (event.detail.map.getContainer().id !== "assign-map") return;
  map = event.detail.map;
  load();
});
