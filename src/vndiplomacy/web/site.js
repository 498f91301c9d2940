// The website edition's charts and filters: plotly.js (served by the site) draws each chart from the spec the build
// wrote beside it, with the map outlines from the site's own folder; a search box filters a table's rows.
(function () {
  "use strict";

  function siteRoot() {
    var root = document.documentElement.dataset.content_root;
    if (root === undefined && window.DOCUMENTATION_OPTIONS) { root = window.DOCUMENTATION_OPTIONS.URL_ROOT; }
    return root || "./";
  }

  function drawCharts() {
    var config = {responsive: true, displaylogo: false, topojsonURL: siteRoot() + "_static/maps/"};
    document.querySelectorAll("script.vd-chart-spec").forEach(function (script) {
      var target = document.getElementById(script.dataset.for);
      if (!target || target.dataset.drawn) { return; }
      try {
        var spec = JSON.parse(script.textContent);
        window.Plotly.newPlot(target, spec.data, spec.layout, config).then(function () {
          target.dataset.drawn = "true";
        }, function (error) {
          target.dataset.drawn = "failed";
          target.textContent = "This chart could not be drawn (" + error + "). Its text alternative follows.";
        });
      } catch (error) {
        target.dataset.drawn = "failed";
        target.textContent = "This chart could not be drawn (" + error + "). Its text alternative follows.";
      }
    });
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase();
  }

  function wireFilters() {
    document.querySelectorAll("input.vd-site-filter").forEach(function (input) {
      var table = document.getElementById(input.dataset.filter);
      var count = input.parentElement.querySelector(".vd-filter-count");
      if (!table) { return; }
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var texts = rows.map(function (row) { return fold(row.textContent); });
      function apply() {
        var needle = fold(input.value.trim());
        var shown = 0;
        rows.forEach(function (row, i) {
          var match = !needle || texts[i].indexOf(needle) >= 0;
          row.hidden = !match;
          shown += match ? 1 : 0;
        });
        if (count) { count.textContent = shown + " of " + rows.length + " terms"; }
      }
      input.addEventListener("input", apply);
      apply();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    wireFilters();
  });
}());
