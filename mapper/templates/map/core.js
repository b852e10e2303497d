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
    if (col.at) return col.at(i);  // ids of a compact page (decode.js)
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
    var box = el("div", "im-item"), id = cell("id", i);
    if (id !== null) box.setAttribute("data-id", id);
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

  // -- the filter: one state that every layer, panel and count reads -----------------------
  // Dates are ISO days (null: open); a facet is null (any) or the one value shown; a type
  // unticked in the layer list is hidden. applyFilter() works out which rows are shown, once,
  // then tells every part that drew something (they registered in ``whenFiltered``).
  var rowCount = data.rows.type.length;
  var FACETS = ["nationality", "actor", "source", "geo_precision", "kind"];
  var range = { from: null, to: null, hiddenTypes: {}, facets: {} };
  var shownMask = new Uint8Array(rowCount).fill(1);
  var shownTotal = rowCount;
  var whenFiltered = [];
  function isVisible(i) { return shownMask[i] === 1; }
  var facetsSet = [];  // the facets the filter sets, worked out once per applyFilter
  function passes(i) {
    if (range.hiddenTypes[cell("type", i)]) return false;
    for (var k = 0; k < facetsSet.length; k++) {
      if (String(cell(facetsSet[k], i)) !== range.facets[facetsSet[k]]) return false;
    }
    if (!range.from && !range.to) return true;
    var d = cell("date", i);
    if (!d) return false;
    return (!range.from || d >= range.from) && (!range.to || d <= range.to);
  }
  function applyFilter() {
    facetsSet = FACETS.filter(function (f) { var w = range.facets[f]; return w !== undefined && w !== null; });
    shownTotal = 0;
    for (var i = 0; i < rowCount; i++) { shownMask[i] = passes(i) ? 1 : 0; shownTotal += shownMask[i]; }
    whenFiltered.forEach(function (update) { update(); });
  }
  function shownRows(rows) { return rows.filter(isVisible); }
  function shownCount(rows) { var n = 0; for (var k = 0; k < rows.length; k++) n += shownMask[rows[k]]; return n; }

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
