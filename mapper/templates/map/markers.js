  // -- incident markers ----------------------------------------------------------------------
  // A marker is one place and type (data.markers: [lat, lon, type, precision, rows]). A small
  // log draws each as a DOM marker in its type's layer. A large one (data.large) keeps them
  // in one Supercluster index, rebuilt when the filter changes, and draws only the clusters
  // and markers of the current view: a zoom or a fit then costs a few hundred markers
  // whatever the log's size (a DOM cluster group per type froze the page for seconds).
  var drawn = [];          // {layer, group, rows}: what the filter adds and removes
  var byId = {};
  function markerIcon(t, precision, count) {
    var span = el("span", "im-badge im-type-" + t.key + (precision > 1 ? " im-approx" : ""),
      count > 1 ? String(count) : t.glyph);
    span.style.setProperty("--im-color", t.color);
    span.style.setProperty("--im-text", t.text || "#fff");
    return L.divIcon({ html: span, className: "im-marker", iconSize: [24, 24], iconAnchor: [12, 12] });
  }
  function incidentMarker(m, rows) {
    var t = typeInfo[m[2]];
    var layer = L.marker([m[0], m[1]], { icon: markerIcon(t, m[3], rows.length), keyboard: true,
      zIndexOffset: 1000, title: markerName(rows) });
    layer.imRows = rows;
    layer.imApprox = m[3] > 1;
    return layer;
  }
  function openMarker(layer) {
    if (!layer || !layer.imRows) return;
    L.popup({ maxWidth: 320, maxHeight: 320, offset: [0, -6] })
      .setLatLng(layer.getLatLng()).setContent(popupFor(layer.imRows)()).openOn(map);
  }
  // Popups and district outlines hang on one handler per layer, not on each marker.
  function listen(layer) {
    layer.on("click", function (e) {
      if (e.layer.imCluster) zoomInto(e.layer); else openMarker(e.layer);
    });
    // Enter on a focused marker opens it as a click does (Leaflet reaches the group with it).
    layer.on("keypress", function (e) {
      if (!e.originalEvent || e.originalEvent.key !== "Enter") return;
      if (e.layer.imCluster) zoomInto(e.layer); else openMarker(e.layer);
    });
    layer.on("mouseover", function (e) { if (e.layer.imApprox) showOutline(e.layer.imRows[0]); });
    layer.on("mouseout", function (e) { if (e.layer.imApprox) hideOutline(); });
  }
  var typeGroups = data.types.map(function (t) { return groups[t.name]; });
  // A type unticked in the layer list is hidden by the filter: its rows leave the counts,
  // the shading and the panels as well as the map.
  function followTypeTicks() {
    typeGroups.forEach(function (g, k) {
      g.on("add", function () {
        if (range.hiddenTypes[k]) { delete range.hiddenTypes[k]; applyFilter(); keepInHash(); }
      });
      g.on("remove", function () {
        if (!range.hiddenTypes[k]) { range.hiddenTypes[k] = true; applyFilter(); keepInHash(); }
      });
    });
  }

  // A small log: every marker in its type's layer, kept or taken out by the filter.
  function drawEachMarker() {
    var wasShown = typeGroups.map(function (g) { return map.hasLayer(g); });
    typeGroups.forEach(function (g) { map.removeLayer(g); });
    data.markers.forEach(function (m) {
      var rows = m[4], layer = incidentMarker(m, rows), group = groups[typeInfo[m[2]].name];
      layer.bindTooltip(tooltipFor(rows), { direction: "top", offset: [0, -10] });
      group.addLayer(layer);
      drawn.push({ layer: layer, group: group, rows: rows });
      rows.forEach(function (i) { var id = cell("id", i); if (id !== null) byId[id] = layer; });
    });
    typeGroups.forEach(function (g, k) { listen(g); if (wasShown[k]) map.addLayer(g); });
  }
  whenFiltered.push(function () {
    drawn.forEach(function (d) {
      var any = d.rows.some(isVisible);
      if (any && !d.group.hasLayer(d.layer)) d.group.addLayer(d.layer);
      if (!any && d.group.hasLayer(d.layer)) d.group.removeLayer(d.layer);
    });
  });

  // A large log: Supercluster over the markers with a row shown, drawn for the view only.
  // A cluster counts incidents (rows), per type, and wears the colour of its largest type.
  var clusterLayer = null, clusterIndex = null;
  function clusterIcon(counts, total) {
    var top = 0;
    counts.forEach(function (n, k) { if (n > counts[top]) top = k; });
    var t = typeInfo[top], size = total < 10 ? 28 : total < 100 ? 34 : total < 1000 ? 40 : 46;
    var span = el("span", "im-cluster im-type-" + t.key,
      total >= 10000 ? Math.round(total / 1000) + "k" : String(total));
    span.style.setProperty("--im-color", t.color);
    span.style.width = span.style.height = size + "px";
    return L.divIcon({ html: span, className: "im-marker", iconSize: [size, size] });
  }
  function clusterName(counts, total) {
    var parts = [];
    counts.forEach(function (n, k) { if (n) parts.push(n + " " + typeInfo[k].label.toLowerCase()); });
    return total + " incidents here: " + parts.join(", ") + ". Enter zooms in.";
  }
  var everyMarker = null;  // the index of every row: "Show all" needs no new one
  function buildIndex() {
    if (shownTotal === rowCount && everyMarker) { clusterIndex = everyMarker; return; }
    var points = [];
    data.markers.forEach(function (m, k) {
      var n = shownCount(m[4]);
      if (n) points.push({ type: "Feature", properties: { m: k, n: n, t: m[2] },
                           geometry: { type: "Point", coordinates: [m[1], m[0]] } });
    });
    // A point's or cluster's properties: n, its incidents, and [k], those of type k. Numbers
    // only: Supercluster copies a cluster's properties shallowly into its parent's, so an
    // array of counts in them was shared, and a parent's counts were added into its child's.
    // A compact page clusters up to zoom 14, not 17: closer in, markers come one by one
    // (a few hundred in a view), and its index of 200,000 places builds in half the time.
    var types = typeInfo.length;
    clusterIndex = new Supercluster({ radius: 45, extent: 256, maxZoom: data.compact ? 14 : 17,
      map: function (p) { var c = { n: p.n }; c[p.t] = p.n; return c; },
      reduce: function (a, p) {
        a.n += p.n;
        for (var k = 0; k < types; k++) if (p[k]) a[k] = (a[k] || 0) + p[k];
      } });
    clusterIndex.load(points);
    if (shownTotal === rowCount) everyMarker = clusterIndex;
  }
  function typeCounts(p) { return typeInfo.map(function (t, k) { return p[k] || 0; }); }
  function drawView() {
    if (!clusterIndex) return;
    var b = map.getBounds().pad(0.25);
    var shown = clusterIndex.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
                                         Math.round(map.getZoom()));
    var atSpot = {};  // leaves at one spot (types of one place) fan out around it
    var layers = shown.map(function (f) {
      var xy = f.geometry.coordinates, p = f.properties;
      if (!p.cluster) {
        var leaf = incidentMarker(data.markers[p.m], shownRows(data.markers[p.m][4]));
        (atSpot[xy.join()] = atSpot[xy.join()] || []).push(leaf);
        return leaf;
      }
      var counts = typeCounts(p);
      var layer = L.marker([xy[1], xy[0]], { icon: clusterIcon(counts, p.n), keyboard: true,
        title: clusterName(counts, p.n) });
      layer.imCluster = p.cluster_id;
      layer.imCount = p.n;
      return layer;
    });
    Object.keys(atSpot).forEach(function (spot) { fanOut(atSpot[spot]); });
    clusterLayer.clearLayers();
    layers.forEach(function (l) { clusterLayer.addLayer(l); });
  }
  function fanOut(markers) {
    if (markers.length < 2) return;
    markers.forEach(function (layer, k) {
      var angle = 2 * Math.PI * k / markers.length, icon = layer.options.icon;
      icon.options.iconAnchor = [12 - Math.round(16 * Math.cos(angle)), 12 - Math.round(16 * Math.sin(angle))];
    });
  }
  function zoomInto(layer) {
    map.setView(layer.getLatLng(), Math.min(clusterIndex.getClusterExpansionZoom(layer.imCluster), 18));
  }
  function drawClusters() {
    clusterLayer = L.featureGroup().addTo(map);
    listen(clusterLayer);
    buildIndex();
    drawView();
    map.on("moveend", drawView);
    whenFiltered.push(function () { buildIndex(); drawView(); });
  }
  if (data.large) drawClusters(); else drawEachMarker();
  followTypeTicks();
