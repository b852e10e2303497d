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
    whenFiltered.push(updateFlows);
  }
  function updateFlows() {
    flows.forEach(function (d) {
      var rows = d.flow.rows.filter(isVisible);
      d.tooltip.textContent = flowText(d.flow, rows);
      if (rows.length && !groups.__flows__.hasLayer(d.layer)) groups.__flows__.addLayer(d.layer);
      if (!rows.length && groups.__flows__.hasLayer(d.layer)) groups.__flows__.removeLayer(d.layer);
    });
  }

  // -- the heat map: the markers' shown rows, as weights ------------------------------------
  function fillHeat() {
    var points = [];
    data.markers.forEach(function (m) {
      var n = shownCount(m[4]);
      if (n) points.push([m[0], m[1], n]);
    });
    groups.__heat__.setLatLngs(points);
  }
  if (groups.__heat__) {
    whenFiltered.push(fillHeat);
    if (data.compact) fillHeat();  // a compact page's heat map comes empty (render.py)
  }

  // -- the national panel: the first PANEL_LIMIT rows shown, listed again by each filter -----
  var PANEL_LIMIT = 200, nationalList = null;
  function fillNational() {
    var listed = 0, shown = 0;
    nationalList.textContent = "";
    for (var k = 0; k < data.national.length; k++) {
      if (!isVisible(data.national[k])) continue;
      shown++;
      if (listed < PANEL_LIMIT) { nationalList.appendChild(describeRow(data.national[k])); listed++; }
    }
    if (!data.national.length) nationalList.appendChild(el("div", "im-empty", "none"));
    if (shown > listed) {
      nationalList.appendChild(el("div", "im-more", "\u2026 and " + (shown - listed).toLocaleString("en") + " more"));
    }
  }
  var Panel = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      // Folded on small screens (one line), open where there is room: it must not cover the
      // date controls above it.
      var box = el("details", "im-panel leaflet-bar");
      box.open = window.innerHeight >= 900;
      box.appendChild(el("summary", "im-heading", data.labels.national + " (" + data.national.length.toLocaleString("en") + ")"));
      nationalList = el("div", "im-panel-list");
      fillNational();
      box.appendChild(nationalList);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Panel().addTo(map);
  whenFiltered.push(fillNational);

