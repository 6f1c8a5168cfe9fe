// The patrol on a phone: start, check in at checkpoints with the browser's position
// (on site within 50 m, decided by the server in PostGIS), record the track, file a
// finding as a report at this spot, end.
//
// For tests: each checkpoint row carries data-state ("", "on_site", "remote") and the
// page's #run carries data-status.
import { getPosition, readJSON, send, text } from "./maputil.js";
import { drawPatrol } from "./patrol_map.js";

const config = readJSON("run-config");
const t = readJSON("run-strings");
const root = document.getElementById("run");
const message = document.getElementById("run-message");
let data = config.instance;
let map = null;
let drawn = [];
let you = null;

function say(textValue, state = "") {
  message.textContent = textValue;
  message.dataset.state = state;
  message.hidden = !textValue;
}

function positionError(error) {
  const code = error && error.code;
  return code === -1 ? t.no_geolocation : code === 1 ? t.denied : t.failed;
}

function showYou(lat, lng) {
  if (!map) return;
  if (you) you.remove();
  you = L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#1e88e5", fillOpacity: 1, className: "pt-you" }).bindTooltip(t.you).addTo(map);
}

function render() {
  root.dataset.status = data.status;
  document.getElementById("run-status").textContent = data.status_label;
  const running = data.status === "in_progress";
  const start = document.getElementById("run-start");
  const end = document.getElementById("run-end");
  if (start) start.hidden = data.status !== "planned";
  if (end) end.hidden = !running;
  const track = document.getElementById("run-track");
  if (track) track.disabled = !running;
  const list = document.getElementById("run-checkpoints");
  document.getElementById("run-no-checkpoints").hidden = data.checkpoints.length > 0;
  list.replaceChildren(
    ...data.checkpoints.map((checkpoint) => {
      const li = document.createElement("li");
      li.className = "pt-checkpoint";
      li.dataset.checkpoint = checkpoint.id;
      const last = checkpoint.checkins.filter((c) => c.mine).at(-1);
      li.dataset.state = last ? (last.on_site ? "on_site" : "remote") : "";
      const main = document.createElement("div");
      const name = document.createElement("strong");
      name.textContent = checkpoint.name;
      const result = document.createElement("span");
      result.className = "pt-checkpoint-result";
      result.textContent = last ? `${text(last.on_site ? t.on_site : t.remote, { distance: Math.round(last.distance_m) })} · ${last.at}` : "";
      main.append(name, result);
      li.append(main);
      if (config.urls && document.getElementById("run-start")) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "pt-button pt-checkin";
        button.textContent = t.check_in;
        button.disabled = !running;
        button.addEventListener("click", () => checkIn(checkpoint, li, button, result));
        li.append(button);
      }
      return li;
    }),
  );
  if (map) {
    drawn.forEach((layer) => layer.remove());
    drawn = drawPatrol(map, data);
  }
}

async function reload() {
  const response = await fetch(config.urls.data, { credentials: "same-origin" });
  if (response.ok) {
    data = await response.json();
    render();
  }
}

async function transition(to) {
  const { ok, data: answer } = await send(config.urls.transition, { json: { to } });
  if (!ok) {
    say(answer.detail || t.error, "error");
    return false;
  }
  say("", "");
  await reload();
  return true;
}

async function checkIn(checkpoint, li, button, result) {
  button.disabled = true;
  button.textContent = t.checking_in;
  try {
    const position = await getPosition();
    const { latitude: lat, longitude: lng, accuracy } = position.coords;
    showYou(lat, lng);
    const { ok, data: answer } = await send(config.urls.checkin, { json: { checkpoint: checkpoint.id, lat, lng, accuracy } });
    if (!ok) {
      say(answer.detail || t.error, "error");
      return;
    }
    li.dataset.state = answer.on_site ? "on_site" : "remote";
    result.textContent = text(answer.on_site ? t.on_site : t.remote, { distance: Math.round(answer.distance_m) });
    say(result.textContent, answer.on_site ? "inside" : "outside");
  } catch (error) {
    say(positionError(error), "error");
  } finally {
    button.disabled = data.status !== "in_progress";
    button.textContent = t.check_in;
  }
}

// --- the track: positions are buffered and sent in batches; kept when offline ---------------
const buffer = [];
let watch = null;
let sent = 0;
let timer = null;

async function flush() {
  if (!buffer.length) return;
  const batch = buffer.splice(0, buffer.length);
  const { ok, status } = await send(config.urls.track, { json: { points: batch } });
  if (ok) {
    sent += batch.length;
  } else if (status === 0 || status >= 500) {
    buffer.unshift(...batch); // try again later
    document.getElementById("run-track-status").textContent = t.network;
    return;
  }
  document.getElementById("run-track-status").textContent = text(t.recording, { count: sent });
}

function toggleTrack() {
  const button = document.getElementById("run-track");
  if (watch !== null) {
    navigator.geolocation.clearWatch(watch);
    watch = null;
    clearInterval(timer);
    flush();
    button.textContent = t.record;
    return;
  }
  if (!("geolocation" in navigator)) {
    say(t.no_geolocation, "error");
    return;
  }
  watch = navigator.geolocation.watchPosition(
    (position) => {
      const { latitude: lat, longitude: lng, accuracy } = position.coords;
      buffer.push({ lat, lng, accuracy, time: new Date(position.timestamp).toISOString() });
      showYou(lat, lng);
      if (buffer.length >= 10) flush();
    },
    (error) => say(positionError(error), "error"),
    { enableHighAccuracy: true, maximumAge: 5000 },
  );
  timer = setInterval(flush, 20000);
  button.textContent = t.stop;
  document.getElementById("run-track-status").textContent = text(t.recording, { count: sent });
}

// --- findings -------------------------------------------------------------------------------
function setUpFinding() {
  const form = document.getElementById("finding-form");
  if (!form) return;
  const select = form.elements.category;
  for (const category of config.categories) select.append(new Option(category.label, category.value));
  let key = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2, 12);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("finding-result");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    result.textContent = t.locating;
    try {
      const position = await getPosition();
      const body = new FormData(form);
      body.set("lat", position.coords.latitude);
      body.set("lng", position.coords.longitude);
      body.set("key", key);
      const { ok, data: answer } = await send(config.urls.finding, { form: body });
      result.textContent = ok ? text(t.finding_saved, { code: answer.report }) : answer.detail || t.error;
      if (ok) {
        form.reset();
        key = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2, 12);
      }
    } catch (error) {
      result.textContent = positionError(error);
    } finally {
      button.disabled = false;
    }
  });
}

const startButton = document.getElementById("run-start");
if (startButton) {
  startButton.addEventListener("click", () => transition("in_progress"));
  document.getElementById("run-end").addEventListener("click", async () => {
    if (!window.confirm(t.confirm_end)) return;
    if (watch !== null) toggleTrack();
    await flush();
    await transition("completed");
  });
  document.getElementById("run-track").addEventListener("click", toggleTrack);
  setUpFinding();
}
render();

window.addEventListener("map:init", (event) => {
  if (event.detail.map.getContainer().id !== "run-map") return;
  map = event.detail.map;
  drawn = drawPatrol(map, data);
});
