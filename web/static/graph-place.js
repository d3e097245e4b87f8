/* Graph geometry for the steering tools: where new nodes go, neighbourhoods, paths.
 *
 * free(): positions for nodes added around an anchor, in the widest empty arc around it
 * (so an expansion lands in free space, not on top of what is there), on rings far enough
 * out that each new node has room for itself and its label.
 * within(): the nodes at most h hops from a node (edges either way): neighbourhood focus.
 * path(): one shortest path between two nodes over the visible edges, or null.
 */
(function () {
  "use strict";

  var STEPS = 72;          // angular resolution of the free-arc search
  var ARC = 60;            // pixels of ring each new node needs
  var MIN_RING = 150;
  var CLEAR = 44;          // how close a new node may come to an existing one

  function widestArc(anchor, others, reach) {
    var busy = [];
    for (var i = 0; i < STEPS; i++) { busy.push(false); }
    others.forEach(function (p) {
      var dx = p.x - anchor.x, dy = p.y - anchor.y;
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d < 1 || d > reach) { return; }
      var a = (Math.atan2(dy, dx) + 2 * Math.PI) % (2 * Math.PI);
      // a nearby node blocks a wider angle than a far one
      var half = Math.max(1, Math.ceil(Math.atan2(CLEAR, d) / (2 * Math.PI) * STEPS));
      var k = Math.round(a / (2 * Math.PI) * STEPS);
      for (var j = -half; j <= half; j++) { busy[(k + j + STEPS) % STEPS] = true; }
    });
    if (busy.indexOf(true) < 0) { return { start: -Math.PI / 2 - Math.PI, width: 2 * Math.PI }; }
    var best = { at: 0, len: 0 };
    for (var s = 0; s < STEPS; s++) {
      if (busy[s] || !busy[(s - 1 + STEPS) % STEPS]) { continue; }
      var len = 0;
      while (len < STEPS && !busy[(s + len) % STEPS]) { len++; }
      if (len > best.len) { best = { at: s, len: len }; }
    }
    if (best.len === 0) { return { start: 0, width: 2 * Math.PI }; }
    return { start: best.at / STEPS * 2 * Math.PI, width: best.len / STEPS * 2 * Math.PI };
  }

  /* Positions for `count` new nodes around `anchor`, away from `others` ([{x, y}]). */
  function free(anchor, others, count) {
    if (!count) { return []; }
    var arc = widestArc(anchor, others, MIN_RING * 2.5);
    // leave a margin at both ends of the arc, so the new nodes keep off their neighbours
    var margin = arc.width < 2 * Math.PI ? Math.min(arc.width * 0.15, 0.3) : 0;
    var start = arc.start + margin, width = Math.max(arc.width - 2 * margin, 0.6);
    var out = [];
    var ring = 0, placed = 0;
    while (placed < count) {
      var radius = MIN_RING + ring * 90;
      var fits = Math.max(1, Math.floor(radius * width / ARC));
      var here = Math.min(fits, count - placed);
      if (ring === 0 && count - placed > fits && width > 3) {
        // a big expansion: widen the first ring instead of stacking many thin ones
        radius = Math.max(radius, (count - placed) * ARC / width);
        here = count - placed;
      }
      for (var i = 0; i < here; i++) {
        var a = width >= 2 * Math.PI - 1e-6 ? start + (i / here) * width
                                            : start + ((i + 0.5) / here) * width;
        out.push(nudge({ x: anchor.x + radius * Math.cos(a), y: anchor.y + radius * Math.sin(a) },
                       anchor, others.concat(out)));
      }
      placed += here;
      ring++;
    }
    return out;
  }

  function nudge(p, anchor, others) {
    // step outwards until no existing node is closer than CLEAR
    var dx = p.x - anchor.x, dy = p.y - anchor.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
    for (var step = 0; step < 12; step++) {
      var crowded = others.some(function (o) {
        return Math.abs(o.x - p.x) < CLEAR && Math.abs(o.y - p.y) < CLEAR;
      });
      if (!crowded) { break; }
      p = { x: p.x + dx / d * CLEAR, y: p.y + dy / d * CLEAR };
    }
    return { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
  }

  function adjacency(edges) {
    var adj = {};
    edges.forEach(function (e) {
      (adj[e.from] = adj[e.from] || []).push(e.to);
      (adj[e.to] = adj[e.to] || []).push(e.from);
    });
    return adj;
  }

  function within(edges, start, hops) {
    var adj = adjacency(edges), seen = {}, frontier = [start];
    seen[start] = 0;
    for (var h = 1; h <= hops; h++) {
      var next = [];
      frontier.forEach(function (n) {
        (adj[n] || []).forEach(function (m) {
          if (seen[m] === undefined) { seen[m] = h; next.push(m); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function path(edges, a, b) {
    var adj = adjacency(edges), prev = {}, queue = [a];
    prev[a] = null;
    while (queue.length) {
      var n = queue.shift();
      if (n === b) { break; }
      (adj[n] || []).slice().sort().forEach(function (m) {
        if (prev[m] === undefined) { prev[m] = n; queue.push(m); }
      });
    }
    if (prev[b] === undefined) { return null; }
    var out = [];
    for (var cur = b; cur !== null; cur = prev[cur]) { out.unshift(cur); }
    return out;
  }

  window.gcxPlace = { free: free, within: within, path: path };
})();
