  // -- a compact page: typed arrays back into what the rest of the script reads -------------
  // Past mapper.render.COMPACT_ROWS incidents the rows come as typed arrays in base64
  // ({t: type, b: bytes}): a column is codes into its distinct values ({v, c}), a place's
  // columns are coded once per place ({via: "place"}), ids may be a prefix and a number
  // each ({p, c, n}); markers and province items are arrays, their rows one run each.
  var ARRAY_TYPES = { i1: Int8Array, i2: Int16Array, i4: Int32Array, f4: Float32Array };
  function bytesOf(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var k = 0; k < raw.length; k++) out[k] = raw.charCodeAt(k);
    return out;
  }
  function typedArray(packed) {
    var Type = ARRAY_TYPES[packed.t], bytes = bytesOf(packed.b);
    return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
  }
  function throughPlace(codes, place) {  // each row's code, from its place's
    var out = new codes.constructor(place.length);
    for (var i = 0; i < place.length; i++) out[i] = codes[place[i]];
    return out;
  }
  function numberedIds(col) {  // "b000123": prefix "b", 6 digits, number 123
    var prefixes = col.p, codes = typedArray(col.c), numbers = typedArray(col.n);
    return { at: function (i) {
      var p = prefixes[codes[i]], digits = String(numbers[i]);
      while (digits.length < p[1]) digits = "0" + digits;
      return p[0] + digits;
    } };
  }
  function decodeColumns(rows, place) {
    Object.keys(rows).forEach(function (name) {
      var col = rows[name];
      if (!col) return;
      if (col.t) rows[name] = typedArray(col);
      else if (col.p) rows[name] = numberedIds(col);
      else {
        col.c = typedArray(col.c);
        if (col.via === "place") col.c = throughPlace(col.c, place);
      }
    });
  }
  // Groups of rows ({count, rows, sizes} and arrays of their keys) as [...key, rows] lists:
  // a group's rows are the next ``size`` of ``rows``.
  function decodeGroups(packed, keys) {
    var rows = typedArray(packed.rows), sizes = typedArray(packed.sizes), out = new Array(packed.count);
    var columns = keys.map(function (k) { return packed[k].t ? typedArray(packed[k]) : packed[k]; });
    for (var g = 0, start = 0; g < packed.count; g++) {
      var entry = new Array(columns.length + 1);
      for (var k = 0; k < columns.length; k++) entry[k] = columns[k][g];
      entry[columns.length] = rows.subarray(start, start + sizes[g]);
      out[g] = entry;
      start += sizes[g];
    }
    return out;
  }
  if (data.compact) {
    decodeColumns(data.rows, typedArray(data.compact.place));
    data.markers = decodeGroups(data.markers, ["lat", "lon", "type", "precision"]);
    data.province_items = decodeGroups(data.province_items, ["code", "type"]);
    data.national = typedArray(data.national);
    data.flows.forEach(function (f) { f.rows = typedArray(f.rows); });
  }

