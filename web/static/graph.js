/* Interactive graphs: draws every [data-graph] section with vis-network, and steers it.
 *
 * The data comes from the <script type="application/json"> block the server rendered
 * (never from inline code). Every label, tooltip and panel line is set as text
 * (textContent or a text-only element), never as HTML. Positions come from the server's
 * seeded layout and physics stays off, so the same URL always gives the same picture.
 *
 * Steering (no page load): the legend filters kinds and themes; selecting a node dims
 * all but its neighbourhood (1 or 2 steps); expand (all, or by relationship), collapse,
 * hide, undo, re-layout, fit; the path between two selected nodes; size by kind or by
 * connections. The first graph of a page keeps that state in the address's #fragment,
 * so a reload or a shared link shows the same view. Labels: graph-labels.js; geometry:
 * graph-place.js; SVG/PNG: graph-export.js.
 */
(function () {
  "use strict";

  // Each kind's words and every limit come from the server's one table
  // (graph.views.client_config), rendered once per page by base.html.
  var configEl = document.getElementById("gcx-config");
  var CONFIG = configEl ? JSON.parse(configEl.textContent) : { kinds: {}, limits: {} };
  var MAX_TOTAL = CONFIG.limits.subgraph_nodes;   // most nodes a picture may grow to
  var EXPAND_CAP = CONFIG.limits.expand_nodes;    // most nodes one expansion may add
  var LEGEND_THEMES_INLINE = CONFIG.legend_themes_inline;  // most themes a legend lists in line
  var KIND_RANK = { Theme: 6, Challenge: 5, Partner: 3, ProjectTeam: 4, FocusArea: 4 };
  var DIM = 0.15;
  var urlOwner = null;      // the section whose state lives in location.hash

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? "" : String(value);
    if (cls) { el.className = cls; }
    return el;
  }

  function button(label, onClick, action) {
    var b = text("button", label);
    b.type = "button";
    if (action) { b.setAttribute("data-action", action); }
    b.addEventListener("click", onClick);
    return b;
  }

  function kindName(kind) { return CONFIG.kinds[kind] ? CONFIG.kinds[kind].label : kind; }
  function kindPlural(kind) {
    var many = CONFIG.kinds[kind] ? CONFIG.kinds[kind].plural : kind;
    return many.charAt(0).toUpperCase() + many.slice(1);
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  // each edge's words (graph.views.kinds.REL_PHRASES) come with it, or from the config
  function phrase(e) {
    var words = (CONFIG.relationships || {})[e.type];
    return e.phrase || words || String(e.type).toLowerCase().replace(/_/g, " ");
  }

  function samePath(url) {
    // node URLs come from the server; accept only same-origin paths
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : "#";
  }

  function cell(row, value, url) {
    var td = document.createElement("td");
    if (url) {
      var a = text("a", value);
      a.href = samePath(url);
      td.appendChild(a);
    } else {
      td.textContent = value == null ? "" : String(value);
    }
    row.appendChild(td);
  }

  // -- the view's state, as kept in the #fragment ---------------------------------------
  function emptyState() {
    return { hide: [], exp: [], gone: [], focus: "", hops: 1, path: [], size: "", layout: "" };
  }

  function parseState(hash) {
    var p = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    var s = emptyState();
    s.hide = p.getAll("hide");
    s.exp = p.getAll("exp");
    s.gone = p.getAll("gone");
    s.focus = p.get("focus") || "";
    s.hops = p.get("hops") === "2" ? 2 : 1;
    s.path = p.getAll("path").slice(0, 2);
    s.size = p.get("size") === "degree" ? "degree" : "";
    s.layout = p.get("layout") === "compact" ? "compact" : "";
    return s;
  }

  function stateHash(s) {
    var p = new URLSearchParams();
    s.hide.forEach(function (v) { p.append("hide", v); });
    s.exp.forEach(function (v) { p.append("exp", v); });
    s.gone.forEach(function (v) { p.append("gone", v); });
    if (s.focus) { p.append("focus", s.focus); if (s.hops === 2) { p.append("hops", "2"); } }
    if (s.path.length === 2) { p.append("path", s.path[0]); p.append("path", s.path[1]); }
    if (s.size) { p.append("size", s.size); }
    if (s.layout) { p.append("layout", s.layout); }
    var out = p.toString();
    return out ? "#" + out : "";
  }

  function copyState(s) { return parseState(stateHash(s)); }

  /* vis-network is loaded once per page, after the first picture is on screen. Its URL
   * is on the graph scripts' own tag (graph_scripts). fetchVis() starts the download
   * (see whenReached for when), loadVis() runs it (and downloads it if not yet). */
  var VIS_URL = document.currentScript ? document.currentScript.getAttribute("data-vis") : null;
  var visFetching = false;
  function fetchVis() {
    if (visFetching || !VIS_URL || typeof vis !== "undefined") { return; }
    visFetching = true;
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = VIS_URL;
    document.head.appendChild(link);
  }
  var visLoading = null;
  function loadVis() {
    if (typeof vis !== "undefined") { return Promise.resolve(); }
    if (visLoading) { return visLoading; }
    visLoading = new Promise(function (resolve, reject) {
      if (!VIS_URL) { reject(new Error("no vis-network on this page")); return; }
      var script = document.createElement("script");
      script.src = VIS_URL;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("vis-network did not load")); };
      document.head.appendChild(script);
    });
    return visLoading;
  }

  /* Run ``fn`` once, after the next paint: when the user first clicks, touches, scrolls
   * the wheel or types in the section, or after a second of idle time, whichever comes
   * first. A click on the first picture has already opened the node's details
   * (graph-first.js), so after a click or touch the work waits a further 150 ms: the panel
   * and a quick second click (a path's second node, a test's check that the panel is
   * open) are answered before vis-network's half second of work. Not on pointer-over:
   * the click that usually follows would wait for that work.
   * ``early`` runs sooner: after the paint that follows the first interaction, or when
   * the page first idles after 300 ms. The download it starts is handed to the page by
   * its main thread, in pieces: started right after the first picture, it held a first
   * click back by 15 to 25 ms (the largest centred view, paired runs). */
  var REACH = ["pointerup", "touchend", "wheel", "keydown", "focusin"];
  var AFTER_CLICK_MS = 150;
  var EARLY_MS = 300;
  function afterPaint(fn, delay) {
    window.requestAnimationFrame(function () { setTimeout(fn, delay || 0); });
  }
  var whenIdle = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };
  function whenReached(section, fn, early) {
    var done = false;
    function go(ev) {
      if (done) { return; }
      done = true;
      REACH.forEach(function (t) { section.removeEventListener(t, go, true); });
      var clicked = ev && (ev.type === "pointerup" || ev.type === "touchend");
      afterPaint(early);
      afterPaint(fn, clicked ? AFTER_CLICK_MS : 0);
    }
    REACH.forEach(function (t) { section.addEventListener(t, go, { capture: true, passive: true }); });
    setTimeout(function () { whenIdle(early, { timeout: 500 }); }, EARLY_MS);
    setTimeout(function () { whenIdle(function () { go(null); }, { timeout: 1000 }); }, 1000);
  }

  function setup(section) {
    var dataEl = section.querySelector('script[data-role="data"]');
    var container = section.querySelector('[data-role="canvas"]');
    if (!dataEl || !container) { return; }
    var ui = {
      panel: section.querySelector('[data-role="panel"]'),
      status: section.querySelector('[data-role="status"]'),
      nodeRows: section.querySelector('[data-role="node-rows"]'),
      edgeRows: section.querySelector('[data-role="edge-rows"]'),
      legend: section.querySelector('[data-role="legend"]')
    };
    var data = JSON.parse(dataEl.textContent);
    var own = urlOwner === null && section.hasAttribute("data-url-state");
    if (own) { urlOwner = section; }
    var view = new View(section, container, ui, data, own);
    container.gcxView = view;
    var start = function () {
      loadVis().then(function () { setTimeout(function () { view.attach(); }, 0); }, function () {
        // the first picture stays, and a click on it still opens a node's details
        ui.status.textContent = ui.status.textContent.replace(/\s*$/, " ") +
          "The interactive picture could not load: click a node for its details, or reload " +
          "the page.";
      });
    };
    if (view.first) {
      whenReached(section, start, fetchVis);
    } else {
      start();
    }
    return view;
  }

  // -- one graph on the page --------------------------------------------------------------
  /* Its data, table and panel at once; the first picture (graph-first.js) when the view
   * starts from the default state; vis-network's picture and the tools in attach(). */
  function View(section, container, ui, data, own) {
    var self = this;
    this.section = section; this.container = container; this.ui = ui; this.data = data;
    this.own = own;
    this.known = {};        // id -> node (server data, with its position)
    this.knownEdges = {};   // id -> edge
    this.base = {};         // ids of the nodes the page came with
    this.centers = {};
    this.fetched = {};      // node id -> its neighbourhood from /api/subgraph
    this.history = [];
    this.state = emptyState();
    this.hover = null; this.hoverEdge = null; this.placed = []; this.placedKey = "";
    this.network = null; this.first = null;
    data.nodes.forEach(function (n) { self.remember(n, "base"); });
    data.edges.forEach(function (e) { self.knownEdges[e.id] = e; });
    (data.centers || []).forEach(function (c) { self.centers[c] = true; });
    this.ready = new Promise(function (resolve) { self.attached = resolve; });
    // The table twin is built when its <details> is first opened (graph-steer.js table):
    // a thousand rows for the whole graph cost more than drawing it. Rows that came with
    // the page (a console permalink's) are already there.
    this.tabled = ui.nodeRows.children.length > 0 || !data.nodes.length;
    this.startState = own ? parseState(window.location.hash) : emptyState();
    if (data.nodes.length && window.gcxFirst && stateHash(this.startState) === "" &&
        container.clientWidth > 0) {
      this.first = new window.gcxFirst.FirstFrame(this, container);
      container.setAttribute("data-node-count", String(data.nodes.length));
      container.setAttribute("data-shown", "1");
    }
  }

  /* vis-network takes over: it draws the same picture, then the first one is removed and
   * a node clicked meanwhile stays selected with its neighbourhood lit. */
  View.prototype.attach = function () {
    var self = this, container = this.container, data = this.data;
    if (this.network || !container.isConnected) { return; }   // (a console answer replaced)
    this.nodes = new vis.DataSet(data.nodes.map(function (n) { return self.visNode(n); }));
    this.edges = new vis.DataSet(data.edges.map(function (e) { return self.visEdge(e); }));
    // vis-network empties its container: the first picture is put back on top of it
    // until vis-network has drawn (no blank frame between the two pictures)
    this.network = new vis.Network(container, { nodes: this.nodes, edges: this.edges }, {
      autoResize: true,
      physics: false,
      layout: { improvedLayout: false },
      interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false,
                     multiselect: true },
      nodes: { font: { size: 0 } },
      edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
               font: { size: 0 } }
    });
    if (this.first) {
      container.appendChild(this.first.canvas);
      // the first picture's view exactly (vis-network's own fit differs by a fraction of
      // a pixel, enough to move a label at the edge)
      var cam = this.first.camera;
      this.network.moveTo({ position: cam.getViewPosition(), scale: cam.getScale() });
    }
    container.gcxNetwork = this.network;     // for tests and the console
    container.gcxNodes = this.nodes;
    var start = this.startState, picked = this.picked;
    if (picked && this.known[picked.id]) { this.network.selectNodes([picked.id]); }
    var details = this.section.querySelector('[data-role="table"]');
    if (details) {
      details.addEventListener("toggle", function () { if (details.open) { self.table(); } });
    }
    this.network.on("afterDrawing", function (ctx) { self.drawLabels(ctx); });
    this.network.once("afterDrawing", function () {
      if (self.first) { self.first.remove(); self.first = null; }   // (after a click on it ends)
      container.setAttribute("data-edge-count", String(self.edges.length));
      self.markDrawn();
    });
    this.wire();
    // a node clicked in the first picture: its neighbourhood is lit once the view is set
    this.picked = null;
    this.apply(start, { record: false }).then(function () {
      if (start.layout) { self.relayout(false); }
      if (details && details.open) { self.table(); }
      if (picked && !self.picked && self.known[picked.id] && !self.ui.panel.hidden &&
          self.ui.panel.getAttribute("data-node-id") === picked.id) {
        self.picked = picked;
        self.settlePick();
      }
      self.attached();
    });
  };

  /* Clear the selection, in whichever picture is drawn. */
  View.prototype.unselect = function () {
    if (this.network) { this.network.unselectAll(); }
    else if (this.first) { this.first.select(null); }
  };

  View.prototype.remember = function (n, origin) {
    if (this.known[n.id]) { return; }
    n.url = samePath(n.url);
    // whole graph units, as vis-network reports positions: both pictures then place the
    // labels from the same numbers
    if (typeof n.x === "number") { n.x = Math.round(n.x); }
    if (typeof n.y === "number") { n.y = Math.round(n.y); }
    this.known[n.id] = n;
    if (origin === "base") { this.base[n.id] = true; }
  };

  View.prototype.visNode = function (n) {
    var copy = Object.assign({}, n);
    delete copy.label;          // we draw the labels (graph-labels.js)
    delete copy.group;          // vis groups would repaint a node in their colour on update
    // vis-network 9 shows a string title as text (innerText), never as HTML
    copy.title = n.title == null ? "" : String(n.title);
    copy.fixed = false;
    copy.hidden = false;        // the values View.sync sets, so it sends only changes
    copy.opacity = 1;
    copy.baseSize = n.size;
    return copy;
  };

  View.prototype.sentence = function (e) {
    var a = this.known[e.from], b = this.known[e.to];
    var s = (a ? a.name : e.from) + " " + phrase(e) + " " + (b ? b.name : e.to);
    return s + (e.basis && e.basis !== "stated" ? " (inferred)" : "");
  };

  View.prototype.visEdge = function (e) {
    var copy = Object.assign({}, e);
    copy.title = this.sentence(e);
    copy.hidden = false;
    copy.baseColor = e.color;
    return copy;
  };

  View.prototype.markDrawn = function () {
    var visible = this.nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    this.container.setAttribute("data-node-count", String(visible));
    this.container.setAttribute("data-drawn", "1");
  };

  // -- labels ------------------------------------------------------------------------------
  View.prototype.labelItems = function (scaleless) {
    var self = this, degree = {}, selected = {};
    // vis-network's data sets once attached; the page's data for the first picture
    var nodes = this.network ? this.nodes : this.data.nodes;
    var edges = this.network ? this.edges : this.data.edges;
    edges.forEach(function (e) {
      if (e.hidden) { return; }
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
    });
    var chosen = this.network ? this.network.getSelectedNodes()
                              : this.first && this.first.selected ? [this.first.selected] : [];
    chosen.forEach(function (id) { selected[id] = true; });
    var items = [];
    nodes.forEach(function (n) {
      if (n.hidden || (n.opacity != null && n.opacity < 1 && !selected[n.id])) { return; }
      var p = (KIND_RANK[n.kind] || 1) * 1000 + (n.size || 10) * 10 + (degree[n.id] || 0);
      if (self.centers[n.id]) { p += 1e7; }
      if (selected[n.id] || n.id === self.state.focus) { p += 1e6; }
      if (!scaleless && n.id === self.hover) { p += 1e8; }
      items.push({
        id: n.id, label: self.known[n.id].label || n.name, size: n.size || 10, priority: p,
        bold: !!self.centers[n.id],
        full: !!self.centers[n.id] || (!scaleless && n.id === self.hover),
        force: !!self.centers[n.id] || (!scaleless && n.id === self.hover)
      });
    });
    return items;
  };

  View.prototype.labelPx = function () { return this.container.clientWidth < 500 ? 11 : 12; };

  View.prototype.drawLabels = function (ctx) {
    var at = this.network.getViewPosition();
    var key = this.network.getScale().toFixed(4) + "|" + at.x.toFixed(1) + "," + at.y.toFixed(1) +
              "|" + this.version + "|" + this.hover + "|" +
              this.network.getSelectedNodes().join(",") + "|" + this.container.clientWidth;
    if (key !== this.placedKey) {
      var c = this.container;
      this.placed = window.gcxLabels.place(this.network, this.labelItems(false), this.labelPx(),
                                           { w: c.clientWidth, h: c.clientHeight });
      this.placedKey = key;
      this.container.gcxLabels = this.placed;
    }
    var emphasis = {};
    if (this.hover) { emphasis[this.hover] = true; }
    window.gcxLabels.draw(ctx, this.network, this.placed, emphasis);
    this.drawEdgeLabels(ctx);
  };

  View.prototype.drawEdgeLabels = function (ctx) {
    var self = this, ids = [];
    if (this.hoverEdge) { ids.push(this.hoverEdge); }
    var sel = this.network.getSelectedNodes();
    if (sel.length) {
      var around = this.network.getConnectedEdges(sel[0]).filter(function (id) {
        var e = self.edges.get(id); return e && !e.hidden;
      });
      if (around.length <= 12) { ids = ids.concat(around); }
    }
    this.network.getSelectedEdges().forEach(function (id) { ids.push(id); });
    var done = {};
    ids.forEach(function (id) {
      var e = self.edges.get(id);
      if (!e || e.hidden || done[id]) { return; }
      done[id] = true;
      var pos = self.network.getPositions([e.from, e.to]);
      if (pos[e.from] && pos[e.to]) {
        window.gcxLabels.drawEdgeLabel(ctx, self.network, pos[e.from], pos[e.to], phrase(e),
                                       self.labelPx() - 1);
      }
    });
  };

  window.gcxGraph = { setup: setup, parseState: parseState, stateHash: stateHash,
                      phrase: phrase, plural: plural, kindName: kindName,
                      kindPlural: kindPlural, text: text, button: button, cell: cell,
                      copyState: copyState, View: View, DIM: DIM,
                      MAX_TOTAL: MAX_TOTAL, EXPAND_CAP: EXPAND_CAP,
                      LEGEND_THEMES_INLINE: LEGEND_THEMES_INLINE,
                      KIND_ORDER: Object.keys(CONFIG.kinds) };
})();
