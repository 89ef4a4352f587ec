// The map: Leaflet with no tile server. Country outlines (TopoJSON or GeoJSON
// served by sitrep, e.g. npm world-atlas) or a graticule underneath, the
// --boundaries layers as a choropleth of event counts, and event markers
// clustered on a pixel grid that is recomputed at every zoom.
'use strict';
(function () {
  var el = Sitrep.el;

  // TopoJSON -> GeoJSON features (quantized, delta-encoded arcs).
  function topoFeatures(topo) {
    var tf = topo.transform;
    var arcs = topo.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (p) {
        if (tf) { x += p[0]; y += p[1]; return [x * tf.scale[0] + tf.translate[0], y * tf.scale[1] + tf.translate[1]]; }
        return [p[0], p[1]];
      });
    });
    function ring(ids) {
      var out = [];
      ids.forEach(function (i) {
        var a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
        a.forEach(function (p, k) { if (k > 0 || out.length === 0) out.push(p); });
      });
      return out;
    }
    var features = [];
    Object.keys(topo.objects).forEach(function (name) {
      if (name !== 'countries' && Object.keys(topo.objects).length > 1) return;
      (topo.objects[name].geometries || []).forEach(function (g) {
        var geom = null;
        if (g.type === 'Polygon') geom = { type: 'Polygon', coordinates: g.arcs.map(ring) };
        else if (g.type === 'MultiPolygon') geom = { type: 'MultiPolygon', coordinates: g.arcs.map(function (p) { return p.map(ring); }) };
        if (geom) features.push({ type: 'Feature', properties: g.properties || {}, geometry: geom });
      });
    });
    return { type: 'FeatureCollection', features: features };
  }

  function graticule() {
    var lines = [];
    for (var lon = -180; lon <= 180; lon += 10) lines.push([[-85, lon], [85, lon]]);
    for (var lat = -80; lat <= 80; lat += 10) lines.push([[lat, -180], [lat, 180]]);
    return L.polyline(lines, { color: '#9fb6c8', weight: 1, interactive: false });
  }

  var scale = ['#fff5eb', '#fdd0a2', '#fdae6b', '#fd8d3c', '#e6550d', '#a63603'];
  function colour(n, max) {
    if (!n) return '#f4f4f2';
    var t = Math.log(1 + n) / Math.log(1 + Math.max(max, 1));
    return scale[Math.min(scale.length - 1, 1 + Math.floor(t * (scale.length - 1)))];
  }

  function MapView(container, legend, meta, onBbox) {
    this.meta = meta;
    this.onBbox = onBbox;
    this.legend = legend;
    this.points = [];
    this.layers = [];  // {info, layer, counts}
    this.map = L.map(container, { zoomSnap: 0.5, worldCopyJump: false, attributionControl: true, preferCanvas: false });
    this.map.attributionControl.setPrefix('');
    this.map.setView([34, 66], 5);
    this.markers = L.layerGroup().addTo(this.map);
    this.control = L.control.layers(null, null, { collapsed: false }).addTo(this.map);
    this.control.addOverlay(this.markers, 'Events');
    var self = this;
    this.map.on('zoomend', function () { self.drawMarkers(); });
    this.ready = this.loadBase();
  }

  MapView.prototype.loadBase = function () {
    var self = this, map = this.map, jobs = [];
    if (this.meta.outlines) {
      jobs.push(fetch(this.meta.outlines).then(function (r) { return r.json(); }).then(function (g) {
        var fc = g.type === 'Topology' ? topoFeatures(g) : g;
        L.geoJSON(fc, { interactive: false, style: { color: '#8da2b5', weight: 1, fillColor: '#f7f5ef', fillOpacity: 1 } }).addTo(map).bringToBack();
        map.attributionControl.addAttribution('Country outlines: Natural Earth (world-atlas)');
      }));
    } else {
      graticule().addTo(map);
    }
    (this.meta.boundaries || []).forEach(function (info, i) {
      jobs.push(fetch(info.url).then(function (r) { return r.json(); }).then(function (g) {
        var cls = info.level === 'admin1' ? 'prov' : 'dist';
        var entry = { info: info, counts: {}, max: 0 };
        entry.layer = L.geoJSON(g, {
          style: function () { return { className: cls, color: info.level === 'admin1' ? '#5b6b7a' : '#9aa8b5', weight: info.level === 'admin1' ? 1.2 : 0.6, fillOpacity: 0.75, fillColor: '#f4f4f2' }; },
          onEachFeature: function (f, layer) {
            layer.on('mouseover', function () { layer.setStyle({ weight: 2.5 }); });
            layer.on('mouseout', function () { layer.setStyle({ weight: info.level === 'admin1' ? 1.2 : 0.6 }); });
            layer.bindTooltip(function () {
              var key = self.keyOf(info, f.properties);
              var n = entry.counts[key] || 0;
              return el('span', null, el('b', { text: f.properties[info.name_property] || '?' }), ': ' + Sitrep.fmt(n) + ' events');
            }, { sticky: true });
          }
        });
        entry.order = i;
        self.layers.push(entry);
        if (info.level === 'admin1' || (self.meta.boundaries.length === 1)) entry.layer.addTo(map);
        self.control.addOverlay(entry.layer, info.level === 'admin1' ? 'Provinces' : 'Districts');
        map.attributionControl.addAttribution('Boundaries: geoBoundaries (CC BY 4.0)');
      }));
    });
    return Promise.all(jobs).then(function () {
      var first = self.layers.filter(function (e) { return e.info.level === 'admin1'; })[0] || self.layers[0];
      if (first) map.fitBounds(first.layer.getBounds());
      self.markers.addTo(map);
    });
  };

  // The store's name for a boundary feature ("" when the file's name is unknown).
  MapView.prototype.keyOf = function (info, props) {
    var name = props[info.name_property] || '';
    if (info.level === 'admin2') {
      var raw = (props[info.province_property] || '') + '/' + name;
      return info.names[raw] || raw;
    }
    return info.names[name] || name;
  };

  // provinceRows: /api/aggregate?by=province for the same filters.
  MapView.prototype.update = function (filters, total, provinceRows) {
    var self = this, rows = { admin1: provinceRows };
    var jobs = [Sitrep.api('/api/points', filters).then(function (r) { self.points = r.points; })];
    if ((this.meta.boundaries || []).some(function (b) { return b.level === 'admin2'; }))
      jobs.push(Sitrep.api('/api/aggregate', Object.assign({ by: 'district' }, filters)).then(function (r) { rows.admin2 = r.rows; }));
    return Promise.all(jobs.concat([this.ready])).then(function () {
      self.layers.forEach(function (e) {
        e.counts = {}; e.max = 0;
        (rows[e.info.level] || []).forEach(function (row) {
          e.counts[row.key] = row.events;
          if (row.key && row.events > e.max) e.max = row.events;
        });
        e.layer.eachLayer(function (l) {
          l.setStyle({ fillColor: colour(e.counts[self.keyOf(e.info, l.feature.properties)] || 0, e.max) });
        });
      });
      self.drawMarkers();
      self.drawLegend(total);
    });
  };

  MapView.prototype.drawLegend = function (total) {
    var placed = this.points.reduce(function (s, p) { return s + p.events; }, 0);
    Sitrep.clear(this.legend);
    var prov = this.layers.filter(function (e) { return e.info.level === 'admin1'; })[0];
    if (prov) {
      var max = prov.max;
      Sitrep.append(this.legend, el('span', { text: 'events per province:' }));
      [0, 1, Math.round(max / 4), Math.round(max / 2), max].filter(function (v, i, a) { return a.indexOf(v) === i; }).forEach(function (v) {
        var sw = el('span', { className: 'sw' });
        sw.style.background = colour(v, max);
        Sitrep.append(this.legend, el('span', null, sw, Sitrep.fmt(v)));
      }, this);
    }
    Sitrep.append(this.legend, el('span', { className: 'muted', text: Sitrep.fmt(placed) + ' of ' + Sitrep.fmt(total) + ' events have coordinates' }));
  };

  MapView.prototype.drawMarkers = function () {
    var map = this.map, self = this, zoom = map.getZoom(), cell = 56;
    this.markers.clearLayers();
    var buckets = {};
    this.points.forEach(function (p) {
      var px = map.project([p.lat, p.lon], zoom);
      var key = Math.floor(px.x / cell) + ':' + Math.floor(px.y / cell);
      var b = buckets[key] || (buckets[key] = { n: 0, lat: 0, lon: 0, pts: [] });
      b.n += p.events; b.lat += p.lat * p.events; b.lon += p.lon * p.events; b.pts.push(p);
    });
    Object.keys(buckets).forEach(function (k) {
      var b = buckets[k], lat = b.lat / b.n, lon = b.lon / b.n;
      var size = Math.round(22 + Math.min(26, Math.log(b.n) * 5));
      var label = el('span', { text: b.n > 9999 ? Math.round(b.n / 1000) + 'k' : String(b.n) });
      var icon = L.divIcon({ html: label, className: 'cl-marker', iconSize: [size, size] });
      var m = L.marker([lat, lon], { icon: icon, title: b.n + ' events', keyboard: true });
      if (b.pts.length > 1) {
        m.on('click', function () {
          var bounds = L.latLngBounds(b.pts.map(function (p) { return [p.lat, p.lon]; }));
          map.fitBounds(bounds.pad(0.3), { maxZoom: Math.max(zoom + 2, 8) });
        });
      } else {
        var p = b.pts[0];
        var name = [p.place, p.admin2, p.admin1, p.country].filter(Boolean).join(', ');
        m.bindPopup(function () {
          return el('div', null, el('b', { text: name || 'unnamed place' }), el('br'), Sitrep.fmt(p.events) + ' events ',
            el('button', { type: 'button', className: 'linkish', text: 'show only these', onclick: function () {
              self.onBbox([p.lat - 0.01, p.lon - 0.01, p.lat + 0.01, p.lon + 0.01]);
              map.closePopup();
            } }));
        });
      }
      m.addTo(self.markers);
    });
  };

  Sitrep.MapView = MapView;
})();
