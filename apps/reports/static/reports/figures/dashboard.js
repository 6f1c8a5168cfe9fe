// The figures dashboard: two charts (Chart.js, UMD build served from /static/vendor/chart.js/)
// and the grids shaded by how many reports are open in each (the registry's grids GeoJSON,
// joined here with /figures/open-by-grid.json by grid id). The map container carries
// data-fg-state (loading | ready | error) and data-fg-grids for tests.

const chart = JSON.parse(document.getElementById("figures-chart").textContent);
const config = JSON.parse(document.getElementById("figures-config").textContent);
const t = JSON.parse(document.getElementById("figures-strings").textContent);

// Five classes from light to dark red; grey for grids with none open.
const SHADES = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
const NONE = "#f2f2f2";

function drawCharts() {
  if (typeof Chart === "undefined") return;
  const months = document.getElementById("chart-months");
  if (months) {
    new Chart(months, {
      data: {
        labels: chart.months,
        datasets: [
          { type: "bar", label: t.received, data: chart.received, backgroundColor: "#90a4ae", yAxisID: "y" },
          { type: "bar", label: t.closed, data: chart.closed, backgroundColor: "#2e7d32", yAxisID: "y" },
          {
            type: "line", label: t.on_time_rate, yAxisID: "rate", borderColor: "#c62828", backgroundColor: "#c62828",
            data: chart.on_time_rate.map((v) => (v === null ? null : Math.round(v * 1000) / 10)), spanGaps: true,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { beginAtZero: true, title: { display: true, text: t.reports }, ticks: { precision: 0 } },
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "%" } },
        },
      },
    });
  }
  const categories = document.getElementById("chart-categories");
  if (categories) {
    new Chart(categories, {
      type: "bar",
      data: {
        labels: chart.categories,
        datasets: [
          { label: t.received, data: chart.category_received, backgroundColor: "#90a4ae" },
          { label: t.still_open, data: chart.category_open, backgroundColor: "#e07b00" },
        ],
      },
      options: { indexAxis: "y", maintainAspectRatio: false, animation: false, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
}

function classify(count, max) {
  if (!count) return NONE;
  const index = Math.min(SHADES.length - 1, Math.floor(((count - 1) / Math.max(max, 1)) * SHADES.length));
  return SHADES[index];
}

function legend(max) {
  const root = document.getElementById("figures-legend");
  if (!root) return;
  root.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = t.legend;
  root.append(title);
  const steps = [[0, NONE]];
  for (let n = 1; n <= max; n += 1) {
    const colour = classify(n, max);
    if (steps[steps.length - 1][1] !== colour) steps.push([n, colour]);
  }
  steps.forEach(([from, colour], i) => {
    const next = steps[i + 1];
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = colour;
    const to = next ? next[0] - 1 : max;
    item.append(swatch, from === to ? String(from) : `${from}–${to}`);
    root.append(item);
  });
}

async function loadMap(map) {
  const container = map.getContainer();
  const status = document.getElementById("figures-map-status");
  container.dataset.fgState = "loading";
  status.textContent = t.loading;
  status.hidden = false;
  try {
    const options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    const [grids, counts] = await Promise.all([
      fetch(config.grids_url, options).then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); }),
      fetch(config.counts_url, options).then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); }),
    ]);
    const layer = L.geoJSON(grids, {
      style: (feature) => ({
        color: "#555", weight: 1, fillOpacity: 0.75,
        fillColor: classify(counts.counts[String(feature.id)] || 0, counts.max),
      }),
      onEachFeature: (feature, shape) => {
        const n = counts.counts[String(feature.id)] || 0;
        shape.bindTooltip(`${feature.properties.code} · ${t.open_reports}: ${n}`);
      },
    }).addTo(map);
    if (grids.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10], animate: false });
    else if (config.extent) {
      const [minLon, minLat, maxLon, maxLat] = config.extent;
      map.fitBounds([[minLat, minLon], [maxLat, maxLon]], { animate: false });
    }
    legend(counts.max);
    status.textContent = grids.features.length ? "" : t.no_grids;
    status.hidden = grids.features.length > 0;
    container.dataset.fgGrids = String(grids.features.length);
    container.dataset.fgState = "ready";
  } catch (error) {
    status.textContent = t.load_failed;
    status.hidden = false;
    container.dataset.fgState = "error";
  }
}

drawCharts();
window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  if (map.getContainer().id === "figures-map") loadMap(map);
});
