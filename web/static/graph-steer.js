/* Steering a graph drawn by graph.js: state changes, expansion, the panel, the legend,
 * the tools and the keyboard. Every change goes through View.apply(state), which brings
 * the picture, the table twin, the legend, the status line and the #fragment in line
 * with the state; undo re-applies the state before.
 */
(function () {
  "use strict";

  var G = window.gcxGraph;
  var View = G.View;
  var text = G.text, button = G.button;

  var DIMMED = { color: "#dde3e8" };   // an edge outside the lit neighbourhood or path

  function has(list, v) { return list.indexOf(v) >= 0; }

  View.prototype.legendKey = function (n) {
    if (n.kind === "Theme") { return "theme:" + n.id; }
    if (n.kind === "Challenge") { return "theme:" + (n.theme || "none"); }
    return "kind:" + n.kind;
  };

  // -- fetching neighbourhoods ------------------------------------------------------------
  View.prototype.neighbourhood = function (id) {
    var self = this;
    if (this.fetched[id]) { return Promise.resolve(this.fetched[id]); }
    var args = this.data.args || {};
    var params = new URLSearchParams();
    params.append("center", id);
    params.append("depth", "1");
    if (args.kinds) { params.append("kinds", args.kinds); }
    params.append("inferred", String(args.inferred === 0 ? 0 : 1));
    params.append("cap", String(G.EXPAND_CAP + 1));
    return fetch("/api/subgraph?" + params.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (sub) { self.fetched[id] = sub; self.learnLegend(sub.legend); return sub; });
  };

  /* A payload's legend lists the kinds and themes in its view only: keep those an
   * expansion brings (kinds in the server's order). */
  View.prototype.learnLegend = function (legend) {
    var mine = this.data.legend;
    if (!legend || !mine) { return; }
    var seen = {};
    mine.themes.forEach(function (t) { seen[t.id] = true; });
    legend.themes.forEach(function (t) { if (!seen[t.id]) { seen[t.id] = true; mine.themes.push(t); } });
    var kinds = {};
    mine.kinds.forEach(function (k) { kinds[k.kind] = true; });
    legend.kinds.forEach(function (k) { if (!kinds[k.kind]) { kinds[k.kind] = true; mine.kinds.push(k); } });
    mine.kinds.sort(function (a, b) { return G.KIND_ORDER.indexOf(a.kind) - G.KIND_ORDER.indexOf(b.kind); });
  };

  /* The node ids an expansion ("ID" or "ID~TYPE") adds, placing the new ones in free space. */
  View.prototype.expansion = function (key) {
    var self = this;
    var cut = key.indexOf("~");
    var id = cut < 0 ? key : key.slice(0, cut);
    var type = cut < 0 ? "" : key.slice(cut + 1);
    if (!this.known[id]) { return Promise.resolve({ id: id, ids: [], truncated: false }); }
    return this.neighbourhood(id).then(function (sub) {
      var linked = {};
      sub.edges.forEach(function (e) {
        if (type && e.type !== type) { return; }
        if (e.from === id) { linked[e.to] = true; }
        if (e.to === id) { linked[e.from] = true; }
      });
      var fresh = sub.nodes.filter(function (n) { return linked[n.id] && !self.known[n.id]; });
      var room = Math.max(0, G.MAX_TOTAL - Object.keys(self.known).length);
      fresh = fresh.slice(0, room);
      var anchor = self.network.getPositions([id])[id] || { x: self.known[id].x, y: self.known[id].y };
      var others = [];
      Object.keys(self.known).forEach(function (k) {
        var vn = self.nodes.get(k);
        if (k !== id && vn && !vn.hidden) {
          var p = self.network.getPositions([k])[k] || self.known[k];
          others.push({ x: p.x, y: p.y });
        }
      });
      var spots = window.gcxPlace.free(anchor, others, fresh.length);
      fresh.forEach(function (n, i) {
        var copy = Object.assign({}, n, { x: spots[i].x, y: spots[i].y, center: false });
        self.remember(copy, key);
        self.nodes.add(self.visNode(copy));
      });
      var ids = Object.keys(linked).filter(function (k) { return self.known[k]; });
      var added = [];
      sub.edges.forEach(function (e) {
        if (!self.knownEdges[e.id] && self.known[e.from] && self.known[e.to]) {
          self.knownEdges[e.id] = e;
          self.edges.add(self.visEdge(e));
          added.push(e);
        }
      });
      self.addRows(fresh, added);
      return { id: id, ids: ids, truncated: !!sub.truncated, added: fresh.length };
    });
  };

  // -- applying a state ---------------------------------------------------------------------
  View.prototype.apply = function (next, opts) {
    var self = this;
    if (this.picked) { this.settlePick(); }   // a node clicked just before comes first
    opts = opts || {};
    if (opts.record !== false) { this.history.push(G.copyState(this.state)); }
    this.state = G.copyState(next);
    var chain = Promise.resolve([]);
    var results = [];
    this.state.exp.forEach(function (key) {
      chain = chain.then(function () {
        return self.expansion(key).then(function (r) { results.push(r); });
      });
    });
    return chain.then(function () { self.sync(results, opts.message); })
      .catch(function (err) { self.say("could not load the neighbours (" + err.message + ")."); });
  };

  View.prototype.sync = function (results, message) {
    var self = this, s = this.state;
    var active = Object.assign({}, this.base);
    // an expansion counts while the node it grew from is in the picture
    results.forEach(function (r) {
      if (active[r.id]) { r.ids.forEach(function (k) { active[k] = true; }); }
    });
    s.gone.forEach(function (k) { if (!self.centers[k]) { delete active[k]; } });
    var shown = {};
    Object.keys(active).forEach(function (k) {
      var n = self.known[k];
      if (n && (self.centers[k] || !has(s.hide, self.legendKey(n)))) { shown[k] = true; }
    });
    var visibleEdges = [];
    this.edges.forEach(function (e) { if (shown[e.from] && shown[e.to]) { visibleEdges.push(e); } });
    var lit = this.lit(s, visibleEdges, shown);
    var degree = {};
    visibleEdges.forEach(function (e) {
      degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1;
    });
    // Only what changes goes to vis-network: an update re-reads every option of the item,
    // and on a first load (nothing hidden or dimmed) nothing changes.
    var nodeUpdates = [];
    this.nodes.forEach(function (n) {
      var size = s.size === "degree" ? 8 + 5 * Math.sqrt(degree[n.id] || 0) : n.baseSize;
      var hidden = !shown[n.id], opacity = lit && !lit.nodes[n.id] ? G.DIM : 1;
      if (n.hidden !== hidden || n.size !== size || n.opacity !== opacity) {
        nodeUpdates.push({ id: n.id, hidden: hidden, size: size, opacity: opacity });
      }
    });
    if (nodeUpdates.length) { this.nodes.update(nodeUpdates); }
    var edgeUpdates = [];
    this.edges.forEach(function (e) {
      var hidden = !(shown[e.from] && shown[e.to]);
      var color = lit && !lit.edges[e.id] ? DIMMED : e.baseColor;
      var width = lit && lit.edges[e.id] ? 2.5 : (e.dashes ? 1 : 1.6);
      if (e.hidden !== hidden || e.width !== width || !e.color || !color ||
          e.color.color !== color.color) {
        edgeUpdates.push({ id: e.id, hidden: hidden, color: color, width: width });
      }
    });
    if (edgeUpdates.length) { this.edges.update(edgeUpdates); }
    this.shown = shown;
    this.version = (this.version || 0) + 1;
    this.rows(shown);
    this.drawLegend(active);
    this.writeUrl();
    this.refreshTools();
    this.markDrawn();
    this.container.setAttribute("data-edge-count", String(visibleEdges.length));
    this.container.setAttribute("data-state", G.stateHash(s));
    this.say(message || this.pathMessage || "");
    this.network.redraw();
  };

  /* What a focus or a path leaves lit: null when nothing is dimmed. */
  View.prototype.lit = function (s, visibleEdges, shown) {
    this.pathMessage = "";
    var nodes = null;
    if (s.path.length === 2 && shown[s.path[0]] && shown[s.path[1]]) {
      var found = window.gcxPlace.path(visibleEdges, s.path[0], s.path[1]);
      var a = this.known[s.path[0]].name, b = this.known[s.path[1]].name;
      if (!found) {
        this.pathMessage = "no path between " + a + " and " + b + " in this view; expand or " +
                           "show more kinds to find one.";
        return null;
      }
      this.pathMessage = "a shortest path from " + a + " to " + b + ": " +
        G.plural(found.length - 1, "step", "steps") + ".";
      nodes = {};
      found.forEach(function (k) { nodes[k] = true; });
      var edges = {};
      visibleEdges.forEach(function (e) {
        var i = found.indexOf(e.from), j = found.indexOf(e.to);
        if (i >= 0 && j >= 0 && Math.abs(i - j) === 1) { edges[e.id] = true; }
      });
      return { nodes: nodes, edges: edges };
    }
    if (s.focus && shown[s.focus]) {
      var near = window.gcxPlace.within(visibleEdges, s.focus, s.hops);
      var lit = { nodes: {}, edges: {} };
      Object.keys(near).forEach(function (k) { lit.nodes[k] = true; });
      visibleEdges.forEach(function (e) {
        if (lit.nodes[e.from] && lit.nodes[e.to]) { lit.edges[e.id] = true; }
      });
      return lit;
    }
    return null;
  };

  View.prototype.writeUrl = function () {
    if (!this.own) { return; }
    var url = window.location.pathname + window.location.search + G.stateHash(this.state);
    if (url === window.location.pathname + window.location.search + window.location.hash) {
      return;   // replaceState is not free, and a first load changes nothing
    }
    window.history.replaceState(window.history.state, "", url);
  };

  View.prototype.say = function (extra) {
    var shown = Object.keys(this.shown || {}).length;
    var edges = this.edges.get({ filter: function (e) { return !e.hidden; } }).length;
    var line = G.plural(shown, "node", "nodes") + " and " +
      G.plural(edges, "relationship", "relationships");
    if (this.data.truncated && !extra) {
      extra = "showing " + this.data.shown + " of " + this.data.total + " nodes; narrow the " +
              "filters (fewer centres, less depth, fewer kinds) to see the rest";
    }
    this.ui.status.textContent = line + (extra ? ": " + extra : ".");
  };

  View.prototype.change = function (edit, message) {
    if (this.picked) { this.settlePick(); }   // the edit applies to the state after it
    var next = G.copyState(this.state);
    edit(next);
    return this.apply(next, { message: message });
  };

  View.prototype.undo = function () {
    if (this.picked) { this.settlePick(); }
    if (!this.history.length) { this.say("nothing to undo."); return Promise.resolve(); }
    return this.apply(this.history.pop(), { record: false, message: "undone." });
  };

  // -- actions -------------------------------------------------------------------------------
  View.prototype.expand = function (id, type) {
    var self = this;
    if (Object.keys(this.known).length >= G.MAX_TOTAL) {
      this.say("the picture holds " + G.MAX_TOTAL + " nodes already; open a narrower view in Explore.");
      return Promise.resolve();
    }
    var key = type ? id + "~" + type : id;
    var before = Object.keys(this.shown || {}).length;
    return this.neighbourhood(id).then(function (sub) {
      var near = {};
      sub.nodes.forEach(function (n) { near[n.id] = true; });
      return self.change(function (s) {
        if (!has(s.exp, key)) { s.exp.push(key); }
        // neighbours hidden one by one come back when their node is expanded
        s.gone = s.gone.filter(function (k) { return !near[k]; });
      });
    }).then(function () {
      var added = Object.keys(self.shown).length - before;
      var name = self.known[id].name;
      self.say(added > 0 ? "added " + G.plural(added, "neighbour", "neighbours") + " of " + name +
               (self.fetched[id].truncated ? " (capped; open it in Explore for all)" : "") + "."
               : name + " has no other neighbours to show here.");
    }).catch(function (err) { self.say("could not expand (" + err.message + ")."); });
  };

  View.prototype.collapse = function (id) {
    var self = this;
    var visible = [];
    this.edges.forEach(function (e) { if (!e.hidden) { visible.push(e); } });
    var degree = {}, around = {};
    visible.forEach(function (e) {
      degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1;
      if (e.from === id) { around[e.to] = true; }
      if (e.to === id) { around[e.from] = true; }
    });
    var leaves = Object.keys(around).filter(function (k) {
      return degree[k] === 1 && !self.centers[k];
    });
    return this.change(function (s) {
      s.exp = s.exp.filter(function (k) { return k !== id && k.indexOf(id + "~") !== 0; });
      leaves.forEach(function (k) { if (!has(s.gone, k)) { s.gone.push(k); } });
    }, leaves.length ? "folded " + G.plural(leaves.length, "node", "nodes") + " into " +
       this.known[id].name + "." : this.known[id].name + " has no loose neighbours to fold.");
  };

  View.prototype.hide = function (id) {
    if (this.centers[id]) { this.say("a centre stays in its own picture."); return Promise.resolve(); }
    this.ui.panel.hidden = true;
    return this.change(function (s) {
      if (!has(s.gone, id)) { s.gone.push(id); }
      if (s.focus === id) { s.focus = ""; }
      s.path = s.path.filter(function (k) { return k !== id; }).length === 2 ? s.path : [];
    }, "hid " + this.known[id].name + ".");
  };

  View.prototype.focus = function (id, hops) {
    return this.change(function (s) { s.focus = id || ""; s.hops = hops === 2 ? 2 : 1; s.path = []; });
  };

  View.prototype.showPath = function (a, b) {
    return this.change(function (s) { s.path = [a, b]; s.focus = ""; });
  };

  View.prototype.toggleLegend = function (key) {
    return this.change(function (s) {
      s.hide = has(s.hide, key) ? s.hide.filter(function (k) { return k !== key; })
                                : s.hide.concat([key]);
    });
  };

  /* A compact layout: a short force simulation from the current positions, then still. */
  View.prototype.relayout = function (record) {
    var self = this;
    var net = this.network;
    net.setOptions({ physics: { enabled: true, solver: "forceAtlas2Based",
                                forceAtlas2Based: { gravitationalConstant: -60, springLength: 90,
                                                    avoidOverlap: 0.6 },
                                stabilization: { enabled: true, iterations: 250, fit: false } } });
    net.stabilize(250);
    return new Promise(function (resolve) {
      net.once("stabilizationIterationsDone", function () {
        net.setOptions({ physics: { enabled: false } });
        var pos = net.getPositions();
        Object.keys(pos).forEach(function (k) {
          if (self.known[k]) { self.known[k].x = pos[k].x; self.known[k].y = pos[k].y; }
        });
        net.fit({ animation: false });
        if (record !== false) {
          self.change(function (s) { s.layout = "compact"; }, "laid out again.").then(resolve);
        } else { self.version++; net.redraw(); resolve(); }
      });
    });
  };

  // -- legend, rows, tools ---------------------------------------------------------------
  View.prototype.drawLegend = function (active) {
    var self = this, box = this.ui.legend;
    if (!box) { return; }
    var counts = {}, first = {};
    Object.keys(active).forEach(function (k) {
      if (!self.known[k]) { return; }
      var key = self.legendKey(self.known[k]);
      counts[key] = (counts[key] || 0) + 1;
      if (!first[key]) { first[key] = self.known[k]; }
    });
    var legend = this.data.legend || { kinds: [], themes: [] };
    var entries = [];
    legend.themes.forEach(function (t) {
      entries.push({ key: "theme:" + t.id, label: t.name, colour: t.colour, shape: "dot" });
    });
    entries.push({ key: "theme:none", label: "Challenges with no theme", colour: "#5f6b7a", shape: "dot" });
    legend.kinds.forEach(function (k) {
      entries.push({ key: "kind:" + k.kind, label: G.kindPlural(k.kind), colour: k.colour, shape: k.shape });
    });
    box.replaceChildren(text("span", "Show or hide:", "legend-title"));
    // past G.LEGEND_THEMES_INLINE themes in view, they sit behind one disclosure (as in
    // the server's legend), which stays open across redraws once the user opens it
    function aTheme(en) { return en.key.indexOf("theme:") === 0 && en.key !== "theme:none"; }
    var themes = entries.filter(function (en) { return counts[en.key] && aTheme(en); }).length;
    var more = null;
    if (themes > G.LEGEND_THEMES_INLINE) {
      more = document.createElement("details");
      more.className = "legend-more";
      more.open = !!self.legendMoreOpen;
      more.addEventListener("toggle", function () { self.legendMoreOpen = more.open; });
      more.appendChild(text("summary", themes + " themes"));
      var items = more.appendChild(text("span", "", "legend-more-items"));
    }
    entries.forEach(function (en) {
      if (!counts[en.key]) { return; }
      var on = !has(self.state.hide, en.key);
      var b = button("", function () { self.toggleLegend(en.key); });
      b.className = "legend-item legend-toggle";
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.setAttribute("data-legend", en.key);
      b.appendChild(swatch(en.colour, en.shape));
      b.appendChild(document.createTextNode(" " + en.label + " "));
      b.appendChild(text("span", "(" + counts[en.key] + ")", "legend-count"));
      (more && aTheme(en) ? items : box).appendChild(b);
    });
    if (more) { box.appendChild(more); }
    box.appendChild(text("span", "Stars: catalysts · solid lines: stated · dashed: inferred · " +
                         "challenge size: partners addressing it", "legend-note"));
  };

  function swatch(colour, shape) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "12"); svg.setAttribute("height", "12");
    svg.setAttribute("viewBox", "0 0 14 14"); svg.setAttribute("aria-hidden", "true");
    var shapes = { diamond: "7,0.5 13.5,7 7,13.5 0.5,7", triangle: "7,0.8 13.5,12.8 0.5,12.8",
                   triangleDown: "0.5,1.2 13.5,1.2 7,13.2", square: "1.5,1.5 12.5,1.5 12.5,12.5 1.5,12.5",
                   hexagon: "3.5,1 10.5,1 13.8,7 10.5,13 3.5,13 0.2,7" };
    var el;
    if (shapes[shape]) {
      el = document.createElementNS(ns, "polygon"); el.setAttribute("points", shapes[shape]);
    } else {
      el = document.createElementNS(ns, "circle");
      el.setAttribute("cx", "7"); el.setAttribute("cy", "7"); el.setAttribute("r", "6");
    }
    el.setAttribute("fill", colour);
    svg.appendChild(el);
    return svg;
  }

  /* The table twin, built on first use: every node and relationship the picture knows,
   * nodes not in the picture hidden (as the picture's changes hide and show them). */
  View.prototype.table = function () {
    if (this.tabled) { return; }
    var self = this;
    this.tabled = true;
    this.addRows(Object.keys(this.known).map(function (k) { return self.known[k]; }),
                 Object.keys(this.knownEdges).map(function (k) { return self.knownEdges[k]; }));
    if (this.shown) { this.rows(this.shown); }
  };

  View.prototype.addRows = function (newNodes, newEdges) {
    var self = this;
    if (!this.tabled) { return; }   // table() adds them when the table is first opened
    newNodes.forEach(function (n) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", n.id);
      G.cell(tr, n.name, n.url);
      G.cell(tr, G.kindName(n.kind) + (n.catalyst ? " (catalyst)" : ""));
      G.cell(tr, n.summary);
      self.ui.nodeRows.appendChild(tr);
    });
    newEdges.forEach(function (e) {
      var tr = document.createElement("tr");
      var a = self.known[e.from], b = self.known[e.to];
      G.cell(tr, a.label, a.url);
      G.cell(tr, G.phrase(e));
      G.cell(tr, b.label, b.url);
      G.cell(tr, e.basis);
      self.ui.edgeRows.appendChild(tr);
    });
  };

  View.prototype.rows = function (shown) {
    this.ui.nodeRows.querySelectorAll("tr[data-id]").forEach(function (tr) {
      tr.hidden = !shown[tr.getAttribute("data-id")];
    });
  };

  View.prototype.refreshTools = function () {
    var undo = this.section.querySelector('[data-action="undo"]');
    if (undo) { undo.disabled = !this.history.length; }
    var size = this.section.querySelector('[data-action="size"]');
    if (size) { size.value = this.state.size || "kind"; }
    var path = this.section.querySelector('[data-action="path"]');
    if (path) { path.disabled = this.network.getSelectedNodes().length !== 2; }
  };

  window.gcxGraph.swatch = swatch;
})();
