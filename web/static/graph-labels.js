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

  // A uniform grid of boxes, so checking a label against the placed ones stays cheap.
  // Cells are keyed by one number (column and row packed), and no call allocates: this
  // runs for every node of the first picture before anything is on screen.
  var SPAN = 65536, MID = 32768;
  function Grid(cell) { this.cell = cell; this.cells = new Map(); }
  Grid.prototype.free = function (x0, y0, x1, y1, skip) {
    var c = this.cell, i1 = Math.floor(x1 / c), j0 = Math.floor(y0 / c), j1 = Math.floor(y1 / c);
    for (var i = Math.floor(x0 / c); i <= i1; i++) {
      for (var j = j0; j <= j1; j++) {
        var list = this.cells.get((i + MID) * SPAN + j + MID);
        if (list === undefined) { continue; }
        for (var m = 0; m < list.length; m++) {
          var o = list[m];
          if (o.owner !== skip && x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1) {
            return false;
          }
        }
      }
    }
    return true;
  };
  Grid.prototype.add = function (b) {
    var c = this.cell, i1 = Math.floor(b.x1 / c), j0 = Math.floor(b.y0 / c), j1 = Math.floor(b.y1 / c);
    for (var i = Math.floor(b.x0 / c); i <= i1; i++) {
      for (var j = j0; j <= j1; j++) {
        var k = (i + MID) * SPAN + j + MID, list = this.cells.get(k);
        if (list === undefined) { this.cells.set(k, [b]); } else { list.push(b); }
      }
    }
  };

  // The sides a label may take around its node, in order of preference. Each is anchored
  // so that a narrower label's box lies inside a wider one's.
  var SIDES = ["below", "above", "right", "left", "below-right", "below-left", "above-right",
               "above-left"];

  /* Place the labels of the visible nodes for the network's current view.
   *   items: [{id, label, size, priority, bold}] (size: the node's radius in graph units)
   * bounds: {w, h} of the canvas, so no label is cut by its edge (none: no limit).
   * Returns [{id, text, px, bold, side, box: {x0, y0, x1, y1} (screen pixels)}]. */
  function place(network, items, px, bounds) {
    var ids = items.map(function (it) { return it.id; });
    var pos = network.getPositions(ids);
    var scale = network.getScale();
    var grid = new Grid(120);
    var screen = new Map();
    items.forEach(function (it) {
      var p = pos[it.id];
      if (!p) { return; }
      var c = network.canvasToDOM(p);
      var r = Math.max(3, it.size * scale);
      screen.set(it.id, { x: c.x, y: c.y, r: r });
      // every node is an obstacle: a label may not cover another node's shape
      grid.add({ x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r, owner: it.id });
    });
    var order = items.slice().sort(function (a, b) { return b.priority - a.priority; });
    var h = px * 1.3, gap = 2;
    var box = { x0: 0, y0: 0 };      // the side being tried (reused)
    // side k of a label of width w around s, into box
    function side(s, w, k) {
      var below = s.y + s.r + gap, above = s.y - s.r - gap - h;
      switch (k) {
        case 0: box.x0 = s.x - w / 2; box.y0 = below; break;
        case 1: box.x0 = s.x - w / 2; box.y0 = above; break;
        case 2: box.x0 = s.x + s.r + gap; box.y0 = s.y - h / 2; break;
        case 3: box.x0 = s.x - s.r - gap - w; box.y0 = s.y - h / 2; break;
        case 4: box.x0 = s.x - s.r; box.y0 = below; break;
        case 5: box.x0 = s.x + s.r - w; box.y0 = below; break;
        case 6: box.x0 = s.x - s.r; box.y0 = above; break;
        default: box.x0 = s.x + s.r - w; box.y0 = above;
      }
    }
    function inside(w) {
      return !bounds ||
        (box.x0 >= 0 && box.y0 >= 0 && box.x0 + w <= bounds.w && box.y0 + h <= bounds.h);
    }
    function fits(w, id) {
      return inside(w) && grid.free(box.x0, box.y0, box.x0 + w, box.y0 + h, id);
    }
    // No side free even for an empty label (padding only): no label fits, and its text
    // need not be measured (most of a crowded picture's labels; measuring is the cost).
    function room(s, id) {
      for (var k = 0; k < SIDES.length; k++) { side(s, 4, k); if (fits(4, id)) { return true; } }
      return false;
    }
    var placed = [];
    for (var n = 0; n < order.length; n++) {
      var it = order[n], s = screen.get(it.id);
      if (!s || !it.label) { continue; }
      if (!it.force && !room(s, it.id)) { continue; }
      // a narrow screen gets shorter labels: more of them fit
      var text = it.full ? String(it.label) : short(it.label, bounds && bounds.w < 500 ? 22 : MAX_CHARS);
      var w = textWidth(text, px, it.bold) + 4;
      for (var k = 0; k < SIDES.length; k++) {
        side(s, w, k);
        if ((it.force && (inside(w) || k === SIDES.length - 1)) || fits(w, it.id)) {
          var b = { x0: box.x0, y0: box.y0, x1: box.x0 + w, y1: box.y0 + h };
          grid.add({ x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1, owner: it.id });
          placed.push({ id: it.id, text: text, px: px, bold: !!it.bold, side: SIDES[k],
                        dx: b.x0 - s.x, dy: b.y0 - s.y, w: w, h: h, box: b });
          break;
        }
      }
    }
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
