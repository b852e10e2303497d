  // -- province-level items: the province itself, never a pin --------------------------------
  var provinceIndex = {};
  data.provinces.features.forEach(function (f) { provinceIndex[f.properties.adm1_code] = f; });
  data.province_items.forEach(function (p) {
    var feature = provinceIndex[p[0]], t = typeInfo[p[1]], rows = p[2];
    if (!feature) return;
    var name = feature.properties.name;
    // Outlined, not filled: one translucent fill per type stacked on the choropleth turned
    // the country brown and hid its colours. (A zero-opacity fill still takes the click.)
    var layer = L.geoJSON(feature, {
      style: { color: t.color, weight: 2.5, dashArray: "6 4", fillColor: t.color, fillOpacity: 0,
        className: "im-province-item im-type-" + t.key }
    });
    layer.bindPopup(popupFor(rows, "Somewhere in " + name), { maxWidth: 320, maxHeight: 320 });
    layer.bindTooltip(el("span", "im-tooltip", t.label + ": somewhere in " + name), { sticky: true });
    groups[t.name].addLayer(layer);
    drawn.push({ layer: layer, group: groups[t.name], rows: rows });
    // (not on a compact page: its ids are built on demand, and a table row finds its
    // province by its row, see table.js)
    if (!data.compact) rows.forEach(function (i) { var id = cell("id", i); if (id !== null) byId[id] = layer; });
  });

  // -- base outlines, choropleths, districts ----------------------------------------------------
  // Their own pane below the overlay pane, so province-level items stay visible above them,
  // drawn on one canvas: hundreds of outlines as SVG nodes made each zoom step slow.
  map.createPane("imBase").style.zIndex = 350;
  var baseRenderer = L.canvas({ pane: "imBase", padding: 0.3 });
  L.geoJSON(data.country, { renderer: baseRenderer, interactive: false, style: { color: "#555", weight: 1.5,
    fill: true, fillColor: "#f4f1ea", fillOpacity: 0.6 } }).addTo(groups.__base__);
  // The plain outlines only while no shading is on (a shading draws the same lines).
  var provinceOutline = L.geoJSON(data.provinces, { renderer: baseRenderer, interactive: false,
    style: { color: "#888", weight: 0.8, fill: false } });
  function outlineOnce() {
    var shadingOn = [groups.__choropleth__, groups.__per100k__].some(function (g) { return g && map.hasLayer(g); });
    if (shadingOn && groups.__base__.hasLayer(provinceOutline)) groups.__base__.removeLayer(provinceOutline);
    if (!shadingOn && !groups.__base__.hasLayer(provinceOutline)) groups.__base__.addLayer(provinceOutline);
  }
  map.on("overlayadd overlayremove", function () { setTimeout(outlineOnce, 0); });
  var shaded = { count: {}, per100k: {} };  // key -> adm1_code -> polygon layer
  function choropleth(group, key) {
    if (!group) return;
    L.geoJSON(data.provinces, {
      renderer: baseRenderer,
      style: function (f) {
        return { color: "#666", weight: 0.6, fillColor: f.properties[key + "_color"], fillOpacity: 0.55 };
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(el("span", "im-tooltip", f.properties.name + ": " + f.properties[key + "_text"]),
          { sticky: true });
        shaded[key][f.properties.adm1_code] = layer;
      }
    }).addTo(group);
  }
  // Under a date filter the provinces are shaded by the incidents shown, with the classes of
  // the whole log (so the legend stays right); a small or hidden cell keeps its shading.
  function classColour(value, breaks) {
    var colours = data.shading.colours;
    for (var k = 0; k < breaks.length && k < colours.length; k++) if (value <= breaks[k]) return colours[k];
    return colours[colours.length - 1];
  }
  function reshade() {
    var counts = {};
    for (var i = 0; i < rowCount; i++) {
      var code = cell("adm1_code", i);
      if (code && isVisible(i)) counts[code] = (counts[code] || 0) + 1;
    }
    data.provinces.features.forEach(function (f) {
      var p = f.properties, n = counts[p.adm1_code] || 0;
      if (p.fixed) return;
      var c = shaded.count[p.adm1_code], r = shaded.per100k[p.adm1_code];
      if (c) {
        c.setStyle({ fillColor: classColour(n, data.shading.breaks.count) });
        c.setTooltipContent(el("span", "im-tooltip", p.name + ": " + n + (n === 1 ? " incident" : " incidents")));
      }
      if (r && p.population) {
        var rate = Math.round(n / p.population * 1e7) / 100;
        r.setStyle({ fillColor: classColour(rate, data.shading.breaks.per100k) });
        r.setTooltipContent(el("span", "im-tooltip", p.name + ": " + rate + " incidents per 100,000 people"));
      }
    });
  }
  whenFiltered.push(reshade);
  choropleth(groups.__choropleth__, "count");
  choropleth(groups.__per100k__, "per100k");
  outlineOnce();

  // -- the province panel: a click on a shaded province ----------------------------------------
  // Over the map, below the title, not in a corner: the corners already hold the controls.
  var openedProvince = null;
  var provinceBox = el("div", "im-province-panel leaflet-bar");
  provinceBox.setAttribute("role", "region");
  provinceBox.setAttribute("aria-live", "polite");
  provinceBox.style.display = "none";
  L.DomEvent.disableClickPropagation(provinceBox);
  L.DomEvent.disableScrollPropagation(provinceBox);
  map.getContainer().appendChild(provinceBox);
  function sum(rows, column) {
    var g = given(rows, column);
    return g.rows ? g.total.toLocaleString("en") +
      (g.rows < rows.length ? " (not given in " + (rows.length - g.rows) + ")" : "") : "not given";
  }
  // Bars of ``counts`` under ``labels`` (an SVG built node by node), read out as
  // "Incidents per <unit>: label: n, ...".
  function barChart(labels, counts, unit, width, height, below) {
    var ns = "http://www.w3.org/2000/svg", step = width / counts.length;
    var top = Math.max.apply(null, counts) || 1;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", width); svg.setAttribute("height", height + (below || 0));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Incidents per " + unit + ": " +
      labels.map(function (label, k) { return label + ": " + counts[k]; }).join(", "));
    var bars = counts.map(function (n, k) {
      var bar = document.createElementNS(ns, "rect"), h = Math.round(n / top * (height - 2));
      bar.setAttribute("x", (k * step + 0.5).toFixed(1)); bar.setAttribute("width", Math.max(step - 1, 1).toFixed(1));
      bar.setAttribute("y", height - h); bar.setAttribute("height", h);
      svg.appendChild(bar);
      return bar;
    });
    return { svg: svg, bars: bars };
  }
  function trendChart(rows) {  // incidents per month, as bars (an SVG built node by node)
    var months = {};
    rows.forEach(function (i) { var d = cell("date", i); if (d) months[d.slice(0, 7)] = (months[d.slice(0, 7)] || 0) + 1; });
    var keys = Object.keys(months).sort();
    if (!keys.length) return el("div", "im-empty", "no dated incident");
    var all = [], y = +keys[0].slice(0, 4), m = +keys[0].slice(5, 7), last = keys[keys.length - 1];
    while (all.length < 240) {
      var key = y + "-" + (m < 10 ? "0" : "") + m;
      all.push(key);
      if (key >= last) break;
      m++; if (m > 12) { m = 1; y++; }
    }
    var chart = barChart(all, all.map(function (k) { return months[k] || 0; }), "month", 240, 48, 14);
    var svg = chart.svg, width = 240, height = 48, ns = svg.namespaceURI;
    svg.setAttribute("class", "im-trend");
    chart.bars.forEach(function (bar) { bar.setAttribute("fill", "#0072b2"); });
    [[0, all[0]], [width, all[all.length - 1]]].forEach(function (end, k) {
      var label = document.createElementNS(ns, "text");
      label.setAttribute("x", end[0]); label.setAttribute("y", height + 12);
      label.setAttribute("font-size", "10"); label.setAttribute("text-anchor", k ? "end" : "start");
      label.textContent = end[1];
      svg.appendChild(label);
    });
    return svg;
  }
  // The panel of a province, or of a district (f.properties.district set) when the district
  // outlines are on: the rows shown there now, by type, with people, a trend and the list.
  function openProvince(f) {
    openedProvince = f;
    var p = f.properties, box = provinceBox, district = p.district;
    var province = district ? provinceIndex[p.adm1_code] : f;
    box.textContent = "";
    box.style.display = "";
    var title = district ? p.name + " (" + provinceNames[p.adm1_code] + ")" : p.name;
    var head = el("div", "im-heading", title);
    var close = el("button", "im-close", "\u00d7");
    close.setAttribute("aria-label", "Close the panel of " + title);
    close.addEventListener("click", function () { box.style.display = "none"; openedProvince = null; });
    head.appendChild(close);
    box.appendChild(head);
    // A small or hidden cell: what its province's shading says, nothing more (a district's
    // figure would give away the count the shading withholds).
    if (!province || province.properties.fixed) {
      box.appendChild(el("div", "im-province-count", province ? province.properties.count_text : "not shown"));
      return;
    }
    var rows = [];
    for (var i = 0; i < rowCount; i++) {
      if (isVisible(i) && cell("adm1_code", i) === p.adm1_code && (!district || cell("adm2_name", i) === p.name)) rows.push(i);
    }
    box.appendChild(el("div", "im-province-count", rows.length + (rows.length === 1 ? " incident" : " incidents") + " shown"));
    box.appendChild(areaFacts(rows));
    box.appendChild(trendChart(rows));
    box.appendChild(areaList(rows, district ? "district" : "province"));
  }
  function areaFacts(rows) {
    var facts = el("div", "im-province-facts");
    typeInfo.forEach(function (t, k) {
      var n = rows.filter(function (i) { return cell("type", i) === k; }).length;
      if (n) fact(facts, t.label, n);
    });
    fact(facts, "People", sum(rows, "people"));
    fact(facts, "Women", sum(rows, "women"));
    fact(facts, "Children", sum(rows, "children"));
    return facts;
  }
  function areaList(rows, level) {
    var list = el("div", "im-panel-list");
    var somewhere = rows.filter(function (i) { return cell("geo_precision", i) >= 3; });
    rows.filter(function (i) { return cell("geo_precision", i) < 3; }).slice(0, 50)
      .forEach(function (i) { list.appendChild(describeRow(i)); });
    if (somewhere.length) {
      list.appendChild(el("div", "im-heading im-somewhere", "Somewhere in the " + level + " (" + somewhere.length + ")"));
      somewhere.slice(0, 50).forEach(function (i) { list.appendChild(describeRow(i)); });
    }
    return list;
  }
  whenFiltered.push(function () { if (openedProvince) openProvince(openedProvince); });
  [shaded.count, shaded.per100k].forEach(function (byCode) {
    Object.keys(byCode).forEach(function (code) {
      byCode[code].on("click", function () { openProvince(byCode[code].feature); });
    });
  });
  if (groups.__districts__) {
    // A zero-opacity fill takes the click that opens the district's panel.
    L.geoJSON(data.districts, {
      renderer: baseRenderer,
      style: { color: "#7a6", weight: 0.7, fill: true, fillOpacity: 0 },
      onEachFeature: function (f, layer) {
        f.properties.district = true;
        layer.bindTooltip(el("span", "im-tooltip", f.properties.name));
        layer.on("click", function () { openProvince(f); });
      }
    }).addTo(groups.__districts__);
  }

