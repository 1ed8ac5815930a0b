/* comparison.html: a graft compare grid. The data model is io.graft.runtime.report.ComparisonWriter.Page. */
GraftReport.run(function (d) {
  'use strict';
  var G = GraftReport;
  var main = document.getElementById('main');
  var finished = d.runs.filter(function (r) {
    return r.failure === null;
  }).length;
  var failed = d.runs.length - finished;
  document.getElementById('subtitle').textContent = [
    'base ' + d.base,
    'methods: ' + d.methods.join(', '),
    'orders: ' + d.orders.join(', '),
    'seeds: ' + (d.seeds.length ? d.seeds.join(', ') : 'the base config\'s'),
    finished + ' of ' + d.planned + ' runs finished' + (failed ? ', ' + failed + ' failed' : '')
  ].join(' · ');

  var orders = d.orders;
  var K = orders.length;
  var row = function (method, order) {
    for (var i = 0; i < d.rows.length; i++) {
      if (d.rows[i].method === method && d.rows[i].order === order) {
        return d.rows[i];
      }
    }
    return null;
  };
  var stat = function (r, key) {
    return r ? r.stats[key] : null;
  };
  var meanStd = function (s, digits) {
    if (!s || s.mean === null) {
      return '–';
    }
    return G.fmt(s.mean, digits) + (s.std === null ? '' : ' ± ' + G.fmt(s.std, digits));
  };
  /* methods with a finished run are charted; the others are named under the charts */
  var methods = d.methods.filter(function (m) {
    return d.rows.some(function (r) {
      return r.method === m && r.finished > 0;
    });
  });
  var uncharted = d.rows.filter(function (r) {
    return r.finished === 0;
  }).map(function (r) {
    return r.method + (K > 1 ? '/' + r.order : '');
  });
  var gap = methods.length <= 2 ? 0.55 : methods.length <= 4 ? 0.4 : 0.3;

  /* mean ± std error bars, drawn over the bars of series k of K */
  var errorBars = function (k) {
    return function (params, api) {
      var x = api.value(0);
      var lo = api.coord([x, api.value(1)]);
      var hi = api.coord([x, api.value(2)]);
      var group = api.size([1, 0])[0] * (1 - gap);
      var cx = lo[0] - group / 2 + group / K * (k + 0.5);
      var w = Math.min(group / K * 0.35, 16);
      var style = {stroke: '#1f2328', lineWidth: 1.5};
      return {type: 'group', children: [
        {type: 'line', shape: {x1: cx, y1: hi[1], x2: cx, y2: lo[1]}, style: style},
        {type: 'line', shape: {x1: cx - w / 2, y1: hi[1], x2: cx + w / 2, y2: hi[1]}, style: style},
        {type: 'line', shape: {x1: cx - w / 2, y1: lo[1], x2: cx + w / 2, y2: lo[1]}, style: style}
      ]};
    };
  };

  var barChart = function (parent, metric) {
    var series = [];
    orders.forEach(function (order, k) {
      var stats = methods.map(function (m) {
        return stat(row(m, order), metric.key);
      });
      series.push({type: 'bar', name: order, color: G.color(k), barGap: '0%', barCategoryGap: (gap * 100) + '%',
        data: stats.map(function (s, i) {
          var v = s && s.mean !== null ? s.mean : null;
          return K > 1 ? v : {value: v, itemStyle: {color: G.color(i)}};
        })});
      var bars = [];
      stats.forEach(function (s, i) {
        if (s && s.mean !== null && s.std !== null) {
          bars.push([i, s.mean - s.std, s.mean + s.std]);
        }
      });
      series.push({type: 'custom', name: order, data: bars, renderItem: errorBars(k), encode: {x: 0, y: [1, 2]},
        z: 10, silent: true, tooltip: {show: false}});
    });
    G.chart(parent, {
      title: G.title(metric.label, (metric.higherIsBetter ? 'higher' : 'lower') + ' is better · mean ± std over seeds'),
      legend: K > 1 ? {top: 0, right: 0} : undefined,
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, formatter: function (qs) {
        var m = methods[qs[0].dataIndex];
        return G.esc(m) + ' · ' + G.esc(metric.label) + orders.map(function (order, k) {
          var r = row(m, order);
          var s = stat(r, metric.key);
          return '<br>' + (K > 1 ? G.esc(order) + ': ' : '') + '<b>' + G.esc(meanStd(s, metric.decimals)) + '</b>' +
            (s ? ' (' + s.n + ' seed' + (s.n === 1 ? '' : 's') + ')' : '');
        }).join('');
      }},
      grid: {top: 56, bottom: 30, left: 64, right: 16},
      xAxis: {type: 'category', data: methods, axisTick: {alignWithLabel: true}},
      yAxis: {type: 'value', scale: false},
      series: series
    }, 320);
  };

  /* a section of bar charts per protocol, then the cost */
  var protocols = [];
  d.metrics.forEach(function (m) {
    if (m.protocol !== null && protocols.indexOf(m.protocol) < 0) {
      protocols.push(m.protocol);
    }
  });
  protocols.forEach(function (p) {
    var s = G.section(main, G.protocolName(p), 'Bars: mean over the seeds that finished; whiskers: ± one sample ' +
      'standard deviation (shown with two seeds or more).' + (uncharted.length ? ' No finished run, not charted: ' +
      uncharted.join(', ') + '.' : ''));
    var g = G.grid(s);
    d.metrics.filter(function (m) {
      return m.protocol === p;
    }).forEach(function (m) {
      barChart(g, m);
    });
  });
  var cost = G.section(main, 'Cost', 'Training throughput, wall time of a run, and the process\'s largest ' +
    'resident size at a task end (all runs share one JVM, so it includes what earlier runs left).');
  var cg = G.grid(cost);
  d.metrics.filter(function (m) {
    return m.protocol === null;
  }).forEach(function (m) {
    barChart(cg, m);
  });

  /* the tables of comparison.md: one per protocol, one for the cost */
  var t = G.section(main, 'Tables', 'Mean ± sample standard deviation over the seeds that finished; the same ' +
    'numbers as comparison.csv and comparison.md.');
  protocols.concat([null]).forEach(function (p) {
    var ms = d.metrics.filter(function (m) {
      return m.protocol === p;
    });
    t.appendChild(G.el('h3', {}, [p === null ? 'cost' : G.protocolName(p)]));
    G.table(t, ['method', 'order', 'runs'].concat(ms.map(function (m) {
      return m.label;
    })), d.rows.map(function (r) {
      return [r.method, {content: r.order, cls: 'text'}, r.finished + '/' + (r.finished + r.failed)].concat(
        ms.map(function (m) {
          return meanStd(r.stats[m.key], m.decimals);
        }));
    }), [0, 1]);
  });

  /* every run, with its report */
  var rs = G.section(main, 'Runs', 'Each run\'s folder holds its config.yaml, metrics.jsonl, summary.json and ' +
    'report.html.');
  G.table(rs, ['method', 'order', 'seed', 'status'].concat(protocols.map(function (p) {
    return p + ' average accuracy';
  })).concat(['report']), d.runs.map(function (r) {
    var link = r.report ? G.el('a', {href: r.report}, ['report.html']) : '';
    var status = r.failure === null ? {content: 'finished', cls: 'ok'}
      : {content: 'failed (exit ' + r.exitCode + '): ' + r.failure, cls: 'failed'};
    return [r.method, {content: r.order, cls: 'text'}, String(r.seed), status].concat(protocols.map(function (p) {
      return G.fmt(r.values[p + '.average_accuracy'], 4);
    })).concat([{content: link, cls: 'text'}]);
  }), [0, 1, 3]);
});
