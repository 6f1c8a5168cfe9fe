// The patrol on a phone: start, check in at checkpoints with the browser's position
// (on site within 50 m, decided by the server in PostGIS), record the track, file a
// finding as a report at this spot, end.
//
// Check-ins and the track work side by side: while the track records, a check-in uses its
// latest fix. Nothing is sent twice: a check-in carries a key per press, and the server
// skips track positions it already has.
//
// For tests: each checkpoint row carries data-state ("", "on_site", "remote"), the page's
// #run carries data-status and #run-position data-state ("waiting", "fix", "error").
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
  return code === -1 ? t.no_geolocation : code === 1 ? t.denied : code === 3 ? t.timeout : t.failed;
}

function showYou(lat, lng) {
  if (!map) return;
  if (you) you.remove();
  you = L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#1e88e5", fillOpacity: 1, className: "pt-you" }).bindTooltip(t.you).addTo(map);
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
}

// --- where the phone is ---------------------------------------------------------------------
// One line says what is known: waiting for a first fix, the last fix and its accuracy, or
// why there is none. While the track records, its fixes are the phone's position: a
// check-in uses the latest one instead of asking the browser a second time (a second
// request beside a running watch can wait until it times out).
const FRESH_MS = 15000;
const positionLine = document.getElementById("run-position");
let lastFix = null; // {lat, lng, accuracy, at (ms), time (ISO)}
let waiters = []; // check-ins waiting for the track's next fix

function showPosition(state, content) {
  if (!positionLine) return;
  positionLine.dataset.state = state;
  positionLine.textContent = content;
  positionLine.hidden = !content;
}

function freshFix() {
  return lastFix && Date.now() - lastFix.at < FRESH_MS ? lastFix : null;
}

function gotFix(position) {
  const { latitude: lat, longitude: lng, accuracy } = position.coords;
  lastFix = { lat, lng, accuracy, at: Date.now(), time: new Date(position.timestamp).toISOString() };
  showYou(lat, lng);
  showPosition("fix", text(t.fix, { accuracy: Math.round(accuracy) }));
  const waiting = waiters;
  waiters = [];
  waiting.forEach((waiter) => waiter.resolve(lastFix));
  return lastFix;
}

function fixError(error) {
  // A late or missed fix while fixes keep arriving is not news; a refusal always is.
  if (error.code !== 1 && freshFix()) return;
  showPosition("error", positionError(error));
  if (error.code === 1) {
    const waiting = waiters;
    waiters = [];
    waiting.forEach((waiter) => waiter.reject(error));
  }
}

function currentFix() {
  if (watch !== null) {
    const fix = freshFix();
    if (fix) return Promise.resolve(fix);
    showPosition("waiting", t.locating);
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      waiters.push(waiter);
      setTimeout(() => {
        if (!waiters.includes(waiter)) return;
        waiters = waiters.filter((w) => w !== waiter);
        reject({ code: 3 });
      }, 20000);
    });
  }
  showPosition("waiting", t.locating);
  return getPosition().then(gotFix, (error) => {
    showPosition("error", positionError(error));
    throw error;
  });
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
  // Once the patrol is over, what only works during it goes away instead of greying out.
  const over = !["planned", "in_progress"].includes(data.status);
  for (const id of ["run-track-section", "run-finding-section", "run-actions"]) {
    const element = document.getElementById(id);
    if (element) element.hidden = over;
  }
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
      result.textContent = last ? checkinText(last) : "";
      main.append(name, result);
      li.append(main);
      if (config.urls && document.getElementById("run-start")) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "pt-button pt-checkin";
        button.textContent = last ? t.check_in_again : t.check_in;
        button.disabled = !running;
        button.hidden = over;
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

