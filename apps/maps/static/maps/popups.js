// Popup contents built as DOM nodes with textContent: no feature text is ever parsed as HTML.

export function makeFormatter(config, t) {
  const english = config.language.startsWith("en");
  const locale = english ? "en" : "zh-CN";
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const twoPlaces = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const listFormat = new Intl.ListFormat(locale, { type: "conjunction" });

  return {
    english,
    number: (value) => whole.format(value),
    list: (items) => listFormat.format(items),
    // Areas come from the API in geodesic square metres; km² past one square kilometre.
    area(m2) {
      if (m2 >= 1e6) return `${twoPlaces.format(m2 / 1e6)} ${t.unit_km2}`;
      return `${whole.format(m2)} ${t.unit_m2}`;
    },
    // Lengths come in geodesic metres and are shown in whole metres.
    length: (m) => `${whole.format(m)} ${t.unit_m}`,
    // "东瑞社区 (Dongrui Community)" in English mode, the Chinese name alone otherwise.
    bilingual(name, nameEn) {
      if (!name) return nameEn || "";
      return english && nameEn ? `${name} (${nameEn})` : name;
    },
  };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function present(value) {
  return value !== null && value !== undefined && value !== "";
}

// Each layer's key facts as [label, value] rows; empty values are left out.
function factsFor(layerName, p, fmt, config, t) {
  const kindLabels = Object.fromEntries(config.kinds.map((k) => [k.code, k.label]));
  const community = fmt.bilingual(p.community_name, p.community_name_en);
  const area = present(p.area_m2) ? fmt.area(p.area_m2) : null;
  switch (layerName) {
    case "communities":
      return [
        [t.code, p.code],
        [t.subdistrict, fmt.bilingual(p.subdistrict_name, p.subdistrict_name_en)],
        [t.area, area],
        [t.population, present(p.population) ? fmt.number(p.population) : null],
        [t.households, present(p.households) ? fmt.number(p.households) : null],
        [t.service_hall_hours, p.service_hall_hours],
      ];
    case "grids":
      return [
        [t.code, p.code],
        [t.community, community],
        [t.area, area],
      ];
    case "compounds":
      return [
        [t.community, community],
        [t.property_company, fmt.bilingual(p.property_company_name, p.property_company_name_en)],
        [t.area, area],
      ];
    case "buildings":
      return [
        [t.compound, fmt.bilingual(p.compound_name, p.compound_name_en)],
        [t.building_head, p.building_head_name],
        [t.floors, present(p.floors) ? fmt.number(p.floors) : null],
        [t.households, present(p.households) ? fmt.number(p.households) : null],
        [t.area, area],
        [t.community, community],
      ];
    case "facilities":
      return [
        [t.kind, kindLabels[p.kind] || p.kind],
        [t.status, config.statuses[p.status] || p.status],
        [t.opening_hours, p.opening_hours],
        [t.capacity, present(p.capacity) ? fmt.number(p.capacity) : null],
        [t.length, present(p.length_m) ? fmt.length(p.length_m) : null],
        [t.area, area],
        [t.managed_by, fmt.bilingual(p.managing_organisation_name, p.managing_organisation_name_en)],
        [t.completed_on, p.completed_on],
        [t.community, community],
      ];
    default:
      return [];
  }
}

function titleFor(layerName, p, t) {
  if (layerName === "grids") return [`${t.grid} ${p.code}`, p.name ? `${p.name}` : null];
  if (layerName === "buildings") return [p.number, p.name || null];
  return [p.name, null];
}

export function popupContent(layerName, feature, fmt, config, t) {
  const p = feature.properties || {};
  const root = element("div", `gm-popup gm-popup-${layerName}`);
  const [title, subtitle] = titleFor(layerName, p, t);
  root.append(element("h3", "gm-popup-title", title));
  const secondary = [subtitle, fmt.english ? p.name_en : null].filter(present);
  if (secondary.length) root.append(element("p", "gm-popup-subtitle", secondary.join(" · ")));
  const list = element("dl", "gm-popup-facts");
  for (const [label, value] of factsFor(layerName, p, fmt, config, t)) {
    if (!present(value)) continue;
    list.append(element("dt", null, label), element("dd", null, value));
  }
  root.append(list);
  return root;
}
