// The dashboard: filters kept in the URL, map, timeline, sortable table,
// event panel with the source sentence highlighted in its document, claim
// checks and the group graph. Data is written with textContent only.
'use strict';
(function () {
  var el = Sitrep.el, $ = function (id) { return document.getElementById(id); };
  var FILTERS = ['group', 'type', 'country', 'province', 'since', 'until', 'leaders', 'text', 'bbox'];
  var PAGE = 50;
  var state = {};
  var mapView = null;
  var seq = 0;  // the latest dashboard refresh; older answers are dropped

  function readUrl() {
    var q = new URLSearchParams(location.search);
    state = { view: q.get('view') || 'dashboard', sort: q.get('sort') || 'date', order: q.get('order') || 'desc',
              page: Math.max(0, parseInt(q.get('page') || '0', 10) || 0), event: q.get('event') || '',
              stack: q.get('stack') === 'type' ? 'type' : 'group', claim: q.get('claim') || '' };
    FILTERS.forEach(function (k) { state[k] = q.get(k) || ''; });
  }

  function writeUrl(push) {
    var q = new URLSearchParams();
    if (state.view !== 'dashboard') q.set('view', state.view);
    FILTERS.forEach(function (k) { if (state[k]) q.set(k, state[k]); });
    if (state.sort !== 'date') q.set('sort', state.sort);
    if (state.order !== 'desc') q.set('order', state.order);
    if (state.page) q.set('page', state.page);
    if (state.event) q.set('event', state.event);
    if (state.stack !== 'group') q.set('stack', state.stack);
    if (state.claim && state.view === 'claims') q.set('claim', state.claim);
    var url = location.pathname + (q.toString() ? '?' + q.toString() : '');
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  }

  function filters() {
    var f = {};
    FILTERS.forEach(function (k) { if (state[k]) f[k] = state[k]; });
    return f;
  }

  function fillSelect(select, items, label) {
    items.forEach(function (it) {
      select.appendChild(el('option', { value: it.id, text: (label ? label(it) : it.id) + ' (' + it.events + ')' }));
    });
  }

  function syncForm() {
    ['group', 'type', 'country', 'province', 'since', 'until', 'text'].forEach(function (k) {
      var input = $('f-' + k);
      if (input.tagName === 'SELECT' && state[k] && !Array.prototype.some.call(input.options, function (o) { return o.value === state[k]; }))
        input.appendChild(el('option', { value: state[k], text: state[k] }));
      input.value = state[k];
    });
    $('f-leaders').checked = !!state.leaders;
    $('f-bbox').hidden = !state.bbox;
    $('f-bbox').textContent = state.bbox ? 'area ' + state.bbox + ' \u2715' : '';
    $('stack').value = state.stack;
  }

  function showView() {
    ['dashboard', 'claims', 'groups'].forEach(function (v) { $('view-' + v).hidden = state.view !== v; });
    Array.prototype.forEach.call(document.querySelectorAll('a.nav'), function (a) {
      a.classList.toggle('active', a.getAttribute('data-view') === state.view);
    });
    $('filters').hidden = state.view !== 'dashboard';
    if (state.view === 'dashboard') refresh();
    else if (state.view === 'claims') loadClaims();
    else loadGroups();
  }

  // ---- dashboard ------------------------------------------------------------

  function setCount(id, n, text) {
    var node = $(id);
    node.textContent = text;
    node.setAttribute('data-total', String(n));
  }

  function refresh() {
    var my = ++seq, f = filters();
    document.body.setAttribute('data-loading', '1');
    var total = Sitrep.api('/api/events', Object.assign({ sort: state.sort, order: state.order, offset: state.page * PAGE, limit: PAGE }, f));
    var months = Sitrep.api('/api/aggregate', Object.assign({ by: 'month' }, f));
    var stacked = Sitrep.api('/api/aggregate', Object.assign({ by: 'month', then: state.stack }, f));
    var provinces = Sitrep.api('/api/aggregate', Object.assign({ by: 'province' }, f));
    return Promise.all([total, months, stacked, provinces]).then(function (r) {
      if (my !== seq) return null;
      var page = r[0], totals = {}, undated = 0, sum = 0;
      drawTable(page);
      r[1].rows.forEach(function (row) { totals[row.key] = row.events; sum += row.events; if (!/^\d{4}-\d{2}$/.test(row.key)) undated += row.events; });
      setCount('timeline-count', sum, Sitrep.fmt(sum) + ' events' + (undated ? ' (' + Sitrep.fmt(undated) + ' undated)' : ''));
      Sitrep.drawTimeline($('timeline'), $('timeline-legend'), r[2].rows, totals, function (m) {
        var y = +m.slice(0, 4), mo = +m.slice(5, 7), last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
        state.since = m + '-01'; state.until = m + '-' + last; state.page = 0;
        syncForm(); writeUrl(true); refresh();
      });
      var onMap = 0, provs = 0;
      r[3].rows.forEach(function (row) { onMap += row.events; if (row.key) provs++; });
      setCount('map-count', onMap, Sitrep.fmt(onMap) + ' events in ' + provs + ' provinces');
      return mapView ? mapView.update(f, page.total, r[3].rows) : null;
    }).then(function () {
      if (my === seq) document.body.setAttribute('data-loading', '0');
    }).catch(function (e) {
      document.body.setAttribute('data-loading', '0');
      showError(e);
    });
  }

  function showError(e) {
    var p = $('panel');
    Sitrep.clear(p);
    p.appendChild(el('p', { className: 'error', text: 'Error: ' + e.message }));
  }

  function drawTable(page) {
    var tbody = document.querySelector('#events tbody');
    Sitrep.clear(tbody);
    setCount('table-count', page.total, Sitrep.fmt(page.total) + ' events');
    var from = page.total ? page.offset + 1 : 0, to = page.offset + page.events.length;
    $('page-info').textContent = from + '\u2013' + to + ' of ' + Sitrep.fmt(page.total);
    $('prev').disabled = page.offset === 0;
    $('next').disabled = to >= page.total;
    page.events.forEach(function (e) {
      var tr = el('tr', { 'data-id': e.id, className: e.id === state.event ? 'selected' : '' },
        el('td', { text: e.date || '?' }),
        el('td', { text: e.types.join(', ') }),
        el('td', { text: e.place || e.admin2 || '' }),
        el('td', { text: e.admin1 }),
        el('td', { text: e.country }),
        el('td', { text: e.groups.map(Sitrep.groupName).join(', ') }),
        el('td', { className: 'num', text: e.killed === null ? '' : e.killed }),
        el('td', { className: 'num', text: e.captured === null ? '' : e.captured }),
        el('td', { className: 'num', text: e.sources }));
      tr.addEventListener('click', function () { openEvent(e.id, true); });
      tbody.appendChild(tr);
    });
    Array.prototype.forEach.call(document.querySelectorAll('#events th'), function (th) {
      th.classList.toggle('sorted-asc', th.getAttribute('data-sort') === state.sort && state.order === 'asc');
      th.classList.toggle('sorted-desc', th.getAttribute('data-sort') === state.sort && state.order === 'desc');
    });
  }

  function fact(dl, k, v) {
    if (v === null || v === undefined || v === '') return;
    dl.appendChild(el('dt', { text: k }));
    dl.appendChild(el('dd', { text: v }));
  }

  function openEvent(id, push) {
    state.event = id;
    writeUrl(push);
    Array.prototype.forEach.call(document.querySelectorAll('#events tbody tr'), function (tr) {
      tr.classList.toggle('selected', tr.getAttribute('data-id') === id);
    });
    return Sitrep.api('/api/events/' + encodeURIComponent(id)).then(function (ev) {
      var p = $('panel'), s = ev.sources[0];
      Sitrep.clear(p);
      $('panel-close').hidden = false;
      p.appendChild(el('h3', { text: s.types.join(', ') + ' \u2014 ' + (s.date || 'undated') }));
      var dl = el('dl', { className: 'kv' });
      var loc = s.location;
      fact(dl, 'where', [loc.place, loc.admin2, loc.admin1, loc.country].filter(Boolean).join(', '));
      fact(dl, 'groups', s.target_groups.map(Sitrep.groupName).join(', '));
      fact(dl, 'actor', s.actor);
      fact(dl, 'killed', s.killed);
      fact(dl, 'captured', s.captured);
      fact(dl, 'leaders', (s.leaders_killed || 0) + ' killed, ' + (s.leaders_captured || 0) + ' captured');
      s.people.forEach(function (pp) { fact(dl, 'person', [pp.name || '(unnamed)', pp.role, Sitrep.groupName(pp.group), pp.fate].filter(Boolean).join(', ')); });
      p.appendChild(dl);
      p.appendChild(el('h4', { text: ev.sources.length + (ev.sources.length === 1 ? ' source' : ' merged sources') }));
      var ul = el('ol', { className: 'sources' });
      ev.sources.forEach(function (src) {
        var href = Sitrep.safeUrl(src.url);
        ul.appendChild(el('li', null,
          el('button', { type: 'button', className: 'linkish source-doc', 'data-doc': src.doc_id, text: src.title || src.doc_id,
                         onclick: function () { openDoc(src.doc_id, src.event_id); } }),
          ' ', el('span', { className: 'muted', text: (src.published || '') + ' ' }),
          href ? el('a', { href: href, rel: 'noopener noreferrer nofollow', target: '_blank', text: 'original' }) :
                 (src.url ? el('span', { className: 'muted', text: src.url }) : null),
          src.merge_reason ? el('div', { className: 'muted', text: 'merged: ' + src.merge_reason }) : null));
      });
      p.appendChild(ul);
      p.appendChild(el('div', { id: 'doc-view' }));
      return openDoc(s.doc_id, s.event_id);
    }).catch(showError);
  }

  // Shows a document with the evidence of `eventId` marked (other evidence
  // lightly), in the event panel.
  function openDoc(docId, eventId) {
    return Sitrep.api('/api/docs/' + encodeURIComponent(docId)).then(function (d) {
      if (state.view !== 'dashboard') { state.view = 'dashboard'; writeUrl(true); showView(); }
      var host = $('doc-view');
      if (!host) { Sitrep.clear($('panel')); host = el('div', { id: 'doc-view' }); $('panel').appendChild(host); }
      Sitrep.clear(host);
      host.appendChild(el('h4', { text: d.title || d.id }));
      var ranges = [];
      function add(list, cls) {
        list.forEach(function (ev) {
          var s = ev.u16_start, e = ev.u16_end;
          if (!ev.exact) {  // offsets into another rendering: find the sentence itself
            var at = d.text.indexOf(ev.text);
            if (at < 0) return;
            s = at; e = at + ev.text.length;
          }
          if (e > s) ranges.push({ s: s, e: e, cls: cls });
        });
      }
      d.events.forEach(function (e) { add(e.evidence, e.event_id === eventId ? 'ev' : 'ev-other'); });
      d.claims.forEach(function (c) { add(c.evidence, 'ev-other'); });
      ranges.sort(function (a, b) { return a.s - b.s || (a.cls === 'ev' ? -1 : 1); });
      var box = el('div', { className: 'doc', 'data-doc': d.id }), pos = 0, first = null;
      ranges.forEach(function (r) {
        if (r.s < pos) return;  // overlapping evidence: the first wins
        box.appendChild(document.createTextNode(d.text.slice(pos, r.s)));
        var m = el('mark', { className: r.cls, text: d.text.slice(r.s, r.e) });
        if (r.cls === 'ev' && !first) first = m;
        box.appendChild(m);
        pos = r.e;
      });
      box.appendChild(document.createTextNode(d.text.slice(pos)));
      host.appendChild(box);
      if (first) box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 40);
    }).catch(showError);
  }
  Sitrep.openDoc = function (docId) { state.view = 'dashboard'; writeUrl(true); showView(); return openDoc(docId, ''); };

  // ---- claims ---------------------------------------------------------------

  function checkClaim(text) {
    var out = $('claim-result');
    Sitrep.clear(out);
    out.appendChild(el('p', { className: 'muted', text: 'checking\u2026' }));
    return Sitrep.api('/api/claims/check', { text: text }).then(function (r) {
      Sitrep.clear(out);
      if (r.error) { out.appendChild(el('p', { className: 'error', text: r.error })); return; }
      r.checks.forEach(function (c) {
        out.appendChild(el('p', null, el('span', { className: c.holds ? 'holds' : 'fails', text: c.holds ? '\u2714 holds' : '\u2718 does not hold' }),
          ' \u2014 ', el('q', { text: c.claim.text })));
        out.appendChild(el('p', { className: 'muted', text: c.note + (r.as_of ? ' (dates without a year read as of ' + r.as_of + ')' : '') }));
        var table = el('table', { className: 'claim-parts' }, el('thead', null, el('tr', null,
          el('th', { text: 'part' }), el('th', { text: 'claimed' }), el('th', { text: 'counted' }), el('th', { text: '' }))));
        var tb = el('tbody');
        c.parts.forEach(function (p) {
          tb.appendChild(el('tr', null, el('td', { text: p.kind === 'total' ? 'total' : p.label }),
            el('td', { className: 'num', text: p.stated ? p.expected : '\u2013' }),
            el('td', { className: 'num', text: p.counted }),
            el('td', { className: p.holds ? 'holds' : (p.stated ? 'fails' : 'muted'), text: p.stated ? (p.holds ? '\u2714' : '\u2718') : '' })));
        });
        table.appendChild(tb);
        out.appendChild(table);
        if (c.events.length) {
          out.appendChild(el('h4', { text: 'Events counted' }));
          var ul = el('ul', { className: 'plain' });
          c.events.forEach(function (e) {
            ul.appendChild(el('li', null, el('button', { type: 'button', className: 'linkish', text: (e.date || '?') + ' ' + e.types.join(', ') + ' \u2014 ' + [e.admin2, e.admin1].filter(Boolean).join(', '),
              onclick: function () { state.view = 'dashboard'; state.event = e.id; writeUrl(true); showView(); openEvent(e.id, false); } })));
          });
          out.appendChild(ul);
        }
      });
    }).catch(function (e) { Sitrep.clear(out); out.appendChild(el('p', { className: 'error', text: e.message })); });
  }

  var claimsLoaded = false;
  function loadClaims() {
    $('claim-text').value = state.claim;
    if (state.claim) checkClaim(state.claim);
    if (claimsLoaded) return;
    claimsLoaded = true;
    Sitrep.api('/api/claims').then(function (r) {
      var ul = $('claim-list');
      Sitrep.clear(ul);
      if (!r.claims.length) ul.appendChild(el('li', { className: 'muted', text: 'No claims in the store.' }));
      r.claims.forEach(function (c) {
        ul.appendChild(el('li', null, el('q', { text: c.claim.text }), ' ',
          el('span', { className: 'muted', text: c.doc_id + ' ' }),
          el('button', { type: 'button', className: 'linkish', text: 'check', onclick: function () {
            state.claim = c.claim.text; $('claim-text').value = c.claim.text; writeUrl(true); checkClaim(c.claim.text);
          } })));
      });
    }).catch(showError);
  }

  function loadGroups() {
    Sitrep.api('/api/groups').then(function (g) {
      $('graph-count').textContent = g.nodes.length + ' groups, ' + g.edges.length + ' relations';
      Sitrep.drawGraph($('graph'), $('graph-legend'), $('graph-detail'), g, function (id) {
        FILTERS.forEach(function (k) { state[k] = ''; });
        state.group = id; state.view = 'dashboard'; state.page = 0;
        syncForm(); writeUrl(true); showView();
      });
    }).catch(showError);
  }

  // ---- wiring ---------------------------------------------------------------

  function onFilterChange() {
    ['group', 'type', 'country', 'province', 'since', 'until', 'text'].forEach(function (k) { state[k] = $('f-' + k).value.trim(); });
    state.leaders = $('f-leaders').checked ? '1' : '';
    state.page = 0;
    writeUrl(true);
    refresh();
  }

  function init(meta) {
    Sitrep.meta = meta;
    meta.groupNames = {};
    meta.groups.forEach(function (g) { meta.groupNames[g.id] = g.name; });
    $('store-info').textContent = Sitrep.fmt(meta.events) + ' events from ' + Sitrep.fmt(meta.documents) + ' documents' +
      (meta.first_date ? ', ' + meta.first_date + ' to ' + meta.last_date : '');
    fillSelect($('f-group'), meta.groups, function (g) { return g.name; });
    fillSelect($('f-type'), meta.types);
    fillSelect($('f-country'), meta.countries);
    fillSelect($('f-province'), meta.provinces);
    syncForm();
    if (window.L) {
      mapView = new Sitrep.MapView($('map'), $('map-legend'), meta, function (bbox) {
        state.bbox = bbox.map(function (v) { return v.toFixed(3); }).join(',');
        state.page = 0; syncForm(); writeUrl(true); refresh();
      });
    } else {
      $('map').appendChild(el('p', { className: 'muted', text: 'Leaflet is not installed (apt-get install libjs-leaflet): no map.' }));
    }
    $('filters').addEventListener('change', onFilterChange);
    $('filters').addEventListener('submit', function (e) { e.preventDefault(); onFilterChange(); });
    $('f-reset').addEventListener('click', function () {
      FILTERS.forEach(function (k) { state[k] = ''; });
      state.page = 0; state.event = ''; syncForm(); writeUrl(true); refresh();
    });
    $('f-bbox').addEventListener('click', function () { state.bbox = ''; syncForm(); writeUrl(true); refresh(); });
    $('stack').addEventListener('change', function () { state.stack = $('stack').value; writeUrl(false); refresh(); });
    $('prev').addEventListener('click', function () { state.page = Math.max(0, state.page - 1); writeUrl(true); refresh(); });
    $('next').addEventListener('click', function () { state.page++; writeUrl(true); refresh(); });
    $('panel-close').addEventListener('click', function () {
      state.event = ''; writeUrl(false); Sitrep.clear($('panel'));
      $('panel').appendChild(el('p', { className: 'muted', text: 'Click an event in the table to see the sentence it came from.' }));
      $('panel-close').hidden = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll('#events th'), function (th) {
      th.addEventListener('click', function () {
        var k = th.getAttribute('data-sort');
        if (state.sort === k) state.order = state.order === 'asc' ? 'desc' : 'asc';
        else { state.sort = k; state.order = k === 'date' || k === 'killed' || k === 'captured' || k === 'sources' ? 'desc' : 'asc'; }
        state.page = 0; writeUrl(true); refresh();
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('a.nav'), function (a) {
      a.addEventListener('click', function (e) {
        e.preventDefault();
        state.view = a.getAttribute('data-view'); writeUrl(true); showView();
      });
    });
    $('claim-form').addEventListener('submit', function (e) {
      e.preventDefault();
      state.claim = $('claim-text').value.trim();
      writeUrl(true);
      if (state.claim) checkClaim(state.claim);
    });
    window.addEventListener('popstate', function () { readUrl(); syncForm(); showView(); if (state.event) openEvent(state.event, false); });
    showView();
    if (state.event && state.view === 'dashboard') openEvent(state.event, false);
  }

  readUrl();
  Sitrep.api('/api/meta').then(init).catch(function (e) {
    document.body.appendChild(el('p', { className: 'error', text: 'Cannot load the store: ' + e.message }));
  });
})();
