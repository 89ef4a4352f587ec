// SVG charts drawn by hand: the monthly timeline stacked by group or type,
// and the group relationship graph (a small force layout).
'use strict';
(function () {
  var el = Sitrep.el, svg = Sitrep.svg;

  function monthsBetween(a, b) {
    var out = [], y = +a.slice(0, 4), m = +a.slice(5, 7), ey = +b.slice(0, 4), em = +b.slice(5, 7);
    while ((y < ey || (y === ey && m <= em)) && out.length < 1200) {
      out.push(y + '-' + (m < 10 ? '0' : '') + m);
      if (++m > 12) { m = 1; y++; }
    }
    return out;
  }

  // rows: [{key: month, key2: stack, events}], totals: {month: events}.
  Sitrep.drawTimeline = function (container, legend, rows, totals, onMonth) {
    Sitrep.clear(container); Sitrep.clear(legend);
    var months = Object.keys(totals).filter(function (k) { return /^\d{4}-\d{2}$/.test(k); }).sort();
    if (!months.length) { Sitrep.append(container, el('p', { className: 'muted', text: 'No dated events for this filter.' })); return; }
    months = monthsBetween(months[0], months[months.length - 1]);
    // The eight largest stacks, the rest as "other"; events without a group
    // or type as "none".
    var sums = {};
    rows.forEach(function (r) { sums[r.key2] = (sums[r.key2] || 0) + r.events; });
    var keys = Object.keys(sums).sort(function (a, b) { return sums[b] - sums[a] || (a < b ? -1 : 1); });
    var top = keys.slice(0, 8), stacks = top.concat(keys.length > 8 ? ['other'] : []).concat(['none']);
    var data = {};
    months.forEach(function (m) { data[m] = {}; });
    rows.forEach(function (r) {
      if (!data[r.key]) return;
      var k = top.indexOf(r.key2) >= 0 ? r.key2 : 'other';
      data[r.key][k] = (data[r.key][k] || 0) + r.events;
    });
    var max = 1;
    months.forEach(function (m) {
      var s = 0; Object.keys(data[m]).forEach(function (k) { s += data[m][k]; });
      if ((totals[m] || 0) > s) data[m].none = totals[m] - s;
      max = Math.max(max, s + (data[m].none || 0));
    });
    var W = 1000, H = 220, L = 40, B = 24, T = 8, bw = (W - L - 4) / months.length;
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img', 'aria-label': 'events per month' });
    var colours = {};
    stacks.forEach(function (k, i) { colours[k] = k === 'none' ? '#c9d1d9' : k === 'other' ? '#7f7f7f' : Sitrep.palette[i % Sitrep.palette.length]; });
    for (var t = 0; t <= 4; t++) {
      var v = Math.round(max * t / 4), y = H - B - (H - B - T) * v / max;
      root.appendChild(svg('line', { x1: L, x2: W, y1: y, y2: y, stroke: '#e6eaee' }));
      root.appendChild(svg('text', { x: L - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#6b7785', text: v }));
    }
    var every = Math.max(1, Math.ceil(months.length / 12));
    months.forEach(function (m, i) {
      var x = L + i * bw, y = H - B;
      stacks.forEach(function (k) {
        var n = data[m][k] || 0;
        if (!n) return;
        var h = (H - B - T) * n / max;
        y -= h;
        var r = svg('rect', { x: x + 0.5, y: y, width: Math.max(1, bw - 1), height: h, fill: colours[k], 'class': 'seg', 'data-month': m });
        r.appendChild(svg('title', { text: m + ' — ' + (k === 'none' || k === 'other' ? k : Sitrep.groupName(k)) + ': ' + n }));
        r.addEventListener('click', function () { onMonth(m); });
        root.appendChild(r);
      });
      if (i % every === 0) root.appendChild(svg('text', { x: x + bw / 2, y: H - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#44515e', text: m }));
    });
    container.appendChild(root);
    stacks.forEach(function (k) {
      if (k === 'none' && !months.some(function (m) { return data[m].none; })) return;
      var sw = el('span', { className: 'sw' });
      sw.style.background = colours[k];
      Sitrep.append(legend, el('span', null, sw, k === 'none' || k === 'other' ? k : Sitrep.groupName(k)));
    });
  };

  // nodes: [{id, name, events}], edges: [{a, b, kind, documents, evidence}].
  Sitrep.drawGraph = function (container, legend, detail, graph, onGroup) {
    Sitrep.clear(container); Sitrep.clear(legend); Sitrep.clear(detail);
    if (!graph.nodes.length) { Sitrep.append(container, el('p', { className: 'muted', text: 'No groups in the store.' })); return; }
    var W = 1000, H = 520, n = graph.nodes.length, idx = {};
    var nodes = graph.nodes.map(function (g, i) {
      idx[g.id] = i;
      var a = 2 * Math.PI * i / n;
      return { g: g, x: W / 2 + Math.cos(a) * H / 3, y: H / 2 + Math.sin(a) * H / 3, vx: 0, vy: 0, r: 6 + Math.min(22, Math.sqrt(g.events) * 2) };
    });
    var edges = graph.edges.filter(function (e) { return e.a in idx && e.b in idx; });
    for (var it = 0; it < 300; it++) {
      var alpha = 1 - it / 300;
      for (var i = 0; i < n; i++) for (var j = i + 1; j < n; j++) {
        var dx = nodes[j].x - nodes[i].x, dy = nodes[j].y - nodes[i].y, d2 = dx * dx + dy * dy + 0.01, f = 4000 / d2;
        var d = Math.sqrt(d2);
        nodes[i].vx -= f * dx / d; nodes[i].vy -= f * dy / d; nodes[j].vx += f * dx / d; nodes[j].vy += f * dy / d;
      }
      edges.forEach(function (e) {
        var s = nodes[idx[e.a]], t = nodes[idx[e.b]], dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01, f = (d - 160) * 0.02;
        s.vx += f * dx / d; s.vy += f * dy / d; t.vx -= f * dx / d; t.vy -= f * dy / d;
      });
      nodes.forEach(function (p) {
        p.vx += (W / 2 - p.x) * 0.005; p.vy += (H / 2 - p.y) * 0.005;
        p.x = Math.max(40, Math.min(W - 40, p.x + p.vx * alpha)); p.y = Math.max(30, Math.min(H - 30, p.y + p.vy * alpha));
        p.vx *= 0.5; p.vy *= 0.5;
      });
    }
    var kinds = {};
    edges.forEach(function (e) { if (!(e.kind in kinds)) kinds[e.kind] = Sitrep.palette[Object.keys(kinds).length % Sitrep.palette.length]; });
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'group relationship graph' });
    edges.forEach(function (e) {
      var s = nodes[idx[e.a]], t = nodes[idx[e.b]];
      var line = svg('line', { x1: s.x, y1: s.y, x2: t.x, y2: t.y, stroke: kinds[e.kind], 'class': 'edge' });
      line.appendChild(svg('title', { text: Sitrep.groupName(e.a) + ' — ' + e.kind + ' — ' + Sitrep.groupName(e.b) + ' (' + e.documents + ' documents)' }));
      line.addEventListener('click', function () { showEdge(e); });
      root.appendChild(line);
    });
    nodes.forEach(function (p) {
      var c = svg('circle', { cx: p.x, cy: p.y, r: p.r, fill: '#1f2d3a', 'class': 'node', 'data-group': p.g.id });
      c.appendChild(svg('title', { text: p.g.name + ': ' + p.g.events + ' events (click to filter the dashboard)' }));
      c.addEventListener('click', function () { onGroup(p.g.id); });
      root.appendChild(c);
      root.appendChild(svg('text', { x: p.x + p.r + 4, y: p.y + 4, fill: '#1d232a', text: p.g.name }));
    });
    container.appendChild(root);
    Object.keys(kinds).forEach(function (k) {
      var sw = el('span', { className: 'sw' }); sw.style.background = kinds[k];
      Sitrep.append(legend, el('span', null, sw, k));
    });
    function showEdge(e) {
      Sitrep.clear(detail);
      Sitrep.append(detail, el('h3', { text: Sitrep.groupName(e.a) + ' — ' + e.kind + ' — ' + Sitrep.groupName(e.b) }));
      var ul = el('ul', { className: 'plain' });
      e.evidence.forEach(function (ev) {
        ul.appendChild(el('li', null, el('q', { text: ev.text }), ' ',
          el('button', { type: 'button', className: 'linkish', text: ev.doc_id, onclick: function () { Sitrep.openDoc(ev.doc_id); } })));
      });
      detail.appendChild(ul);
    }
  };
})();
