/* The whole graph as SVG (and PNG drawn from that SVG), whatever the current zoom.
 *
 * The picture is built from the network's own positions, shapes and colours as SVG
 * elements (text set with textContent, serialised by XMLSerializer, so names stay text),
 * with labels placed by gcxLabels at full size. The PNG is the same SVG drawn onto a
 * canvas, so both show every visible node, not just what the screen shows.
 */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";
  var PAD = 40;

  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function points(list) {
    return list.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ");
  }

  function shape(n, x, y, parent) {
    var r = n.size || 10;
    var fill = (n.color && n.color.background) || "#5f6b7a";
    var stroke = (n.color && n.color.border) || fill;
    var common = { fill: fill, stroke: stroke, "stroke-width": n.borderWidth || 1 };
    if (n.opacity != null) { common.opacity = n.opacity; }
    var poly = null;
    if (n.shape === "square") {
      return el("rect", Object.assign({ x: x - r, y: y - r, width: 2 * r, height: 2 * r }, common), parent);
    } else if (n.shape === "diamond") {
      poly = [[x, y - r], [x + r, y], [x, y + r], [x - r, y]];
    } else if (n.shape === "triangle") {
      poly = [[x, y - r], [x + r, y + r * 0.8], [x - r, y + r * 0.8]];
    } else if (n.shape === "triangleDown") {
      poly = [[x - r, y - r * 0.8], [x + r, y - r * 0.8], [x, y + r]];
    } else if (n.shape === "hexagon") {
      poly = [];
      for (var i = 0; i < 6; i++) {
        poly.push([x + r * Math.cos(i * Math.PI / 3), y + r * Math.sin(i * Math.PI / 3)]);
      }
    } else if (n.shape === "star") {
      poly = [];
      for (var j = 0; j < 10; j++) {
        var rr = j % 2 ? r * 0.45 : r * 1.1;
        var a = -Math.PI / 2 + j * Math.PI / 5;
        poly.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]);
      }
    }
    if (poly) { return el("polygon", Object.assign({ points: points(poly) }, common), parent); }
    return el("circle", Object.assign({ cx: x, cy: y, r: r }, common), parent);
  }

  /* An <svg> string of the visible nodes and edges. view: {nodes, edges, network, items}
   * where items are the label items gcxLabels.place takes. */
  function svg(view) {
    var pos = view.network.getPositions(view.nodes.map(function (n) { return n.id; }));
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    view.nodes.forEach(function (n) {
      var p = pos[n.id], r = (n.size || 10) + 4;
      x0 = Math.min(x0, p.x - r); y0 = Math.min(y0, p.y - r);
      x1 = Math.max(x1, p.x + r); y1 = Math.max(y1, p.y + r + 20);
    });
    if (!view.nodes.length) { x0 = y0 = 0; x1 = y1 = 100; }
    // labels at scale 1 (graph units are pixels), in the picture's own coordinates
    var flat = {
      getPositions: function () { return pos; },
      getScale: function () { return 1; },
      canvasToDOM: function (p) { return { x: p.x - x0 + PAD, y: p.y - y0 + PAD }; }
    };
    var labels = window.gcxLabels.place(flat, view.items, 12);
    var width = Math.ceil(x1 - x0 + 2 * PAD), height = Math.ceil(y1 - y0 + 2 * PAD);
    labels.forEach(function (l) {
      width = Math.max(width, Math.ceil(l.box.x1 + PAD / 2));
      height = Math.max(height, Math.ceil(l.box.y1 + PAD / 2));
    });
    var root = el("svg", { xmlns: NS, width: width, height: height,
                           viewBox: "0 0 " + width + " " + height });
    el("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }, root);
    var defs = el("defs", {}, root);
    var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
                                markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#546e7a" }, marker);
    var sizes = {};
    view.nodes.forEach(function (n) { sizes[n.id] = n.size || 10; });
    var g = el("g", { transform: "translate(" + (PAD - x0) + "," + (PAD - y0) + ")" }, root);
    view.edges.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (!a || !b) { return; }
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var cut = sizes[e.to] + 2;
      var line = el("line", {
        x1: a.x, y1: a.y, x2: b.x - dx / len * cut, y2: b.y - dy / len * cut,
        stroke: (e.color && e.color.color) || "#546e7a", "stroke-width": e.width || 1,
        "marker-end": "url(#arrow)"
      }, g);
      if (e.dashes) { line.setAttribute("stroke-dasharray", "5,4"); }
      var title = el("title", {}, line);
      title.textContent = e.title && e.title.textContent != null ? e.title.textContent : String(e.title || "");
    });
    view.nodes.forEach(function (n) {
      var s = shape(n, pos[n.id].x, pos[n.id].y, g);
      var title = el("title", {}, s);
      title.textContent = n.name || n.label || n.id;
    });
    var text = el("g", { "font-family": window.gcxLabels.font, fill: "#1c2733",
                         stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke" }, root);
    labels.forEach(function (l) {
      var t = el("text", { x: l.box.x0 + 2, y: l.box.y0 + l.px * 1.05, "font-size": l.px }, text);
      if (l.bold) { t.setAttribute("font-weight", "bold"); }
      t.textContent = l.text;
    });
    return { text: new XMLSerializer().serializeToString(root), width: width, height: height };
  }

  function save(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function downloadSvg(view, name) {
    var out = svg(view);
    save(new Blob([out.text], { type: "image/svg+xml" }), name + ".svg");
    return out;
  }

  /* The SVG drawn on a canvas at up to 2x (at most 8000 px a side), saved as PNG. */
  function downloadPng(view, name, done) {
    var out = svg(view);
    var ratio = Math.min(2, 8000 / Math.max(out.width, out.height));
    var img = new Image();
    var url = URL.createObjectURL(new Blob([out.text], { type: "image/svg+xml" }));
    img.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(out.width * ratio);
      canvas.height = Math.round(out.height * ratio);
      var ctx = canvas.getContext("2d");
      ctx.scale(ratio, ratio);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob(function (blob) {
        save(blob, name + ".png");
        if (done) { done(canvas.width, canvas.height); }
      }, "image/png");
    };
    img.src = url;
  }

  window.gcxExport = { svg: svg, downloadSvg: downloadSvg, downloadPng: downloadPng };
})();
