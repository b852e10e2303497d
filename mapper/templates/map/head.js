// incident-mapper: draws the incident layers of one map from one embedded data object.
// Every piece of user text reaches the page through textContent or an attribute set by
// the DOM API, never through innerHTML: the data is data, not markup.
// The parts that follow (decode, core, markers, provinces, context, table, controls) run
// in this one function: see mapper/map_page.py, MAP_SCRIPT_PARTS.
(function () {
  "use strict";
  var map = __MAP__;
  var data = __DATA__;
  var groups = __GROUPS__;

