  // -- the table view: the incidents shown, as rows, under a "Table" button at the bottom left --
  // Rows are built only while the table is open, and at most TABLE_LIMIT of them: a log of
  // 50,000 rows must not cost 50,000 table rows at each filter change. A row's date is a
  // button: a click or Enter on it shows the incident on the map, with its popup.
  var TABLE_LIMIT = 200;
  var TABLE_COLUMNS = ["Date", "Type", "Place", "Province", "People", "Source"];
  var tableBox = null, tableSummary = null, tableScroll = null, tableBody = null, tableMore = null;
  var nationalPanel = null;

  function tableTexts(i) {  // a row's cells, in TABLE_COLUMNS order
    var people = cell("people", i);
    return [cell("date_label", i) || cell("date", i) || "no date",
            typeInfo[cell("type", i)].label,
            cell("place", i) || cell("geo_match", i) || "",
            provinceNames[cell("adm1_code", i)] || "",
            people === null || people === undefined ? cell("people_band", i) || ""
              : people.toLocaleString("en"),
            cell("source", i) || ""];
  }
  function tableRow(i) {
    var tr = el("tr"), texts = tableTexts(i);
    tr.setAttribute("data-row", i);
    if (cell("id", i) !== null) tr.setAttribute("data-id", cell("id", i));
    var go = el("button", "im-table-go", texts[0]), first = el("td");
    go.type = "button";
    first.appendChild(go);
    tr.appendChild(first);
    texts.slice(1).forEach(function (text, k) { tr.appendChild(el("td", k === 3 ? "im-num" : null, text)); });
    return tr;
  }
  // "… and N more (download the CSV for all)", or why the table is empty.
  function moreLine(listed) {
    var more = shownTotal - listed;
    tableMore.textContent = "";
    if (!listed) tableMore.textContent = "No incident is shown: widen the filter.";
    if (more <= 0) return;
    tableMore.appendChild(document.createTextNode("\u2026 and " + more.toLocaleString("en") + " more ("));
    var csv = el("button", "im-table-csv", "download the CSV for all");
    csv.type = "button";
    csv.addEventListener("click", downloadShown);
    tableMore.appendChild(csv);
    tableMore.appendChild(document.createTextNode(")"));
  }
  // After every filter change and when opened: the count always, the rows only when open.
  function fillTable() {
    tableSummary.textContent = "Table (" + shownTotal.toLocaleString("en") + " shown)";
    tableBody.textContent = "";
    if (tableBox.open) {
      var rows = document.createDocumentFragment(), listed = 0;
      for (var i = 0; i < rowCount && listed < TABLE_LIMIT; i++) {
        if (isVisible(i)) { rows.appendChild(tableRow(i)); listed++; }
      }
      tableBody.appendChild(rows);
      moreLine(listed);
    }
    keepPopupsAboveTable();
  }

  // -- where the open table sits: above its button, from the map's left edge ----------------
  function tableCover() {  // how much of the map's height the open table hides, from below
    if (!tableBox || !tableBox.open) return 0;
    return Math.max(map.getContainer().getBoundingClientRect().bottom -
                    tableScroll.getBoundingClientRect().top, 0);
  }
  // A popup opens above the open table, as it opens below the controls (core: clearOfControls).
  function keepPopupsAboveTable() {
    var cover = tableCover();
    L.Popup.prototype.options.autoPanPaddingBottomRight = cover ? L.point(10, cover + 10) : null;
  }
  // The table keeps to the bottom half of the map, so that the incident a row shows and its
  // popup fit in the top half (unless the national panel, open, lifts the table's button).
  function placeTable() {
    if (!tableBox.open) return;
    var mapBox = map.getContainer().getBoundingClientRect(), own = tableBox.getBoundingClientRect();
    var highest = mapBox.top + mapBox.height / 2;
    tableScroll.style.left = (mapBox.left + 10 - own.left - tableBox.clientLeft) + "px";
    tableScroll.style.width = Math.min(760, mapBox.width - 20) + "px";
    tableScroll.style.maxHeight = Math.max(own.top - 6 - highest, small ? 120 : 160) + "px";
    keepPopupsAboveTable();
  }

  // -- a row shown on the map ------------------------------------------------------------------
  // Where each row is drawn: its marker (an index in data.markers), else its province, else
  // nowhere (known only nationally). Worked out once, when the first row is chosen.
  var rowMarker = null, rowProvince = null;
  function locateRows() {
    rowMarker = new Int32Array(rowCount).fill(-1);
    rowProvince = {};
    data.markers.forEach(function (m, k) { m[4].forEach(function (i) { rowMarker[i] = k; }); });
    data.province_items.forEach(function (p) { p[2].forEach(function (i) { rowProvince[i] = p[0]; }); });
  }
  function rowPopup(i, latlng, heading) {
    var box = el("div", "im-popup");
    if (heading) box.appendChild(el("div", "im-heading", heading));
    box.appendChild(describeRow(i));
    return function () {
      L.popup({ maxWidth: 320, maxHeight: 320 }).setLatLng(latlng).setContent(box).openOn(map);
    };
  }
  // Opens a popup at ``anchor``, then moves the map once, to ``zoom``, so that the popup shows
  // whole between the controls above and the open table below. One move: a setView, a pan and
  // the popup's own pan in a row left the minimap following late, and it swung the map back.
  function showWithPopup(anchor, zoom, openPopup) {
    var popup = null, autoPan = L.Popup.prototype.options.autoPan;
    map.once("popupopen", function (e) { popup = e.popup; });
    L.Popup.prototype.options.autoPan = false;
    try { openPopup(); } finally { L.Popup.prototype.options.autoPan = autoPan; }
    var size = map.getSize(), padding = L.Popup.prototype.options.autoPanPaddingTopLeft;
    var top = padding ? padding.y : 10, bottom = size.y - tableCover() - 10;
    var height = popup && popup.getElement() ? popup.getElement().offsetHeight : 0;
    // the anchor mid-way down the free band, or lower if the popup above it needs the room
    var y = Math.max(top + height + 12, (top + bottom) / 2);
    var centre = map.unproject(map.project(anchor, zoom).add([0, size.y / 2 - y]), zoom);
    map.setView(centre, zoom, { animate: false });
  }
  function showRow(i) {
    if (!rowMarker) locateRows();
    // a phone shows the map whole: the table folds (and gives its focus to its button)
    if (small) { tableBox.open = false; tableSummary.focus(); keepPopupsAboveTable(); }
    var k = rowMarker[i], code = rowProvince[i], layer = byId[cell("id", i)];
    if (k >= 0) {
      var at = L.latLng(data.markers[k][0], data.markers[k][1]);
      // a small map's own marker lists every incident at the place; a large one draws clusters
      var own = layer && layer.getLatLng && map.hasLayer(layer);
      showWithPopup(at, Math.max(map.getZoom(), 11),
                    own ? function () { openMarker(layer); } : rowPopup(i, at));
    } else if (code && provinceIndex[code]) {
      var bounds = L.geoJSON(provinceIndex[code]).getBounds(), centre = bounds.getCenter();
      var zoom = map.getBoundsZoom(bounds, false, L.point(20, tableCover() + 20));
      showWithPopup(centre, zoom, rowPopup(i, centre, "Somewhere in " + provinceNames[code]));
    } else {  // known only nationally: no place to go to
      showWithPopup(map.getCenter(), map.getZoom(), rowPopup(i, map.getCenter(), data.labels.national));
    }
  }

  // -- the control -------------------------------------------------------------------------------
  function tableGrid() {
    var table = el("table", "im-table-grid"), head = el("tr"), thead = el("thead");
    table.appendChild(el("caption", null, "Incidents shown, by date (a date shows it on the map)"));
    TABLE_COLUMNS.forEach(function (name) {
      var th = el("th", name === "People" ? "im-num" : null, name);
      th.scope = "col";
      head.appendChild(th);
    });
    thead.appendChild(head);
    table.appendChild(thead);
    tableBody = el("tbody");
    table.appendChild(tableBody);
    // one listener for every row: a click anywhere on it, or Enter on its date button
    tableBody.addEventListener("click", function (e) {
      var tr = e.target.closest("tr[data-row]");
      if (tr) showRow(+tr.getAttribute("data-row"));
    });
    return table;
  }
  var Table = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      tableBox = el("details", "im-table leaflet-bar");
      tableBox.open = false;  // closed everywhere: open, it would hide a third of the map
      tableSummary = el("summary", "im-heading");
      tableScroll = el("div", "im-table-body");
      tableMore = el("div", "im-table-more");
      tableScroll.appendChild(tableGrid());
      tableScroll.appendChild(tableMore);
      tableBox.appendChild(tableSummary);
      tableBox.appendChild(tableScroll);
      tableBox.addEventListener("toggle", function () {
        // one panel open at a time in this corner: the national one would lift the table
        if (tableBox.open && nationalPanel) nationalPanel.open = false;
        fillTable();
        placeTable();
      });
      L.DomEvent.disableClickPropagation(tableBox);
      L.DomEvent.disableScrollPropagation(tableBox);
      return tableBox;
    }
  });
  new Table().addTo(map);
  // Above the national panel on a phone (its line is full); elsewhere on that panel's line:
  // above it, the button would cover the search box below the opened filter.
  nationalPanel = tableBox.parentNode.querySelector(".im-panel");
  if (nationalPanel && !small) {
    tableBox.parentNode.insertBefore(tableBox, nationalPanel.nextSibling);
    tableBox.classList.add("im-table-beside");
  }
  // The national panel opened folds the table; any panel folded or opened, or a turned
  // phone, moves the table's button.
  document.addEventListener("toggle", function (e) {
    if (e.target === tableBox) return;
    if (e.target === nationalPanel && nationalPanel.open) tableBox.open = false;
    placeTable();
  }, true);
  window.addEventListener("resize", placeTable);
  whenFiltered.push(fillTable);
  fillTable();
