/* The Explore form: type-ahead for centres (via /api/search), and canonical URLs.
 * Picking a suggestion adds the centre to the picture in place (graph-ui.js addCenter:
 * no page load; the address gains the centre); on the guided start, with no picture yet,
 * it opens the centre's view. Suggestions are built with textContent only.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-explore]");
  if (!form) { return; }
  var input = form.querySelector("#explore-add");
  var list = form.querySelector("#explore-suggestions");
  var chips = form.querySelector('[data-role="chips"]');
  var timer = null;
  var active = -1;
  var hits = [];

  function canonical() {
    // the same order and shape the server links with: center*, depth, kinds, inferred, cap
    var p = new URLSearchParams();
    form.querySelectorAll('input[name="center"]:checked').forEach(function (c) {
      p.append("center", c.value);
    });
    var depth = form.querySelector('input[name="depth"]:checked');
    p.append("depth", depth ? depth.value : "1");
    var kinds = [];
    form.querySelectorAll('input[name="kinds"]:checked').forEach(function (k) { kinds.push(k.value); });
    if (kinds.length) { p.append("kinds", kinds.join(",")); }
    var inferred = form.querySelector('input[name="inferred"]:checked');
    p.append("inferred", inferred ? inferred.value : "1");
    var cap = form.querySelector('input[name="cap"]');
    if (cap && cap.value) { p.append("cap", cap.value); }
    var all = form.querySelector('input[name="all"]');
    if (all && !p.getAll("center").length) { p.append("all", "1"); }
    if (input.value.trim()) { p.append("add", input.value.trim()); }
    return form.getAttribute("action") + "?" + p.toString();
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    window.location.assign(canonical());
  });

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function choose(hit) {
    var li = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "center"; box.value = hit.id; box.checked = true;
    label.appendChild(box);
    var kind = window.gcxGraph ? window.gcxGraph.kindName(hit.kind) : hit.kind;
    label.appendChild(document.createTextNode(" " + hit.name + " (" + kind + ")"));
    li.appendChild(label);
    chips.appendChild(li);
    input.value = "";
    close();
    var section = document.querySelector("[data-graph][data-url-state]");
    var view = section && window.gcxGraph && window.gcxGraph.sectionView(section);
    if (view) {
      view.addCenter(hit.id).catch(function (err) {
        view.say("could not add " + hit.name + " (" + err.message + ").");
      });
    } else {
      window.location.assign(canonical());
    }
  }

  function render() {
    list.replaceChildren();
    hits.forEach(function (h, i) {
      var li = document.createElement("li");
      li.id = "explore-opt-" + i;
      li.setAttribute("role", "option");
      li.textContent = h.name + " — " + h.kind;
      if (i === active) { li.setAttribute("aria-selected", "true"); }
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(h); });
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    if (active >= 0) { input.setAttribute("aria-activedescendant", "explore-opt-" + active); }
    else { input.removeAttribute("aria-activedescendant"); }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch("/api/search?limit=5&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { groups: [] }; })
        .then(function (body) {
          hits = [];
          body.groups.forEach(function (g) { g.hits.forEach(function (h) { hits.push(h); }); });
          hits = hits.slice(0, 10);
          active = -1;
          render();
        });
    }, 150);
  });

  input.addEventListener("keydown", function (ev) {
    if (list.hidden) { return; }
    if (ev.key === "ArrowDown") { active = Math.min(active + 1, hits.length - 1); render(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(hits[active]); }
    else if (ev.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
