// incident-mapper: draws the incident layers of one map from one embedded data object.
// Every piece of user text reaches the page through textContent or an attribute set by
// the DOM API, never through innerHTML: the data is data, not markup.
(function () {
  "use strict";
  var map = __MAP__;
  var data = __DATA__;
  var groups = __GROUPS__;

  // -- small helpers ------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function cell(column, i) {
    var col = data.rows[column];
    if (!col) return null;
    if (col.v) { var code = col.c[i]; return code < 0 ? null : col.v[code]; }
    return col[i];
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }
  var typeInfo = data.types;
  var typeByName = {};
  typeInfo.forEach(function (t) { typeByName[t.name] = t; });
  // The total of a count column over some rows, and how many of them give it.
  function given(rows, column) {
    var out = { total: 0, rows: 0 };
    rows.forEach(function (i) {
      var n = cell(column, i);
      if (n !== null && n !== undefined) { out.total += n; out.rows++; }
    });
    return out;
  }
  // A phone: the controls start folded (a tap on each opens it), so the map is seen first.
  var small = window.innerWidth < 600;
  // A popup opens clear of the controls at the top left (on a phone they take its top
  // quarter), and the tooltip of what was tapped gives way to it.
  function clearOfControls() {  // below the top-left controls, as folded or opened now
    var corner = map.getContainer().querySelector(".leaflet-top.leaflet-left");
    var top = map.getContainer().getBoundingClientRect().top;
    var bottom = corner ? corner.getBoundingClientRect().bottom - top : 0;
    L.Popup.prototype.options.autoPanPaddingTopLeft = L.point(10, small ? bottom + 10 : 60);
  }
  document.addEventListener("toggle", clearOfControls, true);
  map.on("popupopen", function (e) { if (e.popup._source && e.popup._source.closeTooltip) e.popup._source.closeTooltip(); });
  var provinceNames = {};
  data.provinces.features.forEach(function (f) { provinceNames[f.properties.adm1_code] = f.properties.name; });
  var precisionWords = data.labels.precision;

  // -- popups, built node by node ----------------------------------------------------------
  function fact(list, label, value) {
    if (value === null || value === undefined || value === "") return;
    var row = el("div", "im-fact");
    row.appendChild(el("span", "im-label", label + ": "));
    row.appendChild(el("span", "im-value", value));
    list.appendChild(row);
  }
  function describeRow(i) {
    var box = el("div", "im-item");
    box.setAttribute("data-id", cell("id", i));
    var t = typeInfo[cell("type", i)];
    box.appendChild(el("div", "im-title", t.label + " \u2014 " + (cell("date_label", i) || cell("date", i) || "no date")));
    fact(box, "Place as reported", cell("place", i));
    var match = cell("geo_match", i);
    if (match) fact(box, "Matched", match + " \u2014 " + precisionWords[cell("geo_precision", i)]);
    var where = [cell("adm3_name", i), cell("adm2_name", i), provinceNames[cell("adm1_code", i)]]
      .filter(function (x) { return x; }).join(", ");
    fact(box, "Admin units", where);
    var people = cell("people", i);
    fact(box, "People", people === null || people === undefined ? cell("people_band", i) : people);
    fact(box, "Women", cell("women", i));
    fact(box, "Children", cell("children", i));
    fact(box, "Nationality", cell("nationality", i));
    fact(box, "Actor", cell("actor", i));
    fact(box, "Summary", cell("notes", i));
    var url = safeUrl(cell("source_url", i));
    var source = cell("source", i) || url;
    if (source) {
      var line = el("div", "im-fact");
      line.appendChild(el("span", "im-label", "Source: "));
      if (url) {
        var a = el("a", "im-source", source);
        a.setAttribute("href", url);
        a.setAttribute("target", "_blank");
        a.setAttribute("rel", "noopener noreferrer");
        line.appendChild(a);
      } else {
        line.appendChild(el("span", "im-value", source));
      }
      box.appendChild(line);
    }
    return box;
  }
  function popupFor(rows, heading) {
    return function () {
      var box = el("div", "im-popup");
      if (heading) box.appendChild(el("div", "im-heading", heading));
      var shown = rows.filter(isVisible);
      shown.slice(0, 50).forEach(function (i) { box.appendChild(describeRow(i)); });
      if (shown.length > 50) box.appendChild(el("div", "im-more", "\u2026 and " + (shown.length - 50) + " more"));
      return box;
    };
  }
  function tooltipFor(rows) {
    var i = rows[0];
    var text = typeInfo[cell("type", i)].label + ": " + (cell("place", i) || cell("geo_match", i) || "");
    if (rows.length > 1) text += " (" + rows.length + " incidents)";
    return el("span", "im-tooltip", text);
  }
  // What a screen reader says of a marker: "Deportation, Meun Chey, 2026-01-20, 42 people".
  function markerName(rows) {
    var i = rows[0], people = cell("people", i);
    var parts = [typeInfo[cell("type", i)].label, cell("place", i) || cell("geo_match", i),
                 cell("date", i), people != null ? people + " people" : null];
    var name = parts.filter(function (p) { return p; }).join(", ");
    return rows.length > 1 ? name + " and " + (rows.length - 1) + " more" : name;
  }

  // -- the date filter ---------------------------------------------------------------------
  var range = { from: null, to: null };
  function isVisible(i) {
    if (!range.from && !range.to) return true;
    var d = cell("date", i);
    if (!d) return false;
    return (!range.from || d >= range.from) && (!range.to || d <= range.to);
  }

  // Approximate markers show their district's outline while hovered.
  var districtIndex = {};
  (data.districts.features || []).forEach(function (f) {
    districtIndex[f.properties.adm1_code + "|" + f.properties.name] = f;
  });
  var hoverLayer = null;
  function showOutline(i) {
    var feature = districtIndex[cell("adm1_code", i) + "|" + cell("adm2_name", i)];
    hideOutline();
    if (!feature) return;
    hoverLayer = L.geoJSON(feature, { interactive: false, className: "im-hover-outline",
      style: { color: "#333", weight: 2, dashArray: "4 3", fill: false } }).addTo(map);
  }
  function hideOutline() { if (hoverLayer) { map.removeLayer(hoverLayer); hoverLayer = null; } }

  // -- incident markers ----------------------------------------------------------------------
  // Many markers (data.large) go into one marker-cluster group per type, added in bulk.
  // Markers are built while their layer is off the map; popups and district outlines hang
  // on one handler per type, not on each of possibly 100,000 markers.
  var drawn = [];          // {layer, group, rows}
  var byId = {};
  function markerIcon(t, precision, count) {
    var span = el("span", "im-badge im-type-" + t.key + (precision > 1 ? " im-approx" : ""),
      count > 1 ? String(count) : t.glyph);
    span.style.setProperty("--im-color", t.color);
    return L.divIcon({ html: span, className: "im-marker", iconSize: [24, 24], iconAnchor: [12, 12] });
  }
  // A cluster wears its type's colour as a ring around dark figures on white (the plugin's
  // green, yellow and orange said nothing and clashed with the types).
  function clusterIcon(t) {
    return function (cluster) {
      var n = cluster.getChildCount(), size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
      var span = el("span", "im-cluster im-type-" + t.key,
        n >= 10000 ? Math.round(n / 1000) + "k" : String(n));
      span.style.setProperty("--im-color", t.color);
      span.style.width = span.style.height = size + "px";
      span.setAttribute("aria-label", n + " " + t.label);
      return L.divIcon({ html: span, className: "im-marker", iconSize: [size, size] });
    };
  }
  var typeGroups = data.types.map(function (t) { return groups[t.name]; });
  var wasShown = typeGroups.map(function (g) { return map.hasLayer(g); });
  typeGroups.forEach(function (g) { map.removeLayer(g); });
  var containers = {}, pending = {};
  data.types.forEach(function (t) {
    containers[t.name] = groups[t.name];
    if (data.large) {
      containers[t.name] = L.markerClusterGroup({ chunkedLoading: false, showCoverageOnHover: false,
        maxClusterRadius: 45, iconCreateFunction: clusterIcon(t) });
      groups[t.name].addLayer(containers[t.name]);
    }
    pending[t.name] = [];
  });
  data.markers.forEach(function (m) {
    var t = typeInfo[m[2]], rows = m[4];
    var layer = L.marker([m[0], m[1]], { icon: markerIcon(t, m[3], rows.length), keyboard: true,
      zIndexOffset: 1000, title: markerName(rows) });
    if (!data.large) layer.bindTooltip(tooltipFor(rows), { direction: "top", offset: [0, -10] });
    layer.imRows = rows;
    layer.imApprox = m[3] > 1;
    pending[t.name].push(layer);
    drawn.push({ layer: layer, group: containers[t.name], rows: rows });
    rows.forEach(function (i) { byId[cell("id", i)] = layer; });
  });
  data.types.forEach(function (t) { addAll(containers[t.name], pending[t.name]); });
  function addAll(container, layers) {
    if (container.addLayers) container.addLayers(layers);
    else layers.forEach(function (l) { container.addLayer(l); });
  }
  function openMarker(layer) {
    if (!layer || !layer.imRows) return;
    L.popup({ maxWidth: 320, maxHeight: 320, offset: [0, -6] })
      .setLatLng(layer.getLatLng()).setContent(popupFor(layer.imRows)()).openOn(map);
  }
  typeGroups.forEach(function (g, k) {
    g.on("click", function (e) { openMarker(e.layer); });
    // Enter on a focused marker opens it as a click does (Leaflet reaches the group with it).
    g.on("keypress", function (e) {
      if (e.originalEvent && e.originalEvent.key === "Enter") openMarker(e.layer);
    });
    g.on("mouseover", function (e) { if (e.layer.imApprox) showOutline(e.layer.imRows[0]); });
    g.on("mouseout", function (e) { if (e.layer.imApprox) hideOutline(); });
    if (wasShown[k]) map.addLayer(g);
  });

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
    rows.forEach(function (i) { byId[cell("id", i)] = layer; });
  });

  // -- base outlines, choropleths, districts ----------------------------------------------------
  // Their own pane below the overlay pane, so province-level items stay visible above them.
  map.createPane("imBase").style.zIndex = 350;
  L.geoJSON(data.country, { pane: "imBase", interactive: false, style: { color: "#555", weight: 1.5, fill: true,
    fillColor: "#f4f1ea", fillOpacity: 0.6 } }).addTo(groups.__base__);
  L.geoJSON(data.provinces, { pane: "imBase", interactive: false,
    style: { color: "#888", weight: 0.8, fill: false } })
    .addTo(groups.__base__);
  var shaded = { count: {}, per100k: {} };  // key -> adm1_code -> polygon layer
  function choropleth(group, key) {
    if (!group) return;
    L.geoJSON(data.provinces, {
      pane: "imBase",
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
  choropleth(groups.__choropleth__, "count");
  choropleth(groups.__per100k__, "per100k");

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
  function openProvince(f) {
    openedProvince = f;
    var p = f.properties, box = provinceBox;
    box.textContent = "";
    box.style.display = "";
    var head = el("div", "im-heading", p.name);
    var close = el("button", "im-close", "\u00d7");
    close.setAttribute("aria-label", "Close the panel of " + p.name);
    close.addEventListener("click", function () { box.style.display = "none"; openedProvince = null; });
    head.appendChild(close);
    box.appendChild(head);
    if (p.fixed) {  // a small or hidden cell: what its shading says, nothing more
      box.appendChild(el("div", "im-province-count", p.count_text));
      return;
    }
    var rows = [];
    for (var i = 0; i < rowCount; i++) if (cell("adm1_code", i) === p.adm1_code && isVisible(i)) rows.push(i);
    box.appendChild(el("div", "im-province-count", rows.length + (rows.length === 1 ? " incident" : " incidents") + " shown"));
    var facts = el("div", "im-province-facts");
    typeInfo.forEach(function (t, k) {
      var n = rows.filter(function (i) { return cell("type", i) === k; }).length;
      if (n) fact(facts, t.label, n);
    });
    fact(facts, "People", sum(rows, "people"));
    fact(facts, "Women", sum(rows, "women"));
    fact(facts, "Children", sum(rows, "children"));
    box.appendChild(facts);
    box.appendChild(trendChart(rows));
    var list = el("div", "im-panel-list");
    var somewhere = rows.filter(function (i) { return cell("geo_precision", i) >= 3; });
    rows.filter(function (i) { return cell("geo_precision", i) < 3; }).slice(0, 50)
      .forEach(function (i) { list.appendChild(describeRow(i)); });
    if (somewhere.length) {
      list.appendChild(el("div", "im-heading im-somewhere", "Somewhere in the province (" + somewhere.length + ")"));
      somewhere.slice(0, 50).forEach(function (i) { list.appendChild(describeRow(i)); });
    }
    box.appendChild(list);
  }
  [shaded.count, shaded.per100k].forEach(function (byCode) {
    Object.keys(byCode).forEach(function (code) {
      byCode[code].on("click", function () { openProvince(byCode[code].feature); });
    });
  });
  if (groups.__districts__) {
    L.geoJSON(data.districts, {
      pane: "imBase",
      style: { color: "#7a6", weight: 0.7, fill: false },
      onEachFeature: function (f, layer) { layer.bindTooltip(el("span", "im-tooltip", f.properties.name)); }
    }).addTo(groups.__districts__);
  }

  // -- checkpoints and hot spots --------------------------------------------------------------
  function pointIcon(className, glyph) {
    return L.divIcon({ html: el("span", className, glyph), className: "im-marker", iconSize: [16, 16],
      iconAnchor: [8, 8] });
  }
  if (groups.__checkpoints__) {
    data.checkpoints.forEach(function (c) {
      var text = c.name + (c.counterpart ? " \u2194 " + c.counterpart + " (" + c.counterpart_country + ")" : "");
      // context, not incidents: out of the Tab order (a keyboard user reaches incidents first)
      L.marker([c.lat, c.lon], { icon: pointIcon("im-checkpoint", ""), zIndexOffset: -1000,
        keyboard: false, title: text })
        .bindTooltip(el("span", "im-tooltip", text)).addTo(groups.__checkpoints__);
    });
  }
  if (groups.__hotspots__) {
    data.hotspots.forEach(function (h) {
      L.marker([h.lat, h.lon], { icon: pointIcon("im-hotspot", ""), zIndexOffset: -500,
        keyboard: false, title: h.name + " (" + h.kind + ")" })
        .bindTooltip(el("span", "im-tooltip", h.name + " (" + h.kind + ")")).addTo(groups.__hotspots__);
    });
  }

  // -- flows: people taken across a border ----------------------------------------------------
  var flows = [];
  function arc(from, to) {  // a curve bowed to one side, so that flows to one country part
    var mid = [(from[0] + to[0]) / 2 + (to[1] - from[1]) * 0.2,
               (from[1] + to[1]) / 2 - (to[0] - from[0]) * 0.2];
    var points = [];
    for (var k = 0; k <= 32; k++) {
      var t = k / 32, u = 1 - t;
      points.push([u * u * from[0] + 2 * u * t * mid[0] + t * t * to[0],
                   u * u * from[1] + 2 * u * t * mid[1] + t * t * to[1]]);
    }
    return points;
  }
  function flowText(f, rows) {
    var label = typeByName[f.type], people = given(rows, "people");
    var text = (label ? label.label : f.type) + " to " + f.country + ": " +
      rows.length + (rows.length === 1 ? " incident" : " incidents");
    if (people.rows) text += ", " + people.total.toLocaleString("en") + " people";
    if (people.rows && people.rows < rows.length) text += " (" + (rows.length - people.rows) + " without a count)";
    return text;
  }
  if (groups.__flows__) {
    data.flows.forEach(function (f) {
      var t = typeByName[f.type];
      var colour = t ? t.color : "#555555";
      var layer = L.featureGroup([
        L.polyline(arc(f.from, f.to), { color: colour, weight: 3, opacity: 0.85, className: "im-flow" }),
        L.circleMarker(f.to, { radius: 5, color: colour, weight: 2, fillColor: "#ffffff", fillOpacity: 1 })
      ]);
      var entry = { flow: f, layer: layer, tooltip: el("span", "im-tooltip") };
      layer.bindTooltip(entry.tooltip, { sticky: true });
      layer.bindPopup(function () { return popupFor(f.rows.filter(isVisible), entry.tooltip.textContent)(); },
        { maxWidth: 340 });
      flows.push(entry);
    });
    updateFlows();
  }
  function updateFlows() {
    flows.forEach(function (d) {
      var rows = d.flow.rows.filter(isVisible);
      d.tooltip.textContent = flowText(d.flow, rows);
      if (rows.length && !groups.__flows__.hasLayer(d.layer)) groups.__flows__.addLayer(d.layer);
      if (!rows.length && groups.__flows__.hasLayer(d.layer)) groups.__flows__.removeLayer(d.layer);
    });
  }

  // -- the national panel ---------------------------------------------------------------------
  var panelItems = [];
  var Panel = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      // Folded on small screens (one line), open where there is room: it must not cover the
      // date controls above it.
      var box = el("details", "im-panel leaflet-bar");
      box.open = window.innerHeight >= 900;
      box.appendChild(el("summary", "im-heading", data.labels.national + " (" + data.national.length + ")"));
      var list = el("div", "im-panel-list");
      data.national.forEach(function (i) {
        var item = describeRow(i);
        list.appendChild(item);
        panelItems.push({ node: item, row: i });
      });
      if (!data.national.length) list.appendChild(el("div", "im-empty", "none"));
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Panel().addTo(map);

  // -- the date filter control ----------------------------------------------------------------
  function applyFilter() {
    var clustered = {};
    drawn.forEach(function (d) {
      var any = d.rows.some(isVisible);
      if (d.group.addLayers) {  // a cluster group is refilled in bulk below
        var entry = clustered[L.stamp(d.group)] = clustered[L.stamp(d.group)] || { group: d.group, layers: [] };
        if (any) entry.layers.push(d.layer);
        return;
      }
      if (any && !d.group.hasLayer(d.layer)) d.group.addLayer(d.layer);
      if (!any && d.group.hasLayer(d.layer)) d.group.removeLayer(d.layer);
    });
    Object.keys(clustered).forEach(function (k) {
      clustered[k].group.clearLayers();
      clustered[k].group.addLayers(clustered[k].layers);
    });
    panelItems.forEach(function (p) { p.node.style.display = isVisible(p.row) ? "" : "none"; });
    updateFlows();
    if (openedProvince) openProvince(openedProvince);
    showCount();
    reshade();
  }
  // "N of M incidents shown": every drawn row (markers, provinces, national) under the dates.
  var rowCount = data.rows.type.length;
  function showCount() {
    var node = document.querySelector(".im-shown");
    if (!node) return;
    var n = 0;
    for (var i = 0; i < rowCount; i++) if (isVisible(i)) n++;
    node.textContent = n.toLocaleString("en") + " of " + rowCount.toLocaleString("en") +
      " incidents shown";
  }
  // -- the timeline: incidents per week (or month), a range over it, and playback ------------
  function isoDay(d) { return d.toISOString().slice(0, 10); }
  function periodsOf() {  // [start, end] of each week (Monday to Sunday), or month past 4 months
    if (!data.date_min || !data.date_max) return [];
    var first = new Date(data.date_min + "T00:00:00Z"), last = new Date(data.date_max + "T00:00:00Z");
    var monthly = (last - first) / 864e5 > 120, out = [], start;
    periodUnit = monthly ? "month" : "week";
    if (monthly) start = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1));
    else start = new Date(first.getTime() - ((first.getUTCDay() + 6) % 7) * 864e5);
    while (start <= last && out.length < 600) {
      var next = monthly ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
        : new Date(start.getTime() + 7 * 864e5);
      out.push([isoDay(start), isoDay(new Date(next.getTime() - 864e5))]);
      start = next;
    }
    return out;
  }
  var periodUnit = "week";
  var periods = periodsOf();
  function periodOf(day) {  // the period a "YYYY-MM-DD" day falls in, counted, not searched
    var start = periods[0][0];
    if (periodUnit === "month") {
      return (+day.slice(0, 4) - +start.slice(0, 4)) * 12 + (+day.slice(5, 7) - +start.slice(5, 7));
    }
    return Math.floor((Date.parse(day + "T00:00:00Z") - Date.parse(start + "T00:00:00Z")) / (7 * 864e5));
  }
  function timeline(from, to) {
    var box = el("div", "im-timeline");
    var counts = periods.map(function () { return 0; });
    for (var i = 0; i < rowCount; i++) {
      var d = cell("date", i);
      if (d) counts[periodOf(d)]++;
    }
    var chart = barChart(periods.map(function (p) { return p[0]; }), counts, periodUnit, 180, 36);
    var bars = chart.bars;
    box.appendChild(chart.svg);
    var lo = el("input"), hi = el("input");
    [lo, hi].forEach(function (input, k) {
      input.type = "range"; input.min = 0; input.max = periods.length - 1; input.step = 1;
      input.value = k ? periods.length - 1 : 0;
      input.className = k ? "im-period-to" : "im-period-from";
      input.setAttribute("aria-label", (k ? "Last " : "First ") + periodUnit + " shown");
      input.addEventListener("input", function () { choose(+lo.value, +hi.value, k); });
      box.appendChild(input);
    });
    var play = el("button", "im-play", "Play");
    play.type = "button";
    var timer = null;
    function choose(a, b, moved) {
      if (a > b) { if (moved) a = b; else b = a; }
      lo.value = a; hi.value = b;
      from.value = periods[a][0]; to.value = periods[b][1];
      range.from = from.value; range.to = to.value;
      applyFilter(); keepInHash(); paint();
    }
    function paint() {
      bars.forEach(function (bar, k) { bar.setAttribute("fill", k >= +lo.value && k <= +hi.value ? "#0072b2" : "#c8d6e5"); });
    }
    function stop() { clearInterval(timer); timer = null; play.textContent = "Play"; }
    play.addEventListener("click", function () {
      if (timer) return stop();
      var width = +hi.value - +lo.value, start = +hi.value >= periods.length - 1 ? 0 : +lo.value;
      play.textContent = "Pause";
      choose(start, Math.min(start + width, periods.length - 1), 1);
      timer = setInterval(function () {  // the window steps one week (or month) at a time
        if (+hi.value >= periods.length - 1) return stop();
        choose(+lo.value + 1, +hi.value + 1, 1);
      }, 700);
    });
    function follow() {  // the date boxes (and the address) move the range too
      var a = 0, b = periods.length - 1;
      periods.forEach(function (p, k) {
        if (from.value && p[1] < from.value) a = k + 1;
        if (to.value && p[0] > to.value && b === periods.length - 1) b = k - 1;
      });
      lo.value = Math.min(a, periods.length - 1); hi.value = Math.max(b, 0); paint();
    }
    [from, to].forEach(function (input) { input.addEventListener("change", follow); });
    box.appendChild(play);
    follow();
    return box;
  }

  // Back to the whole country after a search or a zoom (the view the page opened on).
  var home = map.getBounds();
  var Home = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var bar = el("div", "leaflet-bar");
      var button = el("a", "im-home", "\u2302");
      button.href = "#";
      button.setAttribute("role", "button");
      button.setAttribute("title", "Whole country");
      button.setAttribute("aria-label", "Show the whole country");
      L.DomEvent.on(button, "click", function (e) { L.DomEvent.preventDefault(e); map.fitBounds(home); });
      bar.appendChild(button);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });
  new Home().addTo(map);
  var DateFilter = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var outer = el("details", "im-filter leaflet-bar");
      outer.open = !small;
      outer.appendChild(el("summary", "im-heading", "Dates"));
      var box = el("div", "im-filter-body");
      outer.appendChild(box);
      var from = el("input"), to = el("input"), reset = el("button", "im-reset", "All dates");
      [from, to].forEach(function (input, k) {
        input.type = "date";
        input.className = k ? "im-date-to" : "im-date-from";
        input.id = k ? "im-date-to" : "im-date-from";
        var label = el("label", "im-date-label", k ? "To" : "From");
        label.htmlFor = input.id;
        box.appendChild(label);
        box.appendChild(input);
        if (data.date_min) input.min = data.date_min;
        if (data.date_max) input.max = data.date_max;
        input.addEventListener("change", function () {
          range.from = from.value || null; range.to = to.value || null; applyFilter();
          keepInHash();
        });
      });
      reset.type = "button";
      reset.addEventListener("click", function () {
        from.value = ""; to.value = ""; range.from = range.to = null; applyFilter();
        keepInHash();
      });
      // A view can be shared: the dates live in the address ("#from=YYYY-MM-DD&to=...").
      var hash = new URLSearchParams(window.location.hash.slice(1)), iso = /^\d{4}-\d{2}-\d{2}$/;
      ["from", "to"].forEach(function (key, k) {
        var value = hash.get(key);
        if (value && iso.test(value)) { (k ? to : from).value = value; range[key] = value; }
      });
      box.appendChild(reset);
      var shown = el("div", "im-shown");
      shown.setAttribute("aria-live", "polite");
      box.appendChild(shown);
      if (periods.length > 1) box.appendChild(timeline(from, to));
      var download = el("button", "im-download", "Download shown rows (CSV)");
      download.type = "button";
      download.addEventListener("click", downloadShown);
      box.appendChild(download);
      L.DomEvent.disableClickPropagation(outer);
      return outer;
    }
  });
  new DateFilter().addTo(map);
  // A skip link, the page's first stop for Tab: straight to the controls, past the markers.
  var skip = el("a", "im-skip", "Skip to the map controls");
  skip.href = "#im-date-from";
  skip.addEventListener("click", function (e) {
    e.preventDefault();
    document.querySelector(".im-filter").open = true;
    document.getElementById("im-date-from").focus();
  });
  document.body.insertBefore(skip, document.body.firstChild);
  map.getContainer().setAttribute("role", "main");  // the map and its controls are the page
  var layerList = document.querySelector(".leaflet-control-layers");
  if (small && layerList) {  // folded to its button; a tap on the map folds it again
    layerList.classList.remove("leaflet-control-layers-expanded");
    map.on("click", function () { layerList.classList.remove("leaflet-control-layers-expanded"); });
  }
  var heading = document.querySelector(".im-title-bar");
  if (heading) map.getContainer().appendChild(heading);
  function keepInHash() {
    var parts = [];
    if (range.from) parts.push("from=" + range.from);
    if (range.to) parts.push("to=" + range.to);
    history.replaceState(null, "", "#" + parts.join("&"));
  }
  if (range.from || range.to) applyFilter(); else showCount();

  // -- the shown rows as CSV, escaped as the project's CSV writers escape (mapper/files.py) -----
  var CSV_COLUMNS = ["id", "date", "date_label", "type", "place", "geo_match", "geo_precision",
    "province", "adm2_name", "adm3_name", "people", "people_band", "women", "children",
    "nationality", "actor", "source", "source_url", "notes"];
  function csvField(value) {
    if (value === null || value === undefined) return "";
    var text = String(value);
    // text a spreadsheet would run as a formula gets a leading quote (OWASP "CSV injection")
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function shownCsv() {
    var lines = [CSV_COLUMNS.join(",")];
    for (var i = 0; i < rowCount; i++) {
      if (!isVisible(i)) continue;
      lines.push(CSV_COLUMNS.map(function (column) {
        if (column === "type") return csvField(typeInfo[cell("type", i)].name);
        if (column === "province") return csvField(provinceNames[cell("adm1_code", i)]);
        return csvField(cell(column, i));
      }).join(","));
    }
    return lines.join("\n") + "\n";
  }
  function downloadShown() {
    var blob = new Blob([shownCsv()], { type: "text/csv;charset=utf-8" });
    var link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = "incidents-shown.csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  // -- search by place or province ------------------------------------------------------------
  var Search = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var box = el("div", "im-search leaflet-bar");
      var input = el("input");
      var listId = "im-search-" + Math.random().toString(36).slice(2);
      var list = el("datalist");
      list.id = listId;
      input.type = "search";
      input.placeholder = "Find a place or province";
      input.setAttribute("list", listId);
      input.setAttribute("aria-label", "Find a place or province");
      data.search.forEach(function (s) { var o = el("option"); o.value = s[0]; list.appendChild(o); });
      input.addEventListener("change", function () {
        var wanted = input.value.trim().toLowerCase();
        var hit = data.search.filter(function (s) { return s[0].toLowerCase() === wanted; })[0]
          || data.search.filter(function (s) { return s[0].toLowerCase().indexOf(wanted) >= 0; })[0];
        if (!hit || !wanted) return;
        if (hit[3]) map.fitBounds(hit[3]); else map.setView([hit[1], hit[2]], 11);
      });
      box.appendChild(input); box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    }
  });
  new Search().addTo(map);

  // -- legend -------------------------------------------------------------------------------------
  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var box = el("details", "im-legend leaflet-bar");
      box.open = !small;
      box.appendChild(el("summary", "im-heading", "Legend"));
      box.appendChild(el("div", "im-heading", "Incident types"));
      data.types.forEach(function (t) {
        if (!t.present) return;
        var row = el("div", "im-legend-row");
        var badge = el("span", "im-badge im-type-" + t.key, t.glyph);
        badge.style.setProperty("--im-color", t.color);
        row.appendChild(badge);
        row.appendChild(el("span", null, " " + t.label));
        box.appendChild(row);
      });
      box.appendChild(el("div", "im-heading", "Precision"));
      [["im-badge", "exact place"], ["im-badge im-approx", "district or near a place"],
       ["im-swatch-province", "somewhere in the province"]].forEach(function (p) {
        var row = el("div", "im-legend-row");
        var badge = el("span", p[0], "");
        badge.style.setProperty("--im-color", "#555");
        row.appendChild(badge);
        row.appendChild(el("span", null, " " + p[1]));
        box.appendChild(row);
      });
      box.appendChild(el("div", "im-legend-scale"));  // filled by showScale()
      box.appendChild(el("div", "im-privacy", data.labels.privacy));
      return box;
    }
  });
  new Legend().addTo(map);

  // -- province shading: counts or per 100,000, never both; the legend shows the one on --------
  var shadings = [[groups.__choropleth__, "Provinces (incidents)", data.choropleth_classes],
                  [groups.__per100k__, "Provinces (incidents per 100,000)", data.per100k_classes]]
    .filter(function (s) { return s[0]; });
  function showScale() {
    var scale = document.querySelector(".im-legend-scale");
    if (!scale) return;
    scale.textContent = "";
    shadings.forEach(function (s) {
      if (!map.hasLayer(s[0])) return;
      scale.appendChild(el("div", "im-heading", s[1]));
      s[2].forEach(function (c) {
        var row = el("div", "im-legend-row");
        var sw = el("span", "im-swatch");
        sw.style.background = c[1];
        row.appendChild(sw);
        row.appendChild(el("span", null, " " + c[0]));
        scale.appendChild(row);
      });
    });
  }
  map.on("overlayadd", function (e) {
    if (!shadings.some(function (t) { return t[0] === e.layer; })) return showScale();
    // Two translucent shadings blend into colours neither legend explains, so the other
    // one goes. Later, once the layer control has applied the click (it would add it back).
    setTimeout(function () {
      shadings.forEach(function (s) {
        if (s[0] !== e.layer && map.hasLayer(s[0])) map.removeLayer(s[0]);
      });
      showScale();
    }, 0);
  });
  map.on("overlayremove", showScale);
  showScale();

  map.attributionControl.setPrefix(false);
  data.attribution.forEach(function (text) {
    var span = el("span", null, text);
    map.attributionControl.addAttribution(span.outerHTML);
  });

  clearOfControls();  // every control is on the map now
  window.incidentMapper = { map: map, layers: byId, applyFilter: applyFilter, range: range,
                            provinces: shaded };
})();
