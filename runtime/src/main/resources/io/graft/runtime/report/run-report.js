/* report.html: one run. The data model is io.graft.runtime.report.RunReport. */
GraftReport.run(function (d) {
  'use strict';
  var G = GraftReport;
  var main = document.getElementById('main');
  var tasks = d.tasks || [];
  var T = tasks.length;
  var short = tasks.map(function (t, i) {
    return 'T' + (i + 1);
  });
  var label = function (i) {
    return short[i] + (tasks[i] ? ' (' + tasks[i] + ')' : '');
  };

  var plugins = (d.plugins || []).map(function (p) {
    return p.id + ' ' + p.version;
  });
  document.getElementById('subtitle').textContent = [
    plugins.length ? 'plugins: ' + plugins.join(', ') : 'no plugins (fine-tuning)',
    'seed ' + d.seed, 'device ' + d.device, G.fmt(d.parameters, 0) + ' parameters', T + ' tasks'
  ].join(' · ');

  /* Results: headline numbers */
  var results = G.section(main, 'Results', 'Average accuracy: mean of the last row of the accuracy matrix. ' +
    'Forgetting: mean over all but the last task of (best accuracy ever − final accuracy). BWT: mean of (final − ' +
    'just-after-training accuracy). FWT: mean over tasks 2..T of (accuracy just before training the task − ' +
    'accuracy of the untrained model).');
  G.cards(results, [
    ['train samples/s', G.fmt(d.trainSamplesPerSecond, 0)],
    ['wall time', G.fmt(d.wallSeconds, 1) + ' s'],
    ['training time', G.fmt(d.trainSeconds, 1) + ' s'],
    ['steps', G.fmt(d.steps, 0)],
    ['peak resident memory', d.peakRssMb === null ? '–' : G.fmt(d.peakRssMb, 0) + ' MB']
  ]);
  G.table(results, ['protocol', 'average accuracy', 'forgetting', 'BWT', 'FWT'], d.protocols.map(function (p) {
    return [G.protocolName(p.key), G.fmt(p.averageAccuracy, 4), G.fmt(p.forgetting, 4), G.fmt(p.bwt, 4),
      G.fmt(p.fwt, 4)];
  }));

  /* Plugins */
  var ps = G.section(main, 'Plugins', 'In hook order, with the config each one was bound to.');
  if (d.plugins.length) {
    G.table(ps, ['id', 'version', 'config'], d.plugins.map(function (p) {
      return [p.id, {content: p.version, cls: 'text'}, {content: JSON.stringify(p.config), cls: 'mono'}];
    }), [0, 1, 2]);
  } else {
    ps.appendChild(G.el('p', {'class': 'empty'}, ['none: plain fine-tuning']));
  }

  /* Accuracy matrices */
  var rows = ['untrained'].concat(short.map(function (s) {
    return 'after ' + s;
  }));
  var m = G.section(main, 'Accuracy matrix', 'Row: after training task i (first row: the untrained model, ' +
    'for FWT); column: accuracy on task j. Below the diagonal: remembering; above it: tasks not trained yet.');
  var mg = G.grid(m);
  d.protocols.forEach(function (p) {
    var cells = [];
    var cell = function (x, y, v) {
      cells.push({value: [x, y, v], label: {color: v !== null && v > 0.55 ? '#ffffff' : '#1f2328'}});
    };
    p.baseline.forEach(function (v, j) {
      cell(j, 0, v);
    });
    p.matrix.forEach(function (row, i) {
      row.forEach(function (v, j) {
        cell(j, i + 1, v);
      });
    });
    G.chart(mg, {
      title: G.title(G.protocolName(p.key)),
      tooltip: {formatter: function (q) {
        return G.esc(rows[q.value[1]]) + '<br>' + G.esc(label(q.value[0])) + ': <b>' + G.fmt(q.value[2], 4) + '</b>';
      }},
      grid: {top: 36, bottom: T <= 6 ? 94 : 70, left: 84, right: 16},
      xAxis: {type: 'category', data: short, name: 'accuracy on task', nameLocation: 'middle', nameGap: T <= 6 ? 50 : 26,
        splitArea: {show: true}, axisLabel: {lineHeight: 15, margin: 8, formatter: function (v, j) {
          return T <= 6 && tasks[j] ? v + '\n' + tasks[j] : v;
        }}},
      yAxis: {type: 'category', data: rows, inverse: true, splitArea: {show: true}},
      visualMap: {min: 0, max: 1, orient: 'horizontal', left: 'center', bottom: 0, itemWidth: 12, itemHeight: 160,
        text: ['1', '0'], calculable: false, inRange: {color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b']}},
      series: [{type: 'heatmap', data: cells, itemStyle: {borderColor: '#ffffff', borderWidth: 1},
        label: {show: T <= 12, fontSize: T <= 6 ? 12 : 10, formatter: function (q) {
          return G.fmt(q.value[2], T <= 6 ? 3 : 2);
        }}}]
    }, Math.max(300, (T <= 6 ? 144 : 120) + 34 * (T + 1)));
  });

  /* Accuracy of each task over time */
  var o = G.section(main, 'Accuracy of each task over time', 'One line per task across the evaluation points; ' +
    'the larger point is the evaluation just after training that task.');
  var og = G.grid(o);
  d.protocols.forEach(function (p) {
    var series = short.map(function (s, j) {
      var values = [p.baseline[j]].concat(p.matrix.map(function (row) {
        return row[j];
      }));
      return {type: 'line', name: s, data: values, color: G.color(j), lineStyle: {width: 2},
        symbolSize: function (v, q) {
          return q.dataIndex === j + 1 ? 10 : 5;
        }};
    });
    G.chart(og, {
      title: G.title(G.protocolName(p.key)),
      legend: {type: 'scroll', top: 0, right: 0, width: '60%'},
      tooltip: {trigger: 'axis', formatter: function (qs) {
        return G.esc(qs.length ? qs[0].axisValue : '') + qs.map(function (q) {
          return '<br>' + q.marker + G.esc(label(q.seriesIndex)) + ': <b>' + G.fmt(q.value, 4) + '</b>';
        }).join('');
      }},
      grid: {top: 40, bottom: 30, left: 56, right: 36},
      xAxis: {type: 'category', data: rows, boundaryGap: false},
      yAxis: {type: 'value', min: 0, max: 1, name: 'accuracy', nameLocation: 'middle', nameGap: 36},
      series: series
    });
  });

  /* Training loss */
  var starts = (d.taskStarts || []).slice(1).map(function (s, i) {
    return {xAxis: s, label: {formatter: short[i + 1] || ''}};
  });
  var boundaries = {silent: true, symbol: 'none', lineStyle: {color: '#8c959f', type: 'dashed', width: 1},
    label: {position: 'insideEndTop', color: '#59636e', fontSize: 11}, data: starts};
  /* a log scale when the loss spans orders of magnitude (the first steps of a task) */
  var losses = [];
  d.loss.forEach(function (s) {
    s.points.forEach(function (p) {
      losses.push(p[1]);
    });
  });
  var lastStep = 0;
  d.loss.forEach(function (s) {
    s.points.forEach(function (p) {
      lastStep = Math.max(lastStep, p[0]);
    });
  });
  var positive = losses.length > 0 && losses.every(function (v) {
    return v > 0;
  });
  var logScale = positive && Math.max.apply(null, losses) / Math.min.apply(null, losses) > 30;
  var l = G.section(main, 'Training loss', 'Mean cross-entropy plus plugin penalties of the incoming batch, every ' +
    'logEvery steps and at each task\'s last step, coloured by task; dashed lines mark where a task starts' +
    (logScale ? '; log scale.' : '.'));
  if (d.loss.length) {
    G.chart(l, {
      legend: {type: 'scroll', top: 0, right: 0},
      tooltip: {trigger: 'axis', formatter: function (qs) {
        return qs.map(function (q) {
          return q.marker + G.esc(label(parseInt(q.seriesName.slice(1), 10) - 1)) + '<br>step ' +
            G.fmt(q.value[0], 0) + ': loss <b>' + G.fmt(q.value[1], 4) + '</b>';
        }).join('<br>');
      }},
      grid: {top: 36, bottom: 62, left: 56, right: 24},
      dataZoom: [{type: 'inside'}, {type: 'slider', height: 18, bottom: 8}],
      xAxis: {type: 'value', name: 'step', nameLocation: 'middle', nameGap: 24, min: 0, max: 'dataMax'},
      yAxis: logScale ? {type: 'log', name: 'loss (log)', nameLocation: 'middle', nameGap: 40}
        : {type: 'value', name: 'loss', min: 0, nameLocation: 'middle', nameGap: 36},
      series: d.loss.map(function (s, i) {
        var task = parseInt(s.name.slice(1), 10) - 1;
        return {type: 'line', name: s.name, data: s.points, showSymbol: s.points.length < 60, symbolSize: 4,
          sampling: 'lttb', color: G.color(task), lineStyle: {width: 1.5}, markLine: i === 0 ? boundaries : undefined};
      })
    }, 360);
  } else {
    l.appendChild(G.el('p', {'class': 'empty'}, ['no step lines in metrics.jsonl']));
  }

  /* Plugin metrics */
  if (d.pluginMetrics.length) {
    var pm = G.section(main, 'Plugin metrics', 'What the plugins reported (metrics.jsonl lines of type plugin), ' +
      'by training step; dashed lines mark where a task starts.');
    var pg = G.grid(pm);
    d.pluginMetrics.forEach(function (s, i) {
      G.chart(pg, {
        title: G.title(s.name),
        tooltip: {trigger: 'axis', formatter: function (qs) {
          return G.esc(s.name) + '<br>step ' + G.fmt(qs[0].value[0], 0) + ': <b>' + G.esc(Number(qs[0].value[1])
            .toPrecision(4)) + '</b>';
        }},
        grid: {top: 40, bottom: 40, left: 64, right: 24},
        xAxis: {type: 'value', name: 'step', nameLocation: 'middle', nameGap: 24, min: 0,
          max: lastStep > 0 ? lastStep : 'dataMax'},
        yAxis: {type: 'value', scale: true, axisLabel: {formatter: function (v) {
          return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(+v.toPrecision(4));
        }}},
        series: [{type: 'line', name: s.name, data: s.points, showSymbol: s.points.length < 60, symbolSize: 5,
          sampling: 'lttb', color: G.color(i + 3), markLine: boundaries}]
      }, 300);
    });
  }

  /* Structure changes */
  if (d.structure.length) {
    var st = G.section(main, 'Network shape', 'Every change of the network\'s shape (metrics.jsonl lines of type ' +
      'growth): the parameter count over training steps, then each change.');
    var first = d.structure[0];
    var points = [[0, first.parametersBefore]];
    d.structure.forEach(function (c) {
      points.push([c.step, c.parametersBefore]);
      points.push([c.step, c.parametersAfter]);
    });
    points.push([lastStep > 0 ? lastStep : d.structure[d.structure.length - 1].step,
      d.structure[d.structure.length - 1].parametersAfter]);
    G.chart(st, {
      tooltip: {trigger: 'axis', formatter: function (qs) {
        return 'step ' + G.fmt(qs[0].value[0], 0) + ': <b>' + G.fmt(qs[0].value[1], 0) + '</b> parameters';
      }},
      grid: {top: 24, bottom: 40, left: 80, right: 24},
      xAxis: {type: 'value', name: 'step', nameLocation: 'middle', nameGap: 24, min: 0,
        max: lastStep > 0 ? lastStep : 'dataMax'},
      yAxis: {type: 'value', name: 'parameters', min: 0, nameLocation: 'middle', nameGap: 64},
      series: [{type: 'line', name: 'parameters', data: points, symbolSize: 4, color: G.color(2),
        markLine: boundaries}]
    }, 260);
    G.table(st, ['step', 'task', 'plugin', 'operation', 'layer', 'change', 'parameters'],
      d.structure.map(function (c) {
        return [G.fmt(c.step, 0), String(c.task + 1), c.plugin, c.operation, c.layer, {content: c.detail, cls: 'text'},
          G.fmt(c.parametersBefore, 0) + ' → ' + G.fmt(c.parametersAfter, 0)];
      }), [2, 3, 4, 5]);
  }

  /* Plugin changes */
  if (d.pluginChanges && d.pluginChanges.length) {
    var pc = G.section(main, 'Plugin changes', 'Plugins replaced by another version at a task boundary (a new jar in ' +
      'plugins/), gone from plugins/, or quarantined after a failure (metrics.jsonl lines of type swap and quarantine).');
    G.table(pc, ['change', 'plugin', 'what'], d.pluginChanges.map(function (c) {
      return [c.kind, c.plugin, {content: c.what, cls: 'text'}];
    }), [0, 1, 2]);
  }

  /* Seeds */
  if (d.seeds.length) {
    var sd = G.section(main, 'Seeds', 'Every move of a slot\'s seed through its lifecycle (metrics.jsonl lines of type ' +
      'seed: dormant → germinated → training → blending → integrated, or → pruned → embargoed → dormant) and the ' +
      'alpha of each seed while it blends. Contribution: probe accuracy with the seed minus without it. Isolation ' +
      'violations found by the kernel\'s verifier: ' + (d.isolationViolations === null ? 'not checked' :
      G.fmt(d.isolationViolations, 0)) + '.');
    if (d.alphas.length) {
      G.chart(sd, {
        legend: {top: 0, right: 0},
        tooltip: {trigger: 'axis', formatter: function (qs) {
          return 'step ' + G.fmt(qs[0].value[0], 0) + qs.map(function (q) {
            return '<br>' + q.marker + G.esc(q.seriesName) + ': <b>' + G.fmt(q.value[1], 3) + '</b>';
          }).join('');
        }},
        grid: {top: 36, bottom: 40, left: 64, right: 24},
        xAxis: {type: 'value', name: 'step', nameLocation: 'middle', nameGap: 24, min: 0,
          max: lastStep > 0 ? lastStep : 'dataMax'},
        yAxis: {type: 'value', name: 'alpha', min: 0, max: 1, nameLocation: 'middle', nameGap: 44},
        series: d.alphas.map(function (s, i) {
          return {type: 'line', name: s.name, data: s.points, showSymbol: false, color: G.color(i + 4),
            markLine: boundaries};
        })
      }, 240);
    }
    G.table(sd, ['step', 'task', 'slot', 'layer', 'move', 'reason', 'contribution', 'by', 'parameters'],
      d.seeds.map(function (e) {
        return [G.fmt(e.step, 0), String(e.task + 1), e.slot, e.layer, e.from + ' → ' + e.to,
          {content: e.reason, cls: 'text'}, e.contribution === null ? '–' : G.fmt(e.contribution, 4), e.plugin,
          G.fmt(e.parametersBefore, 0) + ' → ' + G.fmt(e.parametersAfter, 0)];
      }), [2, 3, 4, 5, 7]);
  }

  /* Memory */
  if (d.memory.length) {
    var mem = G.section(main, 'Memory at task ends', 'Resident size of the process (native tensors included) and ' +
      'the JVM heap in use, after each task; a resident size that keeps growing shows a leak.');
    G.chart(mem, {
      legend: {top: 0, right: 0},
      tooltip: {trigger: 'axis', formatter: function (qs) {
        return 'after ' + G.esc(short[qs[0].value[0] - 1] || '') + qs.map(function (q) {
          return '<br>' + q.marker + G.esc(q.seriesName) + ': <b>' + G.fmt(q.value[1], 0) + ' MB</b>';
        }).join('');
      }},
      grid: {top: 36, bottom: 40, left: 64, right: 24},
      xAxis: {type: 'value', name: 'after task', nameLocation: 'middle', nameGap: 24, min: 1, max: Math.max(T, 1),
        minInterval: 1},
      yAxis: {type: 'value', name: 'MB', min: 0, nameLocation: 'middle', nameGap: 44},
      series: d.memory.map(function (s, i) {
        return {type: 'line', name: s.name, data: s.points, symbolSize: 6, color: G.color(i === 0 ? 0 : 9)};
      })
    }, 280);
  }

  /* Config */
  var c = G.section(main, 'Config', 'The resolved config of the run (config.yaml beside this file).');
  c.appendChild(G.el('pre', {}, [d.configYaml]));
});
