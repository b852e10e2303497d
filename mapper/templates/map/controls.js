  // "N of M incidents shown": every drawn row (markers, provinces, national) under the filter.
  function showCount() {
    var node = document.querySelector(".im-shown");
    if (!node) return;
    node.textContent = shownTotal.toLocaleString("en") + " of " + rowCount.toLocaleString("en") +
      " incidents shown";
  }
  whenFiltered.push(showCount);
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
    var counts = periods.map(function () { return 0; }), perDay = valueCounts("date");
    Object.keys(perDay).forEach(function (d) { counts[periodOf(d)] += perDay[d]; });
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
  // The facets a log fills: a select each, "any" or one value (by how often it comes).
  var FACET_LABELS = { nationality: "Nationality", actor: "Actor", source: "Source",
                       geo_precision: "Precision", kind: "Kind of row" };
  var facetInputs = {};
  // How often each value of a column comes: by code where the column is coded (a million
  // rows of a compact page: a few milliseconds, not a second).
  function valueCounts(column) {
    var col = data.rows[column], counts = {}, i, v;
    if (col && col.v) {
      var byCode = new Float64Array(col.v.length);
      for (i = 0; i < rowCount; i++) if (col.c[i] >= 0) byCode[col.c[i]]++;
      col.v.forEach(function (value, k) {
        if (byCode[k] && value !== "") counts[value] = (counts[value] || 0) + byCode[k];
      });
      return counts;
    }
    for (i = 0; i < rowCount; i++) {
      v = cell(column, i);
      if (v !== null && v !== undefined && v !== "") counts[v] = (counts[v] || 0) + 1;
    }
    return counts;
  }
  function facetChoices(column) {
    var counts = valueCounts(column);
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); })
      .slice(0, 300).map(function (v) {
        var label = column === "geo_precision" ? precisionWords[v] : v;
        return [v, label + " (" + counts[v].toLocaleString("en") + ")"];
      });
  }
  function facetSelects(box) {
    FACETS.forEach(function (column) {
      var choices = facetChoices(column);
      if (choices.length < 2 && !range.facets[column]) return;
      var select = el("select", "im-facet im-facet-" + column.replace("_", "-"));
      select.id = "im-facet-" + column;
      var label = el("label", "im-facet-label", FACET_LABELS[column]);
      label.htmlFor = select.id;
      var any = el("option", null, "any");
      any.value = "";
      select.appendChild(any);
      choices.forEach(function (c) { var o = el("option", null, c[1]); o.value = c[0]; select.appendChild(o); });
      select.value = range.facets[column] || "";
      select.addEventListener("change", function () {
        range.facets[column] = select.value || null; applyFilter(); keepInHash();
      });
      facetInputs[column] = select;
      box.appendChild(label);
      box.appendChild(select);
    });
  }
  // A view can be shared: the filter lives in the address
  // ("#from=YYYY-MM-DD&to=...&hide=raid,warning&nationality=...").
  function readHash() {
    var hash = new URLSearchParams(window.location.hash.slice(1)), iso = /^\d{4}-\d{2}-\d{2}$/;
    ["from", "to"].forEach(function (key) {
      var value = hash.get(key);
      if (value && iso.test(value)) range[key] = value;
    });
    FACETS.forEach(function (column) { if (hash.get(column)) range.facets[column] = hash.get(column); });
    (hash.get("hide") || "").split(",").forEach(function (key) {
      typeInfo.forEach(function (t, k) { if (t.key === key) range.hiddenTypes[k] = true; });
    });
  }
  function keepInHash() {
    var parts = new URLSearchParams();
    if (range.from) parts.set("from", range.from);
    if (range.to) parts.set("to", range.to);
    var hidden = typeInfo.filter(function (t, k) { return range.hiddenTypes[k]; });
    if (hidden.length) parts.set("hide", hidden.map(function (t) { return t.key; }).join(","));
    FACETS.forEach(function (column) { if (range.facets[column]) parts.set(column, range.facets[column]); });
    history.replaceState(null, "", "#" + parts.toString().replace(/%2C/g, ","));
  }
  function showAll(from, to) {
    from.value = ""; to.value = ""; range.from = range.to = null; range.facets = {};
    Object.keys(facetInputs).forEach(function (column) { facetInputs[column].value = ""; });
    typeGroups.forEach(function (g, k) { if (range.hiddenTypes[k] && g) map.addLayer(g); });
    range.hiddenTypes = {};
    from.dispatchEvent(new Event("change"));  // the timeline follows; the filter applies
  }
  // A control that a tap folds to one line: folded to start with on a phone, open elsewhere.
  function foldable(className, title) {
    var box = el("details", className + " leaflet-bar");
    box.open = !small;
    box.appendChild(el("summary", "im-heading", title));
    return box;
  }
  var Filter = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var outer = foldable("im-filter", "Filter");
      var box = el("div", "im-filter-body");
      outer.appendChild(box);
      var from = el("input"), to = el("input"), reset = el("button", "im-reset", "Show all");
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
        input.value = range[k ? "to" : "from"] || "";
        input.addEventListener("change", function () {
          range.from = from.value || null; range.to = to.value || null; applyFilter();
          keepInHash();
        });
      });
      reset.type = "button";
      reset.addEventListener("click", function () { showAll(from, to); });
      box.appendChild(reset);
      var shown = el("div", "im-shown");
      shown.setAttribute("aria-live", "polite");
      box.appendChild(shown);
      if (periods.length > 1) box.appendChild(timeline(from, to));
      facetSelects(box);
      var download = el("button", "im-download", "Download shown rows (CSV)");
      download.type = "button";
      download.addEventListener("click", downloadShown);
      box.appendChild(download);
      // what a compact page left out (mapper/map_page.py, compact_columns)
      if (data.compact && data.compact.note) box.appendChild(el("p", "im-compact-note", data.compact.note));
      L.DomEvent.disableClickPropagation(outer);
      return outer;
    }
  });
  readHash();
  new Filter().addTo(map);
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
  // A shared view: its hidden types leave the layer list ticked off; then the filter applies.
  typeGroups.forEach(function (g, k) { if (range.hiddenTypes[k] && g && map.hasLayer(g)) map.removeLayer(g); });
  if (range.from || range.to || Object.keys(range.facets).length || Object.keys(range.hiddenTypes).length) {
    applyFilter();
  } else {
    showCount();
  }

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
  function csvLine(i) {
    return CSV_COLUMNS.map(function (column) {
      if (column === "type") return csvField(typeInfo[cell("type", i)].name);
      if (column === "province") return csvField(provinceNames[cell("adm1_code", i)]);
      return csvField(cell(column, i));
    }).join(",");
  }
  // The rows shown when it was asked for, CSV_CHUNK rows per task: a million rows take
  // seconds, and the page answers meanwhile (the button counts the rows gone through).
  var CSV_CHUNK = 50000, csvBusy = false;
  function downloadShown() {
    if (csvBusy) return;
    csvBusy = true;
    var mask = shownMask.slice(), parts = [CSV_COLUMNS.join(",") + "\n"], i = 0;
    var button = document.querySelector(".im-download"), label = button && button.textContent;
    (function chunk() {
      var lines = [];
      for (var end = Math.min(i + CSV_CHUNK, rowCount); i < end; i++) if (mask[i]) lines.push(csvLine(i));
      if (lines.length) parts.push(lines.join("\n") + "\n");
      if (i < rowCount) {
        if (button) button.textContent = "Preparing the CSV (" + Math.round(100 * i / rowCount) + " %)";
        return setTimeout(chunk, 0);
      }
      if (button) button.textContent = label;
      csvBusy = false;
      save(new Blob(parts, { type: "text/csv;charset=utf-8" }), "incidents-shown.csv");
    })();
  }
  function save(blob, name) {
    var link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
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
      // The suggestions (thousands of places) are written when the box is first used.
      input.addEventListener("focus", function () {
        if (list.firstChild) return;
        data.search.forEach(function (s) { var o = el("option"); o.value = s[0]; list.appendChild(o); });
      });
      input.addEventListener("change", function () {
        var wanted = input.value.trim().toLowerCase();
        var hit = data.search.filter(function (s) { return s[0].toLowerCase() === wanted; })[0]
          || data.search.filter(function (s) { return s[0].toLowerCase().indexOf(wanted) >= 0; })[0];
        if (!hit || !wanted) return;
        if (!hit[3]) return map.setView([hit[1], hit[2]], 11);
        // A province: the map fits it and its panel opens (the keyboard's way to a province).
        map.fitBounds(hit[3]);
        data.provinces.features.forEach(function (f) { if (f.properties.name === hit[0]) openProvince(f); });
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
      var box = foldable("im-legend", "Legend");
      box.appendChild(el("div", "im-heading", "Incident types"));
      data.types.forEach(function (t) {
        if (!t.present) return;
        var row = el("div", "im-legend-row");
        var badge = el("span", "im-badge im-type-" + t.key, t.glyph);
        badge.style.setProperty("--im-color", t.color);
        badge.style.setProperty("--im-text", t.text || "#fff");
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
  var shadings = [[groups.__choropleth__, "Provinces (incidents)", data.choropleth_classes, "count"],
                  [groups.__per100k__, "Provinces (incidents per 100,000)", data.per100k_classes, "per100k"]]
    .filter(function (s) { return s[0]; });
  // How many provinces each class holds now: the legend follows the filter with the shading.
  function provincesByColour(key) {
    var tally = {};
    Object.keys(shaded[key]).forEach(function (code) {
      var colour = shaded[key][code].options.fillColor;
      tally[colour] = (tally[colour] || 0) + 1;
    });
    return tally;
  }
  function showScale() {
    var scale = document.querySelector(".im-legend-scale");
    if (!scale) return;
    scale.textContent = "";
    shadings.forEach(function (s) {
      if (!map.hasLayer(s[0])) return;
      var tally = provincesByColour(s[3]);
      scale.appendChild(el("div", "im-heading", s[1]));
      s[2].forEach(function (c) {
        var row = el("div", "im-legend-row"), n = tally[c[1]] || 0;
        var sw = el("span", "im-swatch");
        sw.style.background = c[1];
        row.appendChild(sw);
        row.appendChild(el("span", null, " " + c[0]));
        row.appendChild(el("span", "im-legend-tally", " (" + n + (n === 1 ? " province)" : " provinces)")));
        scale.appendChild(row);
      });
    });
  }
  whenFiltered.push(showScale);
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
  // On a phone the sources scroll in two lines: a keyboard must reach them to scroll.
  map.attributionControl.getContainer().tabIndex = 0;
  map.attributionControl.getContainer().setAttribute("aria-label", "Sources and licences");
  data.attribution.forEach(function (text) {
    var span = el("span", null, text);
    map.attributionControl.addAttribution(span.outerHTML);
  });

  clearOfControls();  // every control is on the map now
  window.incidentMapper = { map: map, layers: byId, applyFilter: applyFilter, range: range,
                            provinces: shaded, heat: groups.__heat__ || null };
