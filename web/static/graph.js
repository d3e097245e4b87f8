/* Interactive graphs: draws every [data-graph] section with vis-network.
 *
 * The data comes from the <script type="application/json"> block the server rendered
 * (never from inline code). Every label, tooltip and panel line is set as text
 * (textContent or a text-only element), never as HTML. Positions come from the server's
 * seeded layout and physics stays off, so the same URL always gives the same picture.
 */
(function () {
  "use strict";

  var MAX_TOTAL = 450;      // most nodes a picture may grow to by expanding
  var EXPAND_CAP = 40;      // most nodes one expansion may add

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? "" : String(value);
    if (cls) { el.className = cls; }
    return el;
  }

  function tooltip(value) {
    // vis-network shows a string title as text in 9.x; an element we build is text for sure
    return text("div", value, "gcx-tip");
  }

  function samePath(url) {
    // node URLs come from the server; accept only same-origin paths
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : "#";
  }

  function visNode(n) {
    var copy = Object.assign({}, n);
    copy.title = tooltip(n.title);
    copy.fixed = false;
    return copy;
  }

  function visEdge(e) {
    var copy = Object.assign({}, e);
    copy.title = tooltip(e.title);
    return copy;
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

  function setup(section) {
    var dataEl = section.querySelector('script[data-role="data"]');
    var container = section.querySelector('[data-role="canvas"]');
    var panel = section.querySelector('[data-role="panel"]');
    var status = section.querySelector('[data-role="status"]');
    var nodeRows = section.querySelector('[data-role="node-rows"]');
    var edgeRows = section.querySelector('[data-role="edge-rows"]');
    if (!dataEl || !container || typeof vis === "undefined") { return; }
    var data = JSON.parse(dataEl.textContent);
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var nodes = new vis.DataSet(data.nodes.map(visNode));
    var edges = new vis.DataSet(data.edges.map(visEdge));
    var options = {
      autoResize: true,
      physics: false,
      layout: { improvedLayout: false },
      interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false,
                     multiselect: false },
      nodes: { font: { size: 13, face: "DejaVu Sans, system-ui, sans-serif", color: "#1c2733",
                       strokeWidth: 3, strokeColor: "#ffffff" } },
      edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
               font: { size: 0 } }
    };
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
    container.gcxNetwork = network;     // for tests and the console
    container.gcxNodes = nodes;
    if (!nodeRows.children.length && data.nodes.length) {
      // a section built by a page script (the query console) gets its table twin here
      addRows(data.nodes, data.edges);
    }
    network.once("afterDrawing", function () {
      container.setAttribute("data-node-count", String(nodes.length));
      container.setAttribute("data-edge-count", String(edges.length));
      container.setAttribute("data-drawn", "1");
    });

    function describe(extra) {
      status.textContent = nodes.length + " nodes and " + edges.length + " relationships" +
        (extra ? ": " + extra : ".");
    }

    function addRows(newNodes, newEdges) {
      newNodes.forEach(function (n) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-id", n.id);
        cell(tr, n.name, n.url);
        cell(tr, n.kind + (n.catalyst ? " (catalyst)" : ""));
        cell(tr, n.summary);
        nodeRows.appendChild(tr);
      });
      newEdges.forEach(function (e) {
        var tr = document.createElement("tr");
        cell(tr, byId[e.from].label, byId[e.from].url);
        cell(tr, e.type);
        cell(tr, byId[e.to].label, byId[e.to].url);
        cell(tr, e.basis);
        edgeRows.appendChild(tr);
      });
    }

    function showPanel(id) {
      var n = byId[id];
      if (!n) { return; }
      panel.replaceChildren();
      var close = text("button", "×", "panel-close");
      close.type = "button";
      close.setAttribute("aria-label", "Close the details");
      close.addEventListener("click", function () { panel.hidden = true; network.unselectAll(); });
      panel.appendChild(close);
      panel.appendChild(text("p", n.kind + (n.catalyst ? " · catalyst" : ""), "panel-kind"));
      panel.appendChild(text("h3", n.name, "panel-name"));
      String(n.title).split("\n").slice(1).forEach(function (line) {
        panel.appendChild(text("p", line, "panel-line"));
      });
      var link = text("a", "Open its page", "button");
      link.href = samePath(n.url);
      panel.appendChild(link);
      var grow = text("button", "Expand neighbours", "panel-expand");
      grow.type = "button";
      grow.addEventListener("click", function () { expand(id); });
      panel.appendChild(grow);
      panel.hidden = false;
      panel.setAttribute("data-node-id", id);
    }

    function expand(id) {
      if (nodes.length >= MAX_TOTAL) {
        describe("the picture holds " + MAX_TOTAL + " nodes already; open a narrower view in Explore.");
        return;
      }
      var args = data.args || {};
      var params = new URLSearchParams();
      params.append("center", id);
      params.append("depth", "1");
      if (args.kinds) { params.append("kinds", args.kinds); }
      params.append("inferred", String(args.inferred === 0 ? 0 : 1));
      params.append("cap", String(Math.min(EXPAND_CAP + 1, MAX_TOTAL - nodes.length + 1)));
      fetch("/api/subgraph?" + params.toString(), { headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (sub) {
          var anchor = network.getPositions([id])[id];
          var origin = sub.nodes.filter(function (n) { return n.id === id; })[0];
          var added = [];
          sub.nodes.forEach(function (n) {
            if (byId[n.id]) { return; }
            n.url = samePath(n.url);
            n.x = anchor.x + (n.x - origin.x) * 0.6;
            n.y = anchor.y + (n.y - origin.y) * 0.6;
            byId[n.id] = n;
            added.push(n);
          });
          var newEdges = sub.edges.filter(function (e) {
            return byId[e.from] && byId[e.to] && !edges.get(e.id);
          });
          nodes.add(added.map(visNode));
          edges.add(newEdges.map(visEdge));
          addRows(added, newEdges);
          container.setAttribute("data-node-count", String(nodes.length));
          describe(added.length ? "added " + added.length + " neighbours of " + byId[id].name +
                   (sub.truncated ? " (capped; open it in Explore for all)" : "") + "."
                   : byId[id].name + " has no other neighbours in this view.");
        })
        .catch(function (err) { describe("could not expand (" + err.message + ")."); });
    }

    network.on("click", function (params) {
      if (params.nodes.length) { showPanel(params.nodes[0]); } else { panel.hidden = true; }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) { expand(params.nodes[0]); }
    });

    var png = section.querySelector('[data-action="png"]');
    if (png) {
      png.addEventListener("click", function () {
        var canvas = container.querySelector("canvas");
        var out = document.createElement("canvas");
        out.width = canvas.width; out.height = canvas.height;
        var ctx = out.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.drawImage(canvas, 0, 0);
        out.toBlob(function (blob) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = "grand-challenges-graph.png";
          document.body.appendChild(a);
          a.click();
          setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        }, "image/png");
      });
    }
    var fit = section.querySelector('[data-action="fit"]');
    if (fit) { fit.addEventListener("click", function () { network.fit(); }); }
  }

  document.querySelectorAll("[data-graph]").forEach(setup);
  // The query console draws result sections it inserts later with the same code.
  window.gcxGraph = { setup: setup };
})();
