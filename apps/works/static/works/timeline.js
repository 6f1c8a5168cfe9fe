// A Gantt-like timeline of the works in the table, drawn with Chart.js (window.Chart, the
// UMD build served from /static/vendor/chart.js/): one row per work, its planned period as
// a light bar and its actual period (to today while under way) as a bar in its status colour.
// Dates are plotted as milliseconds on a linear axis, so no date adapter is needed.

const DAY = 86400000;

function time(iso) {
  return iso ? Date.parse(`${iso}T00:00:00Z`) : null; // UTC midnight: no time zone shifts
}

function monthStarts(min, max) {
  const step = Math.max(1, Math.ceil((max - min) / (30 * DAY) / 8));
  const first = new Date(min);
  const starts = [];
  for (let n = 1; ; n += step) {
    const value = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + n, 1);
    if (value > max) return starts;
    starts.push(value);
  }
}

export function drawTimeline(canvas, config, t, colours, onSelect) {
  const rows = config.timeline;
  const today = time(config.today);
  const dateFormat = new Intl.DateTimeFormat(config.language.startsWith("en") ? "en" : "zh-CN", {
    year: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  const planned = rows.map((row) => {
    const [start, end] = row.planned.map(time);
    return start && end ? [start, end + DAY] : null;
  });
  const actual = rows.map((row) => {
    const start = time(row.actual[0]);
    if (!start) return null;
    const end = time(row.actual[1]) || Math.max(today, start);
    return [start, end + DAY];
  });
  // The axis spans the bars and today, with a week either side (a bar chart's value axis
  // would otherwise start at zero, i.e. 1970).
  const ends = [...planned, ...actual].filter(Boolean).flat().concat([today]);
  const min = Math.min(...ends) - 7 * DAY;
  const max = Math.max(...ends) + 7 * DAY;
  const todayLine = {
    id: "gmToday",
    afterDatasetsDraw(chart) {
      const x = chart.scales.x.getPixelForValue(today);
      const { top, bottom } = chart.chartArea;
      if (x < chart.chartArea.left || x > chart.chartArea.right) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#c62828";
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillStyle = "#c62828";
      ctx.fillText(t.today, x + 3, top + 10);
      ctx.restore();
    },
  };
  return new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((row) => row.name),
      datasets: [
        {
          label: t.planned,
          data: planned,
          backgroundColor: "rgba(120, 144, 156, 0.35)",
          borderColor: "rgba(84, 110, 122, 0.8)",
          borderWidth: 1,
          barPercentage: 0.9,
          grouped: false,
        },
        {
          label: t.actual,
          data: actual,
          backgroundColor: rows.map((row) => colours[row.status] || "#555"),
          barPercentage: 0.5,
          grouped: false,
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          type: "linear",
          min,
          max,
          beginAtZero: false,
          ticks: { callback: (value) => dateFormat.format(new Date(value)) },
          // Ticks on the first of a month (every n months, at most 8): a month label on an
          // arbitrary day reads as that month's start and puts "today" in the wrong month.
          afterBuildTicks: (axis) => {
            axis.ticks = monthStarts(axis.min, axis.max).map((value) => ({ value }));
          },
        },
        y: { ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: "top" },
        tooltip: {
          callbacks: {
            label(context) {
              const range = context.raw;
              if (!range) return `${context.dataset.label}: ${t.no_dates}`;
              const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
              return `${context.dataset.label}: ${iso(range[0])} – ${iso(range[1] - DAY)}`;
            },
          },
        },
      },
      onClick(event, elements) {
        if (elements.length) onSelect(rows[elements[0].index].id);
      },
    },
    plugins: [todayLine],
  });
}
