// Shared helpers. Every piece of data reaches the page as text: el() makes
// text nodes for strings, and nothing here ever assigns innerHTML.
'use strict';
var Sitrep = window.Sitrep || {};
window.Sitrep = Sitrep;

Sitrep.el = function (tag, attrs) {
  var node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'onclick') node.addEventListener('click', v);
      else if (k === 'className') node.className = v;
      else node.setAttribute(k, String(v));
    });
  }
  for (var i = 2; i < arguments.length; i++) Sitrep.append(node, arguments[i]);
  return node;
};

Sitrep.append = function (node, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) { child.forEach(function (c) { Sitrep.append(node, c); }); return; }
  node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
};

Sitrep.svg = function (tag, attrs) {
  var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') node.textContent = String(attrs[k]);
    else node.setAttribute(k, String(attrs[k]));
  });
  return node;
};

Sitrep.clear = function (node) { while (node.firstChild) node.removeChild(node.firstChild); };

// Only http(s) links to other sites are made clickable (no javascript: URLs).
Sitrep.safeUrl = function (u) {
  try {
    var url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
  } catch (e) { return null; }
};

Sitrep.api = function (path, params) {
  var qs = new URLSearchParams();
  Object.keys(params || {}).forEach(function (k) {
    var v = params[k];
    if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, v === true ? '1' : v);
  });
  var url = path + (qs.toString() ? '?' + qs.toString() : '');
  return fetch(url, { credentials: 'same-origin' }).then(function (r) {
    return r.json().then(function (body) {
      if (!r.ok) throw new Error(body && body.error ? body.error : ('HTTP ' + r.status));
      return body;
    });
  });
};

Sitrep.palette = ['#b03a2e', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
                  '#17becf', '#bcbd22', '#7f7f7f'];
Sitrep.fmt = function (n) { return n === null || n === undefined ? '' : Number(n).toLocaleString('en'); };
Sitrep.groupName = function (id) {
  return (Sitrep.meta && Sitrep.meta.groupNames && Sitrep.meta.groupNames[id]) || id;
};
