/* Node labels that never overlap, drawn by us on vis-network's canvas.
 *
 * vis-network draws every label at the node's font size in graph units, so a zoomed-out
 * graph is a blur of colliding names and a phone shows none (below its draw threshold).
 * Here vis draws the shapes and edges only; after each frame we draw the labels ourselves
 * at a constant size on screen, placed greedily by priority (centres first, then hovered
 * or selected nodes, then bigger and better-connected nodes): a label goes below, above,
 * right or left of its node (or below or above it, flush with one side), whichever is free of the labels and nodes already placed; a
 * label with no free spot is left out until hover or zoom gives it room. Long names are
 * cut with "…" (the tooltip and the details panel show the full name).
 *
 * window.gcxLabels.place(...) returns the placed labels with their screen boxes, which
 * the tests read to check that no two of them intersect.
 */
(function () {
  "use strict";

  var FONT = "DejaVu Sans, system-ui, sans-serif";
  var MAX_CHARS = 30;
  var measure = document.createElement("canvas").getContext("2d");
  var measureFont = "";

  function short(label, max) {
    var s = String(label == null ? "" : label);
    max = max || MAX_CHARS;
    return s.length <= max ? s : s.slice(0, max - 1).replace(/\s+$/, "") + "…";
  }

  // Widths by font and text: a label is measured once, not at every placing (each
  // zoom, pan or hover places them all again), and setting a canvas font is itself slow.
  var widths = new Map();

  function textWidth(text, px, bold) {
    var font = (bold ? "bold " : "") + px + "px " + FONT;
    var key = font + "\n" + text;
    var w = widths.get(key);
    if (w === undefined) {
      if (measureFont !== font) { measure.font = measureFont = font; }
      w = measure.measureText(text).width;
      widths.set(key, w);
    }
    return w;
  }

  function overlaps(a, b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  }

  // A uniform grid of boxes, so checking a label against the placed ones stays cheap.
  function Grid(cell) { this.cell = cell; this.cells = {}; }
  Grid.prototype.keys = function (b) {
    var out = [];
    for (var i = Math.floor(b.x0 / this.cell); i <= Math.floor(b.x1 / this.cell); i++) {
      for (var j = Math.floor(b.y0 / this.cell); j <= Math.floor(b.y1 / this.cell); j++) {
        out.push(i + "," + j);
      }
    }
    return out;
  };
  Grid.prototype.free = function (b, skip) {
    var keys = this.keys(b);
    for (var k = 0; k < keys.length; k++) {
      var list = this.cells[keys[k]] || [];
      for (var m = 0; m < list.length; m++) {
        if (list[m].owner !== skip && overlaps(b, list[m])) { return false; }
      }
    }
    return true;
  };
  Grid.prototype.add = function (b) {
    var self = this;
    this.keys(b).forEach(function (k) { (self.cells[k] = self.cells[k] || []).push(b); });
  };

  /* Place the labels of the visible nodes for the network's current view.
   *   items: [{id, label, size, priority, bold}] (size: the node's radius in graph units)
   * bounds: {w, h} of the canvas, so no label is cut by its edge (none: no limit).
   * Returns [{id, text, px, bold, side, box: {x0, y0, x1, y1} (screen pixels)}]. */
  function place(network, items, px, bounds) {
    var ids = items.map(function (it) { return it.id; });
    var pos = network.getPositions(ids);
    var scale = network.getScale();
    var grid = new Grid(120);
    var screen = {};
    items.forEach(function (it) {
      var p = pos[it.id];
      if (!p) { return; }
      var c = network.canvasToDOM(p);
      var r = Math.max(3, it.size * scale);
      screen[it.id] = { x: c.x, y: c.y, r: r };
      // every node is an obstacle: a label may not cover another node's shape
      grid.add({ x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r, owner: it.id });
    });
    var order = items.slice().sort(function (a, b) { return b.priority - a.priority; });
    var h = px * 1.3, gap = 2;
    // The boxes a label of width w may take around its node, in order of preference.
    // Each is anchored so that a narrower label's box lies inside a wider one's.
    function sides(s, w) {
      return [
        ["below", s.x - w / 2, s.y + s.r + gap],
        ["above", s.x - w / 2, s.y - s.r - gap - h],
        ["right", s.x + s.r + gap, s.y - h / 2],
        ["left", s.x - s.r - gap - w, s.y - h / 2],
        ["below-right", s.x - s.r, s.y + s.r + gap],
        ["below-left", s.x + s.r - w, s.y + s.r + gap],
        ["above-right", s.x - s.r, s.y - s.r - gap - h],
        ["above-left", s.x + s.r - w, s.y - s.r - gap - h]
      ].map(function (side) {
        return { side: side[0], x0: side[1], y0: side[2], x1: side[1] + w, y1: side[2] + h };
      });
    }
    function inside(box) {
      return !bounds || (box.x0 >= 0 && box.y0 >= 0 && box.x1 <= bounds.w && box.y1 <= bounds.h);
    }
    function fits(box, id) { return inside(box) && grid.free(box, id); }
    var placed = [];
    order.forEach(function (it) {
      var s = screen[it.id];
      if (!s || !it.label) { return; }
      // No side free even for an empty label (padding only): no label fits, and its text
      // need not be measured (most of a crowded picture's labels; measuring is the cost).
      if (!it.force && !sides(s, 4).some(function (b) { return fits(b, it.id); })) { return; }
      // a narrow screen gets shorter labels: more of them fit
      var text = it.full ? String(it.label) : short(it.label, bounds && bounds.w < 500 ? 22 : MAX_CHARS);
      var w = textWidth(text, px, it.bold) + 4;
      var boxes = sides(s, w);
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        if ((it.force && (inside(box) || i === boxes.length - 1)) || fits(box, it.id)) {
          grid.add({ x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1, owner: it.id });
          placed.push({ id: it.id, text: text, px: px, bold: !!it.bold, side: box.side,
                        dx: box.x0 - s.x, dy: box.y0 - s.y, w: w, h: h,
                        box: { x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1 } });
          return;
        }
      }
    });
    return placed;
  }

  /* Draw placed labels on vis-network's context (in graph units at afterDrawing). Each
   * label keeps its offset from its node in screen pixels, so panning needs no new placing. */
  function draw(ctx, network, placed, emphasis) {
    var scale = network.getScale();
    var pos = network.getPositions(placed.map(function (l) { return l.id; }));
    ctx.save();
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var font = "";            // setting a canvas font parses it: only when it changes
    placed.forEach(function (l) {
      var p = pos[l.id];
      if (!p) { return; }
      var top = { x: p.x + l.dx / scale, y: p.y + l.dy / scale };
      var size = l.px / scale;
      var want = (l.bold ? "bold " : "") + size + "px " + FONT;
      if (want !== font) { ctx.font = font = want; }
      if (emphasis && emphasis[l.id]) {
        ctx.fillStyle = "rgba(255,255,255,0.92)";
        ctx.fillRect(top.x, top.y, l.w / scale, l.h / scale);
      }
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "#ffffff";
      ctx.strokeText(l.text, top.x + 2 / scale, top.y + 0.15 * size);
      ctx.fillStyle = "#1c2733";
      ctx.fillText(l.text, top.x + 2 / scale, top.y + 0.15 * size);
    });
    ctx.restore();
  }

  /* A relationship's phrase at the middle of its edge (hovered or selected edges). */
  function drawEdgeLabel(ctx, network, from, to, text, px) {
    var scale = network.getScale();
    var size = px / scale;
    var mx = (from.x + to.x) / 2;
    var my = (from.y + to.y) / 2;
    ctx.save();
    ctx.font = "italic " + size + "px " + FONT;
    var w = ctx.measureText(text).width;
    ctx.fillStyle = "rgba(255,255,255,0.9)";
    ctx.fillRect(mx - w / 2 - 2 / scale, my - size * 0.65, w + 4 / scale, size * 1.3);
    ctx.fillStyle = "#34495e";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(text, mx, my);
    ctx.restore();
  }

  window.gcxLabels = { place: place, draw: draw, drawEdgeLabel: drawEdgeLabel, short: short,
                       font: FONT };
})();
