// A report's page in the console: the small map shows where it is.

const [lat, lon] = JSON.parse(document.getElementById("detail-point").textContent);

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id !== "detail-map") return;
  map.setView([lat, lon], 17);
  L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 3, fillColor: "#c62828", fillOpacity: 1 }).addTo(map);
});