function checkinText(checkin) {
  const where = text(checkin.on_site ? t.on_site : t.remote, { distance: Math.round(checkin.distance_m) });
  return checkin.at ? `${where} · ${checkin.at}` : where;
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

// One key per press of "check in" at a checkpoint, kept until the server has the check-in:
// pressing again after a lost answer resends the same key, and the server answers with the
// check-in it already saved.
const pressKeys = new Map();

async function checkIn(checkpoint, li, button, result) {
  if (button.dataset.busy) return;
  button.dataset.busy = "1";
  button.disabled = true;
  button.textContent = t.checking_in;
  let done = false;
  try {
    const fix = await currentFix();
    if (!pressKeys.has(checkpoint.id)) pressKeys.set(checkpoint.id, newKey());
    const { ok, status, data: answer } = await send(config.urls.checkin, {
      json: { checkpoint: checkpoint.id, lat: fix.lat, lng: fix.lng, accuracy: fix.accuracy, key: pressKeys.get(checkpoint.id) },
    });
    if (!ok) {
      if (status > 0 && status < 500) pressKeys.delete(checkpoint.id); // refused: a new press is a new try
      say(status === 0 ? t.network_checkin : answer.detail || t.error, "error");
      return;
    }
    pressKeys.delete(checkpoint.id);
    done = true;
    const checkin = { id: answer.id, mine: true, on_site: answer.on_site, distance_m: answer.distance_m, at: answer.at };
    if (!checkpoint.checkins.some((c) => c.id === checkin.id)) checkpoint.checkins.push(checkin);
    li.dataset.state = answer.on_site ? "on_site" : "remote";
    result.textContent = checkinText(checkin);
    say(text(t.checked_in, { name: checkpoint.name, result: checkinText(checkin) }), answer.on_site ? "inside" : "outside");
  } catch (error) {
    say(positionError(error), "error");
  } finally {
    delete button.dataset.busy;
    button.disabled = data.status !== "in_progress";
    button.textContent = done || checkpoint.checkins.some((c) => c.mine) ? t.check_in_again : t.check_in;
  }
}

// --- the track: positions are buffered and sent in batches; kept when offline ---------------
const buffer = [];
const trackStatus = document.getElementById("run-track-status");
let watch = null;
let sent = 0;
let timer = null;
let sending = Promise.resolve(); // batches go one after the other, never two at once

function showTrack(content) {
  if (!trackStatus) return;
  trackStatus.textContent = content;
  trackStatus.hidden = !content;
}

function flush() {
  sending = sending.then(async () => {
    if (!buffer.length) return;
    const batch = buffer.splice(0, buffer.length);
    const { ok, status } = await send(config.urls.track, { json: { points: batch } });
    if (ok) {
      sent += batch.length;
    } else if (status === 0 || status >= 500) {
      buffer.unshift(...batch); // try again later (the server skips positions it already has)
      showTrack(t.network);
      return;
    }
    if (watch !== null) showTrack(text(t.recording, { count: sent }));
    else if (data.status === "in_progress") showTrack(text(t.paused, { count: sent }));
  });
  return sending;
}

function stopTrack() {
  if (watch === null) return;
  navigator.geolocation.clearWatch(watch);
  watch = null;
  clearInterval(timer);
  document.getElementById("run-track").textContent = t.record;
  // Check-ins waiting for a fix from the track now ask the browser themselves.
  const waiting = waiters;
  waiters = [];
  waiting.forEach((waiter) => getPosition().then(gotFix).then(waiter.resolve, waiter.reject));
}

function toggleTrack() {
  const button = document.getElementById("run-track");
  if (watch !== null) {
    stopTrack();
    showTrack(text(t.paused, { count: sent }));
    flush();
    return;
  }
  if (!("geolocation" in navigator)) {
    showPosition("error", t.no_geolocation);
    return;
  }
  showPosition("waiting", t.locating);
  watch = navigator.geolocation.watchPosition(
    (position) => {
      const fix = gotFix(position);
      buffer.push({ lat: fix.lat, lng: fix.lng, accuracy: fix.accuracy, time: fix.time });
      if (buffer.length >= 10) flush();
    },
    fixError,
    { enableHighAccuracy: true, maximumAge: 5000 },
  );
  timer = setInterval(flush, 20000);
  button.textContent = t.stop;
  showTrack(text(t.recording, { count: sent }));
}

async function endPatrol() {
  if (!window.confirm(t.confirm_end)) return;
  const end = document.getElementById("run-end");
  end.disabled = true;
  try {
    stopTrack();
    await flush();
    if (buffer.length) {
      // Positions not delivered yet: ending now would lose them (the patrol stops taking any).
      say(t.end_unsent, "error");
      return;
    }
    const points = sent;
    const checkins = data.checkpoints.reduce((n, c) => n + c.checkins.filter((ci) => ci.mine).length, 0);
    if (await transition("completed")) {
      sent = 0;
      showTrack("");
      showPosition("", "");
      say(text(t.ended, { points, checkins }), "done");
    }
  } finally {
    end.disabled = false;
  }
}

// --- findings -------------------------------------------------------------------------------
function setUpFinding() {
  const form = document.getElementById("finding-form");
  if (!form) return;
  const select = form.elements.category;
  for (const category of config.categories) select.append(new Option(category.label, category.value));
  let key = newKey();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("finding-result");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    result.textContent = t.locating;
    try {
      const fix = await currentFix();
      const body = new FormData(form);
      body.set("lat", fix.lat);
      body.set("lng", fix.lng);
      body.set("key", key);
      const { ok, data: answer } = await send(config.urls.finding, { form: body });
      result.textContent = ok ? text(t.finding_saved, { code: answer.report }) : answer.detail || t.error;
      if (ok) {
        form.reset();
        key = newKey();
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
  document.getElementById("run-end").addEventListener("click", endPatrol);
  document.getElementById("run-track").addEventListener("click", toggleTrack);
  setUpFinding();
}
render();

window.addEventListener("map:init", (event) => {
  if (event.detail.map.getContainer().id !== "run-map") return;
  map = event.detail.map;
  drawn = drawPatrol(map, data);
});
