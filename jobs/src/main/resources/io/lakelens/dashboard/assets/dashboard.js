// lakelens dashboard: draws every <figure class="chart"> from the numbers table inside it, so the
// chart and the numbers a reader (or a test) sees come from one place; and sorts the caption gallery.
//
// A chart figure carries data-chart="bar" or "line", and optionally data-index-axis="y" (horizontal
// bars), data-min/data-max (value axis), data-x-kind="time"|"number", data-x-title, data-y-title.
// Bar tables: one row per category (data-label), one column per series (th[data-series]), values in
// td[data-value]. Line tables: one row per point with data-series, data-x and a td[data-value];
// data-href on a row makes its point a link.
(function () {
  'use strict';

  var PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

  function valueOf(cell) {
    if (!cell || cell.dataset.value === undefined || cell.dataset.value === '') {
      return null;
    }
    return Number(cell.dataset.value);
  }

  function formatTime(ms, withTime) {
    var iso = new Date(ms).toISOString();
    return withTime ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 10);
  }

  var HOUR = 3600000;
  var DAY = 24 * HOUR;
  var TIME_STEPS = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

  // Ticks on whole hours or days (UTC): a linear axis would put them at arbitrary milliseconds.
  function timeTicks(min, max) {
    var step = TIME_STEPS[TIME_STEPS.length - 1];
    for (var i = 0; i < TIME_STEPS.length; i++) {
      if ((max - min) / TIME_STEPS[i] <= 6) { step = TIME_STEPS[i]; break; }
    }
    var ticks = [];
    for (var t = Math.ceil(min / step) * step; t <= max; t += step) { ticks.push({ value: t }); }
    return { ticks: ticks, withTime: step < DAY };
  }

  function valueAxis(fig) {
    var axis = { beginAtZero: true, grid: { color: '#eef0f3' } };
    if (fig.dataset.min !== undefined) { axis.min = Number(fig.dataset.min); }
    if (fig.dataset.max !== undefined) { axis.max = Number(fig.dataset.max); }
    if (fig.dataset.yTitle) { axis.title = { display: true, text: fig.dataset.yTitle }; }
    return axis;
  }

  function barConfig(fig, table) {
    var names = Array.prototype.map.call(table.tHead.querySelectorAll('th[data-series]'),
        function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var labels = rows.map(function (r) { return r.dataset.label; });
    var datasets = names.map(function (name, i) {
      return {
        label: name,
        data: rows.map(function (r) { return valueOf(r.querySelectorAll('td[data-value]')[i]); }),
        backgroundColor: PALETTE[i % PALETTE.length],
        borderRadius: 2,
        maxBarThickness: 48,
        categoryPercentage: 0.7,
        barPercentage: 0.9
      };
    });
    var horizontal = fig.dataset.indexAxis === 'y';
    var scales = {};
    scales[horizontal ? 'x' : 'y'] = valueAxis(fig);
    scales[horizontal ? 'y' : 'x'] = { grid: { display: false }, ticks: { autoSkip: false } };
    return {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: { indexAxis: horizontal ? 'y' : 'x', scales: scales, plugins: { legend: { display: datasets.length > 1, position: 'bottom' } } }
    };
  }

  function lineConfig(fig, table) {
    var series = new Map();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      if (!series.has(r.dataset.series)) { series.set(r.dataset.series, []); }
      series.get(r.dataset.series).push({ x: Number(r.dataset.x), y: valueOf(r.querySelector('td[data-value]')), href: r.dataset.href });
    });
    var xs = [];
    series.forEach(function (points) { points.forEach(function (p) { xs.push(p.x); }); });
    var time = fig.dataset.xKind === 'time';
    var many = xs.length > 60;
    var datasets = [];
    var i = 0;
    series.forEach(function (points, name) {
      var colour = PALETTE[i++ % PALETTE.length];
      datasets.push({ label: name, data: points, borderColor: colour, backgroundColor: colour, borderWidth: 2,
        pointRadius: many ? 0 : 3.5, pointHoverRadius: 5, tension: 0 });
    });
    var x = { type: 'linear', grid: { color: '#eef0f3' }, ticks: { maxRotation: 0 } };
    if (time) {
      // Half a day of margin each side, so single runs and the first and last points sit inside the plot.
      x.min = Math.min.apply(null, xs) - DAY / 2;
      x.max = Math.max.apply(null, xs) + DAY / 2;
      var nice = timeTicks(x.min, x.max);
      x.afterBuildTicks = function (scale) { scale.ticks = nice.ticks; };
      x.ticks.callback = function (v) { return formatTime(v, nice.withTime); };
    }
    if (fig.dataset.xTitle) { x.title = { display: true, text: fig.dataset.xTitle }; }
    var y = valueAxis(fig);
    y.beginAtZero = false;
    y.grace = '10%';
    return {
      type: 'line',
      data: { datasets: datasets },
      options: {
        scales: { x: x, y: y },
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          legend: { display: datasets.length > 1 || fig.dataset.xKind === 'time', position: 'bottom' },
          tooltip: { callbacks: { title: function (items) {
            return items.length && time ? formatTime(items[0].parsed.x, true) + ' UTC' : (items.length ? 'step ' + items[0].parsed.x : '');
          } } }
        },
        onClick: function (event, elements, chart) {
          if (elements.length) {
            var point = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
            if (point.href) { window.location.href = point.href; }
          }
        }
      }
    };
  }

  function drawCharts() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#374151';
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    document.querySelectorAll('figure.chart').forEach(function (fig) {
      var table = fig.querySelector('table.data');
      var canvas = fig.querySelector('canvas');
      if (!table || !canvas) { return; }
      var config = fig.dataset.chart === 'line' ? lineConfig(fig, table) : barConfig(fig, table);
      new Chart(canvas, config);
    });
  }

  function sortGallery(spec) {
    var parts = spec.split(':');
    var metric = parts[0];
    var ascending = parts[1] === 'asc';
    var gallery = document.getElementById('gallery');
    var cards = Array.prototype.slice.call(gallery.children);
    function key(card) {
      return valueOf(card.querySelector('tr[data-metric="' + CSS.escape(metric) + '"]'));
    }
    cards.sort(function (a, b) {
      var x = key(a), y = key(b);
      if (x === null || y === null) { return (x === null) - (y === null); } // missing scores last
      return ascending ? x - y : y - x;
    });
    cards.forEach(function (card) { gallery.appendChild(card); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (window.Chart) { drawCharts(); }
    var select = document.getElementById('gallery-sort');
    if (select) {
      select.addEventListener('change', function () { sortGallery(select.value); });
    }
  });
})();
