// The legend: layer swatches and one line per facility kind, collapsible (<details>).

export function facilityIconElement(kind) {
  const disc = document.createElement("span");
  disc.className = `gm-kind-icon gm-kind-${kind.code}`;
  disc.style.setProperty("--gm-kind-colour", kind.colour);
  disc.textContent = kind.symbol;
  disc.setAttribute("aria-hidden", "true");
  return disc;
}

export function legendControl(config, t, styles, { open }) {
  const Legend = L.Control.extend({
    options: { position: "bottomright" },

    onAdd() {
      const details = document.createElement("details");
      details.className = "gm-legend leaflet-control";
      details.open = open;
      const summary = document.createElement("summary");
      summary.textContent = t.legend;
      details.append(summary);

      const layers = document.createElement("ul");
      layers.className = "gm-legend-layers";
      for (const layer of config.layers) {
        const style = styles[layer.name];
        if (!style) continue;
        const item = document.createElement("li");
        const swatch = document.createElement("span");
        swatch.className = "gm-legend-swatch";
        swatch.style.setProperty("--gm-stroke", style.color);
        swatch.style.setProperty("--gm-fill", style.fillColor || style.color);
        swatch.setAttribute("aria-hidden", "true");
        item.append(swatch, document.createTextNode(layer.title));
        layers.append(item);
      }

      const heading = document.createElement("p");
      heading.className = "gm-legend-heading";
      heading.textContent = t.facility_kinds;

      const kinds = document.createElement("ul");
      kinds.className = "gm-legend-kinds";
      for (const kind of config.kinds) {
        const item = document.createElement("li");
        item.dataset.kind = kind.code;
        item.append(facilityIconElement(kind), document.createTextNode(kind.label));
        kinds.append(item);
      }
      details.append(layers, heading, kinds);

      L.DomEvent.disableClickPropagation(details);
      L.DomEvent.disableScrollPropagation(details);
      return details;
    },
  });
  return new Legend();
}
