/* Helpers shared by Graft's report pages. Text reaches the page through textContent only, and through the
   esc() of tooltip formatters (ECharts tooltips are HTML), so names and config values are never markup. */
var GraftReport = (function () {
  'use strict';

  /* Ten distinct colours, one per task or series, repeated past ten. */
  var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#bab0ac'];
  var PROTOCOLS = {
    class_il: 'class-incremental (class_il)',
    task_il: 'task-incremental (task_il)',
    domain_il: 'domain-incremental (domain_il)'
  };
  var charts = [];
  var failed = false;

  function fail(message) {
    failed = true;
    document.body.setAttribute('data-error', String(message));
    var box = document.createElement('p');
    box.className = 'error';
    box.textContent = 'This page could not be drawn completely: ' + message;
    var main = document.getElementById('main');
    (main || document.body).insertBefore(box, main ? main.firstChild : null);
  }

  window.addEventListener('error', function (e) {
    fail(e.message || 'script error');
  });

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  /* An element with attributes and children; strings become text nodes. */
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) {
        e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
      }
    });
    return e;
  }

  function fmt(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) {
      return '–';
    }
    return Number(v).toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }

  function section(parent, title, note) {
    var s = el('section', {}, [el('h2', {}, [title]), note ? el('p', {'class': 'note'}, [note]) : null]);
    parent.appendChild(s);
    return s;
  }

  function cards(parent, items) {
    var box = el('div', {'class': 'cards'});
    items.forEach(function (it) {
      box.appendChild(el('div', {'class': 'card'}, [el('div', {'class': 'label'}, [it[0]]),
        el('div', {'class': 'value'}, [it[1]])]));
    });
    parent.appendChild(box);
    return box;
  }

  /* head: column titles; rows: arrays of cells, a cell is a string, a node, or {text|node, cls}. */
  function table(parent, head, rows, textColumns) {
    var isText = function (i) {
      return (textColumns || [0]).indexOf(i) >= 0;
    };
    var t = el('table', {}, [el('thead', {}, [el('tr', {}, head.map(function (h, i) {
      return el('th', isText(i) ? {'class': 'text'} : {}, [h]);
    }))])]);
    var body = el('tbody');
    rows.forEach(function (r) {
      body.appendChild(el('tr', {}, r.map(function (c, i) {
        var cell = (c !== null && typeof c === 'object' && !(c instanceof Node)) ? c : {content: c};
        var cls = cell.cls || (isText(i) ? 'text' : '');
        return el('td', cls ? {'class': cls} : {}, [cell.content === undefined ? '' : cell.content]);
      })));
    });
    t.appendChild(body);
    var wrap = el('div', {'class': 'scroll'}, [t]);
    parent.appendChild(wrap);
    return t;
  }

  function grid(parent) {
    var g = el('div', {'class': 'charts'});
    parent.appendChild(g);
    return g;
  }

  /* Draws an ECharts option into a new container; data-rendered="true" once ECharts has finished. */
  function chart(parent, option, height) {
    var div = el('div', {'class': 'chart', 'data-chart': 'true'});
    if (height) {
      div.style.height = height + 'px';
    }
    parent.appendChild(div);
    if (typeof echarts === 'undefined') {
      fail('the charting library did not load');
      return div;
    }
    var c = echarts.init(div, null, {renderer: 'svg'});
    c.on('finished', function () {
      div.setAttribute('data-rendered', 'true');
    });
    option.animation = false;
    option.textStyle = option.textStyle || {fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'};
    c.setOption(option);
    charts.push(c);
    return div;
  }

  window.addEventListener('resize', function () {
    charts.forEach(function (c) {
      c.resize();
    });
  });

  function data() {
    return JSON.parse(document.getElementById('graft-data').textContent);
  }

  function protocolName(key) {
    return PROTOCOLS[key] || key;
  }

  function color(i) {
    return PALETTE[i % PALETTE.length];
  }

  /* A chart title in the house style. */
  function title(text, subtext) {
    return {text: text, subtext: subtext || '', left: 0, top: 0,
      textStyle: {fontSize: 14, fontWeight: 600, color: '#1f2328'}, subtextStyle: {fontSize: 12, color: '#59636e'}};
  }

  /* Marks the page done: every chart container counted, the page script finished without an error. */
  function done() {
    document.body.setAttribute('data-charts', String(document.querySelectorAll('[data-chart]').length));
    if (!failed) {
      document.body.setAttribute('data-ready', 'true');
    }
  }

  function run(build) {
    try {
      build(data());
    } catch (e) {
      fail(e && e.message ? e.message : String(e));
    }
    done();
  }

  return {esc: esc, el: el, fmt: fmt, section: section, cards: cards, table: table, grid: grid, chart: chart,
    protocolName: protocolName, color: color, title: title, run: run};
}());
