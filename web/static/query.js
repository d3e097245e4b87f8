/* The query console: runs the editor's query through POST /api/query and shows the answer.
 *
 * Ctrl+Enter (or Cmd+Enter) in the editor, or the Run button, runs it; the address bar
 * then holds the permalink (the server's /query?q=…&params=…, which re-runs it when
 * opened). Results go into the table with textContent only, and the nodes and
 * relationships into a graph section drawn by graph.js (window.gcxGraph.setup).
 * Without this script the form still works: it is a GET to the permalink.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-console]");
  if (!form) { return; }
  var editor = form.querySelector("#console-q");
  var paramsBox = form.querySelector("#console-params");
  var timeoutBox = form.querySelector('input[name="timeout"]');
  var rowsBox = form.querySelector('input[name="max_rows"]');
  var runButton = form.querySelector('[data-action="run"]');
  var statusEl = document.querySelector('[data-role="console-status"]');
  var errorEl = document.querySelector('[data-role="console-error"]');
  var results = document.querySelector('[data-role="results"]');
  var summary = results.querySelector('[data-role="summary"]');
  var truncated = results.querySelector('[data-role="truncated"]');
  var rewritten = results.querySelector('[data-role="rewritten"]');
  var table = results.querySelector('[data-role="result-table"]');
  var slot = results.querySelector('[data-role="graph-slot"]');
  var template = document.querySelector('[data-role="graph-template"]');
  var data = JSON.parse(document.querySelector('[data-role="console-data"]').textContent);
  var running = false;

  function samePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : "#";
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // The same text the server's graph.console.results.cell_text gives a value.
  function cellText(value) {
    if (value === null || value === undefined) { return "null"; }
    if (typeof value === "string") { return value; }
    if (typeof value === "number" || typeof value === "boolean") { return JSON.stringify(value); }
    if (Array.isArray(value)) { return value.map(cellText).join(", "); }
    if (typeof value === "object") {
      // The console's result shape (graph/console/results.py): nodes, relationships, paths.
      if (value.type === "node" && "kind" in value) {
        var props = value.properties || {};
        return value.kind + ": " + (props.name != null ? props.name : (value.id || ""));
      }
      if (value.type === "relationship" && "rel_type" in value) {
        return "(" + (value.source || "?") + ")-[:" + value.rel_type + "]->(" +
          (value.target || "?") + ")";
      }
      if (value.type === "path") { return (value.nodes || []).map(cellText).join(" — "); }
    }
    return JSON.stringify(value);
  }

  function showError(message) {
    // an error replaces the answer before it: no old rows or picture under the message
    var old = slot.querySelector('[data-role="canvas"]');
    if (old && old.gcxNetwork) { old.gcxNetwork.destroy(); }
    slot.replaceChildren();
    results.hidden = true;
    errorEl.replaceChildren();
    var strong = document.createElement("strong");
    strong.textContent = "The query did not run:";
    errorEl.appendChild(strong);
    errorEl.appendChild(document.createTextNode(" " + message));
    errorEl.hidden = false;
  }

  function setLinks(permalink) {
    var search = permalink.indexOf("?") >= 0 ? permalink.slice(permalink.indexOf("?")) : "";
    results.querySelector('[data-role="permalink"]').href = samePath(permalink);
    results.querySelector('[data-role="csv"]').href = "/query.csv" + search;
    results.querySelector('[data-role="json"]').href = "/query.json" + search;
  }

  function fillTable(answer) {
    var urls = {};
    if (answer.graph) { answer.graph.nodes.forEach(function (n) { urls[n.id] = n.url; }); }
    var head = document.createElement("tr");
    answer.columns.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = c;
      head.appendChild(th);
    });
    table.tHead.replaceChildren(head);
    var body = document.createElement("tbody");
    answer.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (v) {
        var td = document.createElement("td");
        var url = v && typeof v === "object" && v.type === "node" && "kind" in v ? urls[v.id] : null;
        if (url) {
          var a = document.createElement("a");
          a.href = samePath(url);
          a.textContent = cellText(v);
          td.appendChild(a);
        } else if (v === null) {
          var span = document.createElement("span");
          span.className = "null";
          span.textContent = "null";
          td.appendChild(span);
        } else {
          td.textContent = cellText(v);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.tBodies[0].replaceWith(body);
  }

  function drawGraph(graph) {
    var old = slot.querySelector('[data-role="canvas"]');
    if (old && old.gcxNetwork) { old.gcxNetwork.destroy(); }
    slot.replaceChildren();
    if (!graph || !window.gcxGraph) { return; }
    var fragment = template.content.cloneNode(true);
    var section = fragment.querySelector("[data-graph]");
    section.querySelector('script[data-role="data"]').textContent = JSON.stringify(graph);
    section.querySelector('[data-role="status"]').textContent =
      plural(graph.shown, "node") + " and " + plural(graph.edges.length, "relationship") +
      (graph.truncated ? ": showing the first " + graph.shown + " of " + graph.total + " nodes." : ".");
    slot.appendChild(fragment);
    window.gcxGraph.setup(section);
  }

  function show(answer) {
    var n = answer.rows.length;
    summary.textContent = plural(n, "row") + ", " + plural(answer.columns.length, "column") +
      ", in " + Math.round(answer.elapsed_ms) + " ms.";
    truncated.replaceChildren();
    if (answer.truncated) {
      truncated.appendChild(document.createTextNode("Truncated at " + plural(n, "row") +
        ": the query has more. Add a LIMIT or a WHERE, or raise the row cap (at most " +
        data.max_rows + ")."));
    }
    if (answer.notice) {
      truncated.appendChild(document.createTextNode(" Cut: " + answer.notice + "."));
    }
    truncated.hidden = !(answer.truncated || answer.notice);
    rewritten.hidden = !answer.rewritten_from;
    fillTable(answer);
    setLinks(answer.permalink);
    results.hidden = false;
    drawGraph(answer.graph);
  }

  function request() {
    var body = { query: editor.value };
    var text = paramsBox.value.trim();
    if (text) {
      try { body.params = JSON.parse(text); } catch (err) {
        throw new Error("the parameters are not valid JSON (" + err.message + ")");
      }
    }
    if (timeoutBox.value) { body.timeout = Number(timeoutBox.value); }
    if (rowsBox.value) { body.max_rows = Number(rowsBox.value); }
    return body;
  }

  function run() {
    if (running) { return; }
    errorEl.hidden = true;
    var body;
    try { body = request(); } catch (err) {
      statusEl.textContent = "";
      showError(err.message);
      return;
    }
    running = true;
    runButton.disabled = true;
    form.setAttribute("aria-busy", "true");
    statusEl.textContent = "Running…";
    fetch("/api/query", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    })
      .then(function (r) {
        return r.json().then(function (payload) { return { ok: r.ok, payload: payload }; },
          function () { throw new Error("the server answered " + r.status); });
      })
      .then(function (res) {
        if (!res.ok) {
          var e = res.payload && res.payload.error;
          throw new Error(e ? e.message : "the server refused the query");
        }
        show(res.payload);
        statusEl.textContent = "Done: " + plural(res.payload.rows.length, "row") +
          (res.payload.truncated ? " (truncated)." : ".");
        history.replaceState(null, "", samePath(res.payload.permalink));
      })
      .catch(function (err) {
        statusEl.textContent = "";
        showError(err.message);
      })
      .then(function () {
        running = false;
        runButton.disabled = false;
        form.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run();
  });
  form.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run();
    }
  });

  document.querySelectorAll("[data-example]").forEach(function (button) {
    var ex = data.examples[button.getAttribute("data-example")];
    if (!ex) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      editor.value = ex.query;
      paramsBox.value = ex.params;
      statusEl.textContent = "Loaded the example: press Ctrl+Enter or Run to run it.";
      editor.focus();
    });
  });
})();
