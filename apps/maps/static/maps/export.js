// "Export" on the map: download a layer's features in view as GeoPackage, Shapefile,
// GeoJSON, CSV or KML, from /export/<layer>?bbox=...&format=... (apps.dataio).
//
// The link is rebuilt whenever the view or the choice changes, so that it always says
// what will be downloaded; the map container carries it as data-gm-export for tests.

export function exportControl(map, config, t) {
  const Export = L.Control.extend({
    options: { position: "bottomleft" },

    onAdd() {
      const details = document.createElement("details");
      details.className = "gm-export leaflet-control";
      const summary = document.createElement("summary");
      summary.textContent = t.export;
      const layer = labelled(t.export_layer, "select", "gm-export-layer");
      for (const item of config.layers) layer.input.append(new Option(item.title, item.name));
      const format = labelled(t.export_format, "select", "gm-export-format");
      for (const [code, label] of config.export.formats) format.input.append(new Option(label, code));
      const link = document.createElement("a");
      link.className = "gm-export-link";
      link.textContent = t.export_download;
      link.setAttribute("download", "");
      const update = () => {
        const b = map.getBounds();
        const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
        const bbox = [
          clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
          clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90),
        ].map((v) => v.toFixed(6)).join(",");
        const url = config.export.url.replace("__layer__", encodeURIComponent(layer.input.value));
        link.href = `${url}?${new URLSearchParams({ bbox, format: format.input.value })}`;
        map.getContainer().dataset.gmExport = link.getAttribute("href");
      };
      layer.input.addEventListener("change", update);
      format.input.addEventListener("change", update);
      map.on("moveend", update);
      details.append(summary, layer.label, format.label, link);
      L.DomEvent.disableClickPropagation(details);
      L.DomEvent.disableScrollPropagation(details);
      map.whenReady(update);
      return details;
    },
  });
  return new Export();
}

function labelled(text, tag, className) {
  const label = document.createElement("label");
  label.className = className;
  const input = document.createElement(tag);
  label.append(document.createTextNode(text), input);
  return { label, input };
}
