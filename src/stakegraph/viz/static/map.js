/* stakegraph interactive map (BSD-3-Clause, part of stakegraph).
 * Plain JavaScript, no library: draws the embedded graph data as SVG, with zoom and pan,
 * hover details, filters by layer and stance, search and the highlight. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("stakegraph-data").textContent);
  var svg = document.getElementById("sg-map");
  var viewport = document.getElementById("sg-viewport");
  var tooltip = document.getElementById("sg-tooltip");
  var details = document.getElementById("sg-details-body");
  var state = { k: 1, x: 0, y: 0, kinds: {}, stances: {}, highlight: true, selected: null, query: "" };

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (a) { e.setAttribute(a, attrs[a]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  // ---- geometry
  var nodes = data.nodes;
  var byId = {};
  nodes.forEach(function (n, i) { n.index = i; byId[n.id] = n; });
  var neighbours = nodes.map(function () { return {}; });
  data.edges.forEach(function (e) { neighbours[e.s][e.t] = true; neighbours[e.t][e.s] = true; });

  svg.setAttribute("viewBox", "0 0 " + data.width + " " + data.height);
  var defs = el("defs", {}, svg);
  Object.keys(data.styles).forEach(function (kind) {
    var st = data.styles[kind];
    if (!st.directed) { return; }
    var size = String(data.arrowSize || 7);
    var m = el("marker", { id: "sg-arrow-" + kind, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: size,
      markerHeight: size, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: st.color, "fill-opacity": data.arrowOpacity || 1 }, m);
  });
  var pattern = el("pattern", { id: "sg-hatch", width: "5", height: "5", patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)" }, defs);
  el("rect", { width: "5", height: "5", fill: "#ffffff" }, pattern);
  el("line", { x1: "0", y1: "0", x2: "0", y2: "5", stroke: "#8a8a8a", "stroke-width": "1.6" }, pattern);

  var layers = {};
  ["decor", "highlight", "ties", "nodes", "labels"].forEach(function (name) {
    layers[name] = el("g", { "class": "sg-layer-" + name }, viewport);
  });

  (data.decorations || []).forEach(function (d) {
    if (d.type === "line") {
      el("line", { x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2, stroke: "#e3e3e3", "stroke-width": 1 }, layers.decor);
    } else if (d.type === "text") {
      var t = el("text", { x: d.x, y: d.y, "text-anchor": "middle", "font-size": 10, fill: "#7a7a7a",
        "font-weight": "bold" }, layers.decor);
      t.textContent = d.text;
    } else if (d.type === "circle") {
      el("circle", { cx: d.x, cy: d.y, r: d.r, fill: "#f4f4f4", stroke: "#dddddd" }, layers.decor);
    }
  });

  // ---- highlight
  var hl = data.highlight || { people: [], paths: [], targets: [] };
  (hl.paths || []).forEach(function (path, k) {
    var pts = path.map(function (id) { return byId[id]; }).filter(function (n) { return n; });
    if (pts.length < 2) { return; }
    var d = "M" + pts.map(function (n) { return n.x + "," + n.y; }).join(" L");
    el("path", { d: d, fill: "none", stroke: "#f0c800", "stroke-width": k === 0 ? 12 : 8,
      "stroke-opacity": k === 0 ? 0.85 : 0.35, "stroke-linecap": "round", "stroke-linejoin": "round",
      "class": "sg-hl" }, layers.highlight);
  });
  var ringed = {};
  (hl.people || []).concat(hl.targets || []).forEach(function (id) { ringed[id] = true; });
  Object.keys(ringed).forEach(function (id) {
    var n = byId[id];
    if (!n) { return; }
    el("circle", { cx: n.x, cy: n.y, r: n.r + 6, fill: "#f0e442", stroke: "#111", "stroke-width": 1.6,
      "class": "sg-hl", "data-id": id }, layers.highlight);
  });

  // ---- ties
  var tieEls = data.edges.map(function (e) {
    var st = data.styles[e.kind];
    var attrs = { d: e.d, fill: "none", stroke: st.color, "stroke-opacity": e.opacity,
      "stroke-width": e.width, "class": "sg-tie sg-" + e.kind };
    if (st.dash) { attrs["stroke-dasharray"] = st.dash.join(","); }
    if (st.directed) { attrs["marker-end"] = "url(#sg-arrow-" + e.kind + ")"; }
    var path = el("path", attrs, layers.ties);
    var t = el("title", {}, path);
    t.textContent = nodes[e.s].label + " → " + nodes[e.t].label + ": " + st.label +
      " (strength " + e.strength + (e.count > 1 ? ", " + e.count + " ties" : "") + ")";
    return path;
  });

  // ---- nodes
  function shape(n, parent) {
    var fill = n.unknown ? "url(#sg-hatch)" : n.color;
    var stroke = n.dm ? "#000" : (n.unknown ? "#6b6b6b" : "#2b2b2b");
    var attrs = { fill: fill, stroke: stroke, "stroke-width": n.dm ? 3 : 1.1, "class": "sg-shape" };
    if (n.unknown) { attrs["stroke-dasharray"] = "3,2"; }
    if (!n.vertices) {
      attrs.cx = n.x; attrs.cy = n.y; attrs.r = n.r;
      return el("circle", attrs, parent);
    }
    var pts = [];
    for (var k = 0; k < n.vertices; k++) {
      var a = n.rotation + Math.PI / 2 + 2 * Math.PI * k / n.vertices;
      pts.push((n.x + n.r * Math.cos(a)).toFixed(1) + "," + (n.y - n.r * Math.sin(a)).toFixed(1));
    }
    attrs.points = pts.join(" ");
    return el("polygon", attrs, parent);
  }
  var nodeEls = nodes.map(function (n) {
    var g = el("g", { "class": "sg-node", "data-id": n.id, tabindex: "0", role: "button",
      "aria-label": n.label + (n.sub ? ", " + n.sub : "") }, layers.nodes);
    shape(n, g);
    // the stance the informants' reports fuse to: a ring split by stance, clockwise from the top
    var start = 0, R = n.r + 4;
    (n.ring || []).forEach(function (seg) {
      if (seg.share >= 0.999) {
        el("circle", { cx: n.x, cy: n.y, r: R, fill: "none", stroke: seg.color, "stroke-width": 4,
          "class": "sg-ring", "data-stance": seg.stance }, g);
        return;
      }
      var a0 = 2 * Math.PI * start, a1 = 2 * Math.PI * (start + seg.share);
      var x0 = n.x + R * Math.sin(a0), y0 = n.y - R * Math.cos(a0);
      var x1 = n.x + R * Math.sin(a1), y1 = n.y - R * Math.cos(a1);
      el("path", { d: "M" + x0.toFixed(2) + "," + y0.toFixed(2) + " A" + R + "," + R + " 0 " +
        (seg.share > 0.5 ? 1 : 0) + " 1 " + x1.toFixed(2) + "," + y1.toFixed(2), fill: "none",
        stroke: seg.color, "stroke-width": 4, "class": "sg-ring", "data-stance": seg.stance }, g);
      start += seg.share;
    });
    (n.badges || []).forEach(function (b, k) {
      var spots = [[0.78, -0.78], [-0.78, -0.78], [0.78, 0.78], [-0.78, 0.78]];
      var bx = n.x + spots[k % 4][0] * n.r, by = n.y + spots[k % 4][1] * n.r;
      var bg = el("g", { "class": "sg-badge" }, g);
      el("circle", { cx: bx, cy: by, r: 6.5, fill: b.bg, stroke: "#fff", "stroke-width": 1 }, bg);
      var t = el("text", { x: bx, y: by + 2.5, "text-anchor": "middle", fill: b.fg }, bg);
      t.textContent = b.text;
    });
    g.addEventListener("mouseenter", function (ev) { showTip(n, ev); focusOn(n.index); });
    g.addEventListener("mousemove", function (ev) { moveTip(ev); });
    g.addEventListener("mouseleave", function () { hideTip(); focusOn(state.selected); });
    g.addEventListener("click", function (ev) { ev.stopPropagation(); select(n.index); });
    g.addEventListener("focus", function () { select(n.index); });
    return g;
  });
  var labelEls = nodes.map(function (n) {
    if (!n.labelAt) { return null; }
    var t = el("text", { x: n.labelAt[0], y: n.labelAt[1], "text-anchor": "middle", "class": "sg-label",
      "data-id": n.id }, layers.labels);
    var a = el("tspan", { "class": "sg-name", x: n.labelAt[0], dy: "0" }, t);
    a.textContent = n.labelName;
    (n.labelSub || []).forEach(function (line, k) {
      var s = el("tspan", { "class": "sg-title", x: n.labelAt[0], dy: k === 0 ? "1.25em" : "1.15em" }, t);
      s.textContent = line;
    });
    if (n.leader) {
      el("line", { x1: n.leader[0], y1: n.leader[1], x2: n.leader[2], y2: n.leader[3], stroke: "#9a9a9a",
        "stroke-width": 0.7, "class": "sg-leader", "data-id": n.id }, layers.labels);
    }
    return t;
  });

  // ---- details
  var FIELDS = [["title", "Title"], ["department", "Department"], ["org", "Side"], ["roles", "Roles"],
    ["stance", "Stance"], ["fused", "Informants say"], ["reason", "Reason"], ["support", "Support"], ["power", "Power"],
    ["relationship", "Relationship"], ["owner", "Owner"], ["last_contact", "Last contact"],
    ["members", "People"], ["needs", "Needs"], ["interests", "Interests"], ["notes", "Notes"]];
  function rows(n, long) {
    var d = n.details || {};
    var out = "";
    FIELDS.forEach(function (f) {
      var v = d[f[0]];
      if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) { return; }
      if (!long && (f[0] === "needs" || f[0] === "interests" || f[0] === "notes" || f[0] === "title")) { return; }
      if (Array.isArray(v)) { v = v.map(function (x) { return String(x).replace(/_/g, " "); }).join(", "); }
      out += "<dt>" + f[1] + "</dt><dd>" + esc(v) + "</dd>";
    });
    return "<dl>" + out + "</dl>";
  }
  function showTip(n, ev) {
    tooltip.innerHTML = "<b>" + esc(n.label) + "</b>" + (n.sub ? "<div class=\"sg-sub\">" + esc(n.sub) + "</div>" : "") +
      rows(n, false);
    tooltip.style.display = "block";
    moveTip(ev);
  }
  function moveTip(ev) {
    var box = svg.parentNode.getBoundingClientRect();
    var x = ev.clientX - box.left + 14, y = ev.clientY - box.top + 14;
    if (x + 330 > box.width) { x = Math.max(4, x - 350); }
    if (y + tooltip.offsetHeight > box.height) { y = Math.max(4, box.height - tooltip.offsetHeight - 4); }
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  function hideTip() { tooltip.style.display = "none"; }
  function select(i) {
    state.selected = (i === null || i === undefined) ? null : i;
    nodeEls.forEach(function (g, k) { g.classList.toggle("sg-selected", k === state.selected); });
    if (state.selected === null) {
      details.innerHTML = "<p class=\"sg-empty\">Hover over a person for details; click to keep them here.</p>";
    } else {
      var n = nodes[state.selected];
      var ties = data.edges.filter(function (e) { return e.s === n.index || e.t === n.index; }).map(function (e) {
        var other = nodes[e.s === n.index ? e.t : e.s];
        var phrase = data.styles[e.kind].phrase[e.s === n.index ? 0 : 1];
        var likely = (e.probability !== undefined && e.probability < 1) ? " (" + Math.round(e.probability * 100) + "% likely)" : "";
        return "<li>" + esc(phrase) + " " + esc(other.label) + esc(likely) + "</li>";
      });
      details.innerHTML = "<h3>" + esc(n.label) + "</h3>" + (n.sub ? "<div class=\"sg-sub\">" + esc(n.sub) + "</div>" : "") +
        rows(n, true) + (ties.length ? "<h2>Ties</h2><ul>" + ties.join("") + "</ul>" : "");
    }
    focusOn(state.selected);
  }
  function focusOn(i) {
    nodeEls.forEach(function (g, k) {
      g.classList.toggle("sg-dim", i !== null && i !== undefined && k !== i && !neighbours[i][k]);
    });
    tieEls.forEach(function (p, k) {
      var e = data.edges[k];
      p.classList.toggle("sg-dim", i !== null && i !== undefined && e.s !== i && e.t !== i);
    });
  }
  svg.addEventListener("click", function () { select(null); });

  // ---- filters
  function visibleNode(n) { return state.stances[n.stanceKey] !== false; }
  function apply() {
    var q = state.query.toLowerCase();
    nodes.forEach(function (n, k) {
      var show = visibleNode(n);
      nodeEls[k].classList.toggle("sg-hidden", !show);
      if (labelEls[k]) { labelEls[k].classList.toggle("sg-hidden", !show); }
      var match = q && (n.label + " " + (n.sub || "")).toLowerCase().indexOf(q) >= 0;
      nodeEls[k].classList.toggle("sg-match", !!match);
    });
    Array.prototype.forEach.call(layers.labels.querySelectorAll(".sg-leader"), function (l) {
      l.classList.toggle("sg-hidden", !visibleNode(byId[l.getAttribute("data-id")]));
    });
    data.edges.forEach(function (e, k) {
      var show = state.kinds[e.kind] !== false && visibleNode(nodes[e.s]) && visibleNode(nodes[e.t]);
      tieEls[k].classList.toggle("sg-hidden", !show);
    });
    layers.highlight.classList.toggle("sg-hidden", !state.highlight);
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-kind]"), function (box) {
    box.addEventListener("change", function () { state.kinds[box.getAttribute("data-kind")] = box.checked; apply(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-layer]"), function (box) {
    box.addEventListener("change", function () {
      var formal = box.getAttribute("data-layer") === "formal";
      Object.keys(data.styles).forEach(function (kind) {
        if (data.styles[kind].formal === formal) {
          state.kinds[kind] = box.checked;
          var kb = document.querySelector("input[data-kind=\"" + kind + "\"]");
          if (kb) { kb.checked = box.checked; }
        }
      });
      apply();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-stance]"), function (box) {
    box.addEventListener("change", function () { state.stances[box.getAttribute("data-stance")] = box.checked; apply(); });
  });
  var hlBox = document.getElementById("sg-show-highlight");
  if (hlBox) { hlBox.addEventListener("change", function () { state.highlight = hlBox.checked; apply(); }); }
  var search = document.getElementById("sg-search");
  search.addEventListener("input", function () { state.query = search.value.trim(); apply(); });

  // ---- zoom and pan
  function render() {
    viewport.setAttribute("transform", "translate(" + state.x + "," + state.y + ") scale(" + state.k + ")");
  }
  function toUser(cx, cy) {
    var pt = svg.createSVGPoint();
    pt.x = cx; pt.y = cy;
    var m = svg.getScreenCTM();
    return m ? pt.matrixTransform(m.inverse()) : pt;
  }
  function zoomAt(factor, ux, uy) {
    var k = Math.min(12, Math.max(0.3, state.k * factor));
    factor = k / state.k;
    state.x = ux - (ux - state.x) * factor;
    state.y = uy - (uy - state.y) * factor;
    state.k = k;
    render();
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = toUser(ev.clientX, ev.clientY);
    zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.target.closest && ev.target.closest(".sg-node")) { return; }
    drag = { p: toUser(ev.clientX, ev.clientY), x: state.x, y: state.y, moved: false };
    svg.classList.add("sg-dragging");
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var p = toUser(ev.clientX, ev.clientY);
    state.x = drag.x + (p.x - drag.p.x);
    state.y = drag.y + (p.y - drag.p.y);
    drag.moved = true;
    render();
  });
  window.addEventListener("pointerup", function () { drag = null; svg.classList.remove("sg-dragging"); });
  function centre() { return { x: data.width / 2, y: data.height / 2 }; }
  document.getElementById("sg-zoom-in").addEventListener("click", function () { var c = centre(); zoomAt(1.3, c.x, c.y); });
  document.getElementById("sg-zoom-out").addEventListener("click", function () { var c = centre(); zoomAt(1 / 1.3, c.x, c.y); });
  document.getElementById("sg-zoom-reset").addEventListener("click", function () {
    state.k = 1; state.x = 0; state.y = 0; render();
  });

  render();
  apply();
  select(null);
  document.body.setAttribute("data-ready", "true");
})();
