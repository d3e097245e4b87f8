/* The controls of a graph drawn by graph.js: mouse and keyboard on the canvas, the
 * details panel, the tool bar, downloads, and adding a centre from Explore's search box.
 * Then it draws every [data-graph] section of the page.
 */
(function () {
  "use strict";

  var G = window.gcxGraph;
  var View = G.View;
  var text = G.text, button = G.button;

  View.prototype.wire = function () {
    var self = this, net = this.network, c = this.container;
    net.on("click", function (p) {
      if (p.nodes.length === 1 && self.pickFrom && self.pickFrom !== p.nodes[0]) {
        var from = self.pickFrom;
        self.pickFrom = null;
        self.showPath(from, p.nodes[0]);
        self.showPanel(p.nodes[0]);
      } else if (p.nodes.length === 1) {
        self.pick(p.nodes[0]);
      } else if (p.nodes.length === 2) {
        self.refreshTools();
        self.say("two nodes selected: “Path between the two selected” shows how they connect.");
      } else if (!p.edges.length) {
        self.dismiss();
        if (self.state.focus || self.state.path.length) {
          self.change(function (s) { s.focus = ""; s.path = []; });
        }
      }
      self.version++;
      net.redraw();
    });
    net.on("doubleClick", function (p) { if (p.nodes.length) { self.expand(p.nodes[0]); } });
    net.on("hoverNode", function (p) { self.hover = p.node; net.redraw(); });
    net.on("blurNode", function () { self.hover = null; net.redraw(); });
    net.on("hoverEdge", function (p) { self.hoverEdge = p.edge; net.redraw(); });
    net.on("blurEdge", function () { self.hoverEdge = null; net.redraw(); });
    c.setAttribute("tabindex", "0");
    c.addEventListener("keydown", function (ev) { self.key(ev); });
    this.tools();
  };

  /* Keyboard: arrows move the selection through the visible nodes (in the table's order),
   * Enter opens the details, + and - zoom, 0 fits, Escape clears. */
  View.prototype.key = function (ev) {
    var self = this, net = this.network;
    var order = this.nodes.getIds({ filter: function (n) { return !n.hidden; } });
    var sel = net.getSelectedNodes()[0];
    var i = order.indexOf(sel);
    var next = null;
    if (ev.key === "ArrowRight" || ev.key === "ArrowDown") { next = order[(i + 1) % order.length]; }
    else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") {
      next = order[(i <= 0 ? order.length : i) - 1];
    } else if ((ev.key === "Enter" || ev.key === " ") && sel) {
      this.pick(sel);
    } else if (ev.key === "Escape") {
      net.unselectAll(); this.ui.panel.hidden = true;
      this.change(function (s) { s.focus = ""; s.path = []; });
    } else if (ev.key === "+" || ev.key === "=") { net.moveTo({ scale: net.getScale() * 1.25 }); }
    else if (ev.key === "-") { net.moveTo({ scale: net.getScale() / 1.25 }); }
    else if (ev.key === "0") { net.fit(); }
    else { return; }
    ev.preventDefault();
    if (next) {
      net.selectNodes([next]);
      var p = net.getPositions([next])[next], dom = net.canvasToDOM(p);
      if (dom.x < 0 || dom.y < 0 || dom.x > this.container.clientWidth ||
          dom.y > this.container.clientHeight) { net.moveTo({ position: p }); }
      var n = this.known[next];
      this.container.setAttribute("aria-activedescendant", "");
      this.ui.status.textContent = "Selected " + n.name + " (" + G.kindName(n.kind) +
        "): Enter for details, arrows for the next node.";
      this.version++;
      net.redraw();
    }
  };

  /* A click or Enter on a node: its details at once, its neighbourhood lit just after the
   * panel is painted (dimming all other nodes re-reads each of them in vis-network, a
   * tenth of a second on the whole graph: the panel need not wait for it). */
  View.prototype.pick = function (id) {
    var self = this;
    this.showPanel(id, true);
    if (this.state.focus === id) { this.picked = null; return; }
    var pick = this.picked = { id: id, hops: this.state.hops };
    if (!this.network) {            // the first picture: lit when vis-network takes over
      if (this.first) { this.first.select(id); }
      return;
    }
    window.requestAnimationFrame(function () {
      setTimeout(function () { if (self.picked === pick) { self.settlePick(); } }, 0);
    });
  };

  /* A click away from the nodes: no node picked, the details closed. */
  View.prototype.dismiss = function () {
    this.picked = null;
    this.ui.panel.hidden = true;
    this.unselect();
  };

  /* Light the picked node's neighbourhood now: when it is due, or before any other change
   * (apply calls this), so the history keeps the order of the user's actions. */
  View.prototype.settlePick = function () {
    var pick = this.picked;
    this.picked = null;
    if (pick && this.state.focus !== pick.id && this.known[pick.id]) {
      this.focus(pick.id, pick.hops);
    }
  };

  /* The details of a node; ``focusing``: its neighbourhood is (being) lit, so the step
   * buttons show the current number of steps pressed. */
  View.prototype.showPanel = function (id, focusing) {
    var self = this, n = this.known[id], panel = this.ui.panel;
    if (!n) { return; }
    panel.replaceChildren();
    var close = button("×", function () { panel.hidden = true; self.unselect(); self.container.focus(); });
    close.className = "panel-close";
    close.setAttribute("aria-label", "Close the details");
    panel.appendChild(close);
    panel.appendChild(text("p", G.kindName(n.kind) + (n.catalyst ? " · catalyst" : ""), "panel-kind"));
    panel.appendChild(text("h3", n.name, "panel-name"));
    String(n.title).split("\n").slice(1).forEach(function (line) {
      panel.appendChild(text("p", line, "panel-line"));
    });
    var link = text("a", "Open its page", "button");
    link.href = n.url || "#";
    panel.appendChild(link);
    var acts = document.createElement("div");
    acts.className = "panel-actions";
    acts.appendChild(button("Expand all", function () { self.expand(id); }, "expand"));
    acts.appendChild(button("Collapse", function () { self.collapse(id); }, "collapse"));
    acts.appendChild(button("Hide", function () { self.hide(id); }, "hide"));
    panel.appendChild(acts);
    var focus = document.createElement("div");
    focus.className = "panel-actions";
    focus.appendChild(text("span", "Neighbourhood: ", "muted"));
    [[1, "1 step"], [2, "2 steps"]].forEach(function (h) {
      var b = button(h[1], function () {
        self.focus(id, h[0]);
        focus.querySelectorAll("[data-action^=focus-]").forEach(function (x) {
          x.setAttribute("aria-pressed", x === b ? "true" : "false");
        });
      }, "focus-" + h[0]);
      var lit = focusing || self.state.focus === id;
      b.setAttribute("aria-pressed", lit && self.state.hops === h[0] ? "true" : "false");
      focus.appendChild(b);
    });
    focus.appendChild(button("Path from here…", function () {
      self.pickFrom = id;
      self.say("now click the node to find a path to from " + n.name + ".");
    }, "path-from"));
    panel.appendChild(focus);
    var byType = document.createElement("div");
    byType.className = "panel-actions";
    byType.setAttribute("data-role", "expand-types");
    panel.appendChild(byType);
    panel.hidden = false;
    panel.setAttribute("data-node-id", id);
    this.neighbourhood(id).then(function (sub) {
      if (panel.getAttribute("data-node-id") !== id) { return; }
      var counts = {}, words = {};
      sub.edges.forEach(function (e) {
        var other = e.from === id ? e.to : e.to === id ? e.from : null;
        if (other && !(self.shown && self.shown[other])) {
          counts[e.type] = (counts[e.type] || 0) + 1;
          words[e.type] = G.phrase(e);
        }
      });
      var types = Object.keys(counts).sort();
      if (!types.length) { byType.appendChild(text("span", "Every neighbour is shown.", "muted")); return; }
      byType.appendChild(text("span", "Expand by relationship: ", "muted"));
      types.forEach(function (t) {
        byType.appendChild(button(words[t] + " (" + counts[t] + ")",
                                  function () { self.expand(id, t); }, "expand-" + t));
      });
    }).catch(function () { /* the buttons above still work */ });
  };

  View.prototype.exportView = function () {
    var nodes = this.nodes.get({ filter: function (n) { return !n.hidden; } });
    var edges = this.edges.get({ filter: function (e) { return !e.hidden; } });
    return { nodes: nodes, edges: edges, network: this.network, items: this.labelItems(true) };
  };

  View.prototype.tools = function () {
    var self = this, s = this.section;
    function on(action, fn) {
      s.querySelectorAll('[data-action="' + action + '"]').forEach(function (el) {
        el.addEventListener(el.tagName === "SELECT" ? "change" : "click", fn);
      });
    }
    on("fit", function () { self.network.fit(); });
    on("undo", function () { self.undo(); });
    on("relayout", function () { self.relayout(true); });
    on("reset", function () {
      self.apply({ hide: [], exp: [], gone: [], focus: "", hops: 1, path: [], size: "", layout: "" },
                 { message: "back to the first view." });
    });
    on("size", function (ev) {
      var v = ev.target.value === "degree" ? "degree" : "";
      self.change(function (st) { st.size = v; });
    });
    on("path", function () {
      var sel = self.network.getSelectedNodes();
      if (sel.length === 2) { self.showPath(sel[0], sel[1]); }
    });
    on("png", function () {
      window.gcxExport.downloadPng(self.exportView(), "grand-challenges-graph", function (w, h) {
        self.container.setAttribute("data-png", w + "x" + h);
      });
    });
    on("svg", function () {
      var out = window.gcxExport.downloadSvg(self.exportView(), "grand-challenges-graph");
      self.container.setAttribute("data-svg", out.width + "x" + out.height);
    });
  };

  /* Explore's search box: a new centre and its neighbourhood join the picture in place. */
  View.prototype.addCenter = function (id) {
    var self = this;
    if (!this.network) { return this.ready.then(function () { return self.addCenter(id); }); }
    if (this.centers[id] && this.shown && this.shown[id]) { return Promise.resolve(); }
    var args = this.data.args || {};
    var p = new URLSearchParams();
    p.append("center", id);
    p.append("depth", String(args.depth || 1));
    if (args.kinds) { p.append("kinds", args.kinds); }
    p.append("inferred", String(args.inferred === 0 ? 0 : 1));
    return fetch("/api/subgraph?" + p.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (sub) {
        var ids = Object.keys(self.shown || {});
        var pos = self.network.getPositions(ids);
        var right = -Infinity, top = Infinity, left = Infinity;
        ids.forEach(function (k) {
          right = Math.max(right, pos[k].x); left = Math.min(left, pos[k].x);
          top = Math.min(top, pos[k].y);
        });
        var sx = Infinity, sy = Infinity;
        sub.nodes.forEach(function (n) { sx = Math.min(sx, n.x); sy = Math.min(sy, n.y); });
        var dx = ids.length ? right + 260 - sx : 0, dy = ids.length ? top - sy : 0;
        var fresh = [];
        sub.nodes.forEach(function (n) {
          if (self.known[n.id]) { self.base[n.id] = true; return; }
          var copy = Object.assign({}, n, { x: n.x + dx, y: n.y + dy });
          self.remember(copy, "base");
          self.nodes.add(self.visNode(copy));
          fresh.push(copy);
        });
        var newEdges = sub.edges.filter(function (e) { return !self.knownEdges[e.id] && self.known[e.from] && self.known[e.to]; });
        newEdges.forEach(function (e) { self.knownEdges[e.id] = e; self.edges.add(self.visEdge(e)); });
        self.addRows(fresh, newEdges);
        self.centers[id] = true;
        self.known[id].center = true;
        self.nodes.update({ id: id, borderWidth: 3, color: Object.assign({}, self.known[id].color, { border: "#263238" }) });
        (self.data.centers = self.data.centers || []).push(id);
        if (self.data.legend) { self.learnLegend(sub.legend); } else { self.data.legend = sub.legend; }
        if (self.own) {
          var q = new URLSearchParams(window.location.search);
          if (q.getAll("center").indexOf(id) < 0) { q.append("center", id); }
          q.delete("add");
          window.history.replaceState(window.history.state, "",
            window.location.pathname + "?" + q.toString() + window.location.hash);
        }
        return self.apply(self.state, { record: false,
          message: "added " + self.known[id].name + " and " + G.plural(fresh.length, "new node", "new nodes") + "." });
      }).then(function () { self.network.fit(); });
  };

  G.sectionView = function (section) {
    var c = section && section.querySelector('[data-role="canvas"]');
    return c ? c.gcxView : null;
  };

  document.querySelectorAll("[data-graph]").forEach(G.setup);
})();
