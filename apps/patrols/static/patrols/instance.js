// The patrol record page: own check-in notes, track upload, cancelling (staff).
import { readJSON, send } from "./maputil.js";

const config = readJSON("patrol-config");
const t = readJSON("patrol-strings");

for (const form of document.querySelectorAll(".pt-note-form")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    const { ok, data } = await send(form.dataset.url, { json: { note: form.elements.note.value } });
    button.disabled = false;
    button.textContent = ok ? t.saved : data.detail || t.error;
  });
}

const upload = document.getElementById("track-upload");
if (upload) {
  upload.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("track-upload-result");
    result.textContent = t.uploading;
    const { ok, data } = await send(config.urls.upload, { form: new FormData(upload) });
    result.textContent = data.detail || (ok ? t.saved : t.error);
    if (ok) window.location.reload();
  });
}

const cancel = document.getElementById("cancel-form");
if (cancel) {
  cancel.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { ok, data } = await send(config.urls.transition, { json: { to: "cancelled", note: cancel.elements.note.value } });
    if (ok) window.location.reload();
    else document.getElementById("cancel-result").textContent = data.detail || t.error;
  });
}
