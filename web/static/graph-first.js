/* The first picture of a graph, drawn from the server's positions before vis-network has
 * loaded, so a page shows its graph and answers a click on a node at once.
 *
 * vis-network (470 KB) takes about a sixth of a second to evaluate and as much again to
 * build the picture of the whole graph. This file draws the same picture on a canvas of
 * its own with the same view vis-network's fit() chooses (the nodes' extent plus a tenth,
 * never zoomed in past 1), the same shapes, colours and arrows, and the labels placed by
 * graph-labels.js. A click on a node opens its details (graph-ui.js pick). When
 * vis-network has drawn its first frame, graph.js removes this canvas: from then on
 * vis-network draws, and hover, zoom, drag and the tools work.
 *
 * Only the data's own values reach the canvas, through fillText (never as HTML).
 */
(function () {
  "use strict";

  /* The part of vis-network's view API that graph-labels.js reads, for a fixed view. */
  function Camera(nodes, width, height) {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    this.pos = {};
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i], r = n.size || 10;
      x0 = Math.min(x0, n.x - r); x1 = Math.max(x1, n.x + r);
      y0 = Math.min(y0, n.y - r); y1 = Math.max(y1, n.y + r);
      this.pos[n.id] = { x: n.x, y: n.y };
    }
    var zoom = Math.min(width / ((x1 - x0) * 1.1), height / ((y1 - y0) * 1.1));
    this.scale = zoom > 1 || !isFinite(zoom) || zoom <= 0 ? 1 : zoom;
    this.center = { x: (x0 + x1) / 2, y: (y0 + y1) / 2 };
    this.tx = width / 2 - this.center.x * this.scale;
    this.ty = height / 2 - this.center.y * this.scale;
  }
  Camera.prototype.getScale = function () { return this.scale; };
  Camera.prototype.getViewPosition = function () { return { x: this.center.x, y: this.center.y }; };
  Camera.prototype.getPositions = function (ids) {
    var out = {}, self = this;
    (ids || Object.keys(this.pos)).forEach(function (id) {
      var p = self.pos[id];
      if (p) { out[id] = { x: p.x, y: p.y }; }
    });
    return out;
  };
  Camera.prototype.canvasToDOM = function (p) {
    return { x: p.x * this.scale + this.tx, y: p.y * this.scale + this.ty };
  };
  Camera.prototype.DOMtoCanvas = function (p) {
    return { x: (p.x - this.tx) / this.scale, y: (p.y - this.ty) / this.scale };
  };

  /* A node's outline, centred on (x, y), ``r`` its size: the shapes vis-network draws. */
  function outline(ctx, shape, x, y, r) {
    var i, s, h, ir;
    ctx.beginPath();
    if (shape === "square") {
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
    } else if (shape === "diamond") {
      ctx.moveTo(x, y + r); ctx.lineTo(x + r, y); ctx.lineTo(x, y - r); ctx.lineTo(x - r, y);
    } else if (shape === "triangle" || shape === "triangleDown") {
      // an equilateral triangle of side 2r, its centroid on the node
      s = 2 * r; h = Math.sqrt(3) / 2 * s; ir = h / 3;
      var d = shape === "triangle" ? 1 : -1;
      ctx.moveTo(x, y - d * (h - ir)); ctx.lineTo(x + r, y + d * ir); ctx.lineTo(x - r, y + d * ir);
    } else if (shape === "hexagon") {
      for (i = 0; i < 6; i++) {
        var a = i * Math.PI / 3;
        ctx[i ? "lineTo" : "moveTo"](x + r * Math.cos(a), y + r * Math.sin(a));
      }
    } else if (shape === "star") {
      // five points: outer radius 1.3 and inner 0.5 of 0.82 r, nudged down a tenth
      var rr = r * 0.82, cy = y + 0.1 * rr;
      for (i = 0; i < 10; i++) {
        var len = i % 2 ? rr * 0.5 : rr * 1.3, t = i * Math.PI / 5;
        ctx[i ? "lineTo" : "moveTo"](x + len * Math.sin(t), cy - len * Math.cos(t));
      }
    } else {
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    ctx.closePath();
  }

  function colour(c, key, fallback) {
    if (!c) { return fallback; }
    if (typeof c === "string") { return c; }
    return c[key] || fallback;
  }

  /* One graph's first picture, on a canvas laid over ``container`` until it is removed.
   * ``view`` (graph.js) gives the data, the label order, and pick() for a click. */
  function FirstFrame(view, container) {
    this.view = view;
    this.container = container;
    this.selected = null;
    this.width = container.clientWidth;
    this.height = container.clientHeight;
    this.camera = new Camera(view.data.nodes, this.width, this.height);
    var canvas = this.canvas = document.createElement("canvas");
    var ratio = window.devicePixelRatio || 1;
    this.ratio = ratio;
    canvas.className = "graph-first";
    canvas.width = Math.round(this.width * ratio);
    canvas.height = Math.round(this.height * ratio);
    canvas.setAttribute("aria-hidden", "true");
    container.appendChild(canvas);
    var self = this;
    // A click is a press and a release on this canvas, read from the pointer events:
    // vis-network moves this canvas when it builds its own below it, which would cancel
    // the browser's click event of a press made before.
    this.pressed = null;      // where a press began; its release is a click
    this.leaving = false;     // vis-network has drawn: go once the press is released
    canvas.addEventListener("pointerdown", function (ev) {
      if (ev.button === 0) { self.pressed = { x: ev.clientX, y: ev.clientY }; }
    });
    canvas.addEventListener("pointerup", function (ev) {
      var press = self.pressed;
      self.pressed = null;
      if (press && Math.abs(ev.clientX - press.x) + Math.abs(ev.clientY - press.y) < 6) {
        var id = self.hit(ev);
        // vis-network may have drawn while the button was down: select there too
        if (id && self.view.network) { self.view.network.selectNodes([id]); }
        if (id) { self.view.pick(id); } else { self.view.dismiss(); }
      }
      if (self.leaving) { self.remove(); }
    });
    canvas.addEventListener("pointercancel", function () {
      self.pressed = null;
      if (self.leaving) { self.remove(); }
    });
    canvas.addEventListener("mousemove", function (ev) {
      canvas.style.cursor = self.hit(ev) ? "pointer" : "";
    });
    this.draw();
  }

  /* The node under a mouse event, the top one where shapes overlap (as vis-network picks). */
  FirstFrame.prototype.hit = function (ev) {
    var box = this.canvas.getBoundingClientRect();
    var p = this.camera.DOMtoCanvas({ x: ev.clientX - box.left, y: ev.clientY - box.top });
    var nodes = this.view.data.nodes;
    for (var i = nodes.length - 1; i >= 0; i--) {
      var n = nodes[i], r = n.size || 10;
      if (Math.abs(p.x - n.x) <= r && Math.abs(p.y - n.y) <= r) { return n.id; }
    }
    return null;
  };

  /* Mark the selected node; the picture is redrawn after the next paint, so the details
   * panel a click opens is not held back by it. */
  FirstFrame.prototype.select = function (id) {
    var self = this;
    this.selected = id;
    window.requestAnimationFrame(function () {
      setTimeout(function () { if (self.canvas.isConnected) { self.draw(); } }, 0);
    });
  };

  FirstFrame.prototype.draw = function () {
    var ctx = this.canvas.getContext("2d"), cam = this.camera, scale = cam.scale;
    var data = this.view.data, pos = cam.pos, r = this.ratio, self = this;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.setTransform(r * scale, 0, 0, r * scale, r * cam.tx, r * cam.ty);
    this.edges(ctx, data, pos);
    data.nodes.forEach(function (n) {
      var chosen = n.id === self.selected;
      outline(ctx, n.shape, n.x, n.y, n.size || 10);
      ctx.fillStyle = colour(n.color, "background", "#97c2fc");
      ctx.fill();
      ctx.lineWidth = ((chosen ? 2 : 1) * (n.borderWidth || 1)) / scale;
      ctx.strokeStyle = chosen ? colour(n.color && n.color.highlight, "border", "#000000")
                               : colour(n.color, "border", "#2b7ce9");
      ctx.stroke();
    });
    var placed = window.gcxLabels.place(cam, this.view.labelItems(false), this.view.labelPx(),
                                        { w: this.width, h: this.height });
    window.gcxLabels.draw(ctx, cam, placed, {});
    this.container.gcxLabels = placed;
  };

  /* Straight edges with their arrows at the target's edge, as vis-network draws them; one
   * path per look (colour, width, dashes) for the lines and one for the arrows. */
  FirstFrame.prototype.edges = function (ctx, data, pos) {
    var scale = this.camera.scale, size = {}, looks = {}, order = [];
    data.nodes.forEach(function (n) { size[n.id] = n.size || 10; });
    data.edges.forEach(function (e) {
      if (!pos[e.from] || !pos[e.to]) { return; }
      var width = Math.max(e.width || 1, 0.3 / scale);
      var key = colour(e.color, "color", "#848484") + "|" + width + "|" + !!e.dashes;
      if (!looks[key]) {
        looks[key] = { colour: colour(e.color, "color", "#848484"), width: width,
                       dashes: !!e.dashes, edges: [] };
        order.push(key);
      }
      looks[key].edges.push(e);
    });
    order.forEach(function (key) {
      var look = looks[key], head = 0.5 * 15 + 3 * look.width;   // scaleFactor * 15 + 3 * width
      var arrows = new Path2D();
      ctx.strokeStyle = ctx.fillStyle = look.colour;
      ctx.lineWidth = look.width;
      ctx.setLineDash(look.dashes ? [5, 5] : []);
      ctx.beginPath();
      look.edges.forEach(function (e) {
        var a = pos[e.from], b = pos[e.to];
        var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
        var ux = dx / len, uy = dy / len, r = size[e.to];
        var tip = { x: b.x - ux * r, y: b.y - uy * r };
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(tip.x - ux * head * 0.9, tip.y - uy * head * 0.9);
        var back = { x: tip.x - ux * head, y: tip.y - uy * head };
        arrows.moveTo(tip.x, tip.y);
        arrows.lineTo(back.x - uy * head * 0.45, back.y + ux * head * 0.45);
        arrows.lineTo(back.x + uy * head * 0.45, back.y - ux * head * 0.45);
        arrows.closePath();
      });
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fill(arrows);
    });
  };

  /* Give the canvas up to vis-network's picture below it; a click begun on it ends on it. */
  FirstFrame.prototype.remove = function () {
    if (this.pressed) { this.leaving = true; return; }
    this.canvas.remove();
  };

  window.gcxFirst = { FirstFrame: FirstFrame, Camera: Camera, outline: outline };
})();
