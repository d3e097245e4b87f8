"""The pages section of ``make bench``: server time for every page, and two browser budgets.

Server time (:func:`measure_pages`): every HTML page of the app and every GET API call
that :mod:`bench.web` does not already time, on real ids chosen from the loaded graph
(the busiest challenge, partner, theme, ...), through Flask's test client. The first
request of a URL in the process is reported on its own as ``cold`` (it computes what the
app then keeps per snapshot: layouts, rendered graph blocks); the p50/p95 are over the
warm requests after it. The pages that show one node are also timed with a different
id per request (``each id once``), which the app's per-view caches cannot answer. Every
GET route of the URL map must be reached by some measured URL (here or in
:data:`bench.web.ENDPOINTS`); the ones that are not are listed as ``unmeasured``.

Browser (:func:`measure_browser`): Debian's Chromium through Playwright against the app
served by werkzeug on 127.0.0.1 (a port the OS chose). Three views: the busiest
challenge's page, the whole graph in Explore (`all=1`: every node) and the largest
centred view (depth 2). Each is timed from navigation to three moments:

- ``shown``: the first picture is on screen (``web/static/graph-first.js`` draws it from
  the page's data and sets ``data-shown="1"`` on the canvas);
- ``usable``: a mouse click on the node nearest the canvas's middle has opened its
  details panel (``page.mouse.click`` at the node's screen position, the page first
  scrolled to centre the canvas only when that node is off screen: what a user's click
  does, without a locator click's actionability checks, which wait two animation frames
  for the element to be still);
- ``interactive``: vis-network has drawn (``data-drawn="1"``: hover, zoom, drag and the
  tools work). graph.js starts vis-network 150 ms after the user's first click or tap
  (at once on a wheel or key), or after a second idle: here after the click, and for
  the challenge page, which is not clicked, after the idle second.

The page reports each moment itself: a script Playwright adds before the page's own
watches the document (a MutationObserver) and writes a console line when the awaited
element appears, which reaches the harness as a DevTools event (:data:`_REPORT`). The
harness runs nothing in the page while it loads: a ``page.evaluate`` left waiting (a
promise settled by the page) had Playwright inject its utility script into the loading
page and slowed it, and Playwright's locator waits run its injected script (selector
engines) in the page's main thread at every animation frame.

A fourth row is the harness floor, measured the same way in the same run: a page served
by the same server that draws one node on a canvas and opens a panel on a click. Its
figures are what Playwright and Chromium cost with no app at all.

The server's seeded positions are drawn with physics off, so the first picture is the
final one; each run checks that no node moved half a second after vis-network drew. The
first run of each view is in a freshly launched browser against a server that has not
yet served that view (``cold``); the others reuse the browser (its HTTP cache) and the
server's caches. The in-page figures are the same moments in the page's own clock
(``performance.now()`` from navigation start), without Playwright's round trips.
"""

from __future__ import annotations

import json
import logging
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

Row = dict[str, Any]

CHROMIUM = Path("/usr/bin/chromium")
#: The browser's own address-bar popups, which Chromium 156 (headless included) builds as
#: web pages in a renderer of their own for every new tab: about 450 ms of that
#: renderer's main thread around each visit's load (traced), on the two cores the
#: measured page shares. No page uses them (Chromium's headless shell, Playwright's
#: default, has no browser UI at all).
#: All four are needed: with one off, another popup takes its place.
BROWSER_UI_OFF = (
    "WebUIOmniboxPopup",
    "WebUIOmniboxFullPopup",
    "WebUIOmniboxAimPopup",
    "PreloadTopChromeWebUI",
)
#: The flags every browser run here uses (the same as the browser tests').
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=" + ",".join(BROWSER_UI_OFF),
]
VIEWPORT = {"width": 1280, "height": 900}
#: The issue's budgets: server p95 per page and API call, and the two browser views (ms).
PAGE_P95_MS = 20.0
CHALLENGE_SHOWN_MS = 1500.0
FULL_GRAPH_USABLE_MS = 300.0
CENTRED_USABLE_MS = 200.0


@dataclass(frozen=True)
class Page:
    """One measured URL: a name, a path template over :func:`real_ids`, what it answers.

    ``kind`` is ``page`` (HTML), ``api`` (JSON) or ``file`` (a download, a chart, an
    asset). With ``pool`` set, the path has ``{id}`` and each timed request asks about a
    different node of that kind, busiest first (``example``: each canned console query).
    """

    name: str
    path: str
    kind: str = "page"
    status: int = 200
    pool: str | None = None


PAGES = (
    Page("overview", "/"),
    Page("themes", "/themes"),
    Page("theme", "/themes/{theme}"),
    Page("challenges", "/challenges"),
    Page("challenge", "/challenges/{challenge}"),
    Page("partner directory", "/partners"),
    Page(
        "partner directory, filtered and sorted",
        "/partners?sector={sector}&has_commitment=1&sort=-challenges&page=1",
    ),
    Page("partner directory, searched", "/partners?q=science&sort=-commitments"),
    Page("partner", "/partners/{partner}"),
    Page("node", "/nodes/{node}"),
    Page("explore, centre at depth 3", "/explore?center={challenge}&depth=3"),
    Page("explore, guided start", "/explore"),
    Page("explore, whole graph", "/explore?all=1"),
    Page("search", "/search?q=math"),
    Page("gaps", "/gaps"),
    Page("gaps cell", "/gaps/cell?theme={theme}&sector={cell_sector}"),
    Page("collaborators of a partner", "/collaborators?partner={partner}"),
    Page(
        "collaborators for challenges",
        "/collaborators?challenge={challenge}&challenge={challenge2}",
    ),
    Page("query console", "/query"),
    Page("Cypher guide", "/query/cypher"),
    Page("query, example permalink", "/query?{example}"),
    Page("404 (no route)", "/no-such-page", status=404),
    Page("404 (no such challenge)", "/challenges/no-such-challenge", status=404),
    Page("challenge, each id once", "/challenges/{id}", pool="Challenge"),
    Page("partner, each id once", "/partners/{id}", pool="Partner"),
    Page("theme, each id once", "/themes/{id}", pool="Theme"),
    Page("node, each id once", "/nodes/{id}", pool="Commitment"),
    Page("query, each example once", "/query?{id}", pool="example"),
    Page("stats", "/api/stats", "api"),
    Page("themes", "/api/themes", "api"),
    Page("theme", "/api/themes/{theme}", "api"),
    Page("challenges", "/api/challenges", "api"),
    Page("partners, filtered page", "/api/partners?q=a&sector={sector}&page=2", "api"),
    Page("node", "/api/nodes/{node}", "api"),
    Page("search", "/api/search?q=math", "api"),
    Page("subgraph, centre at depth 3", "/api/subgraph?center={challenge}&depth=3", "api"),
    Page("subgraph, whole graph", "/api/subgraph", "api"),
    Page("cover", "/api/cover?challenge={challenge}&challenge={challenge2}", "api"),
    Page("openapi", "/api/openapi.json", "api"),
    Page("explore export", "/explore/export.html?center={challenge}", "file"),
    Page("subgraph download", "/api/subgraph?center={challenge}&format=graphml", "file"),
    Page("gaps chart", "/gaps/chart.svg", "file"),
    Page("query CSV", "/query.csv?{example}", "file"),
    Page("query JSON", "/query.json?{example}", "file"),
    Page("vis-network", "/vendor/vis-network/vis-network.min.js", "file"),
    Page("graph scripts (one file)", "/bundle/graph.js", "file"),
    Page("app.css", "/static/app.css", "file"),
)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _app(db_path: str) -> Any:
    from graph.settings import Settings
    from web import create_app

    return create_app({"GCX_SETTINGS": Settings(db_path=Path(db_path)), "TESTING": True})


def _snapshot(app: Any) -> Any:
    with app.app_context():
        from web.db import get_store

        return get_store().snapshot()


def _busiest(g: Any, kind: str) -> list[str]:
    """Node ids of ``kind``, most relationships first (ties by id): the biggest pages."""
    return sorted(
        (n for n, k in g.nodes(data="kind") if k == kind), key=lambda n: (-g.degree(n), n)
    )


def real_ids(app: Any, g: Any) -> dict[str, str]:
    """The values the :data:`PAGES` templates use, chosen from the loaded graph."""
    from graph import theme_sector_matrix
    from graph.console.examples import EXAMPLES

    challenges = _busiest(g, "Challenge")
    sectors = Counter(
        str(a["sector"])
        for _, a in g.nodes(data=True)
        if a.get("kind") == "Partner" and a.get("sector")
    )
    matrix = theme_sector_matrix(g)
    theme = _busiest(g, "Theme")[0]
    # the gaps cell of the busiest theme with the most partners in it
    cell_sector = max(matrix.sectors, key=lambda s: (len(matrix.cells.get((theme, s), ())), s))
    return {
        "challenge": challenges[0],
        "challenge2": challenges[1],
        "partner": _busiest(g, "Partner")[0],
        "theme": theme,
        "node": _busiest(g, "Commitment")[0],
        "sector": sectors.most_common(1)[0][0],
        "cell_sector": cell_sector,
        "example": example_queries(app)[0],
        "example_slug": EXAMPLES[0].slug,
    }


def example_queries(app: Any) -> list[str]:
    """The query strings of the console's canned examples' permalinks, in their order."""
    from graph.console.examples import EXAMPLES
    from web.query import ConsoleRequest

    return [
        urlencode(ConsoleRequest(ex.cypher, dict(ex.params), 0, 0).url_args()) for ex in EXAMPLES
    ]


def _unmeasured(app: Any, paths: list[str]) -> list[str]:
    """GET routes that no measured URL (here or in bench.web) reaches."""
    from werkzeug.exceptions import HTTPException

    from bench.web import ENDPOINTS

    adapter = app.url_map.bind("localhost")
    reached: set[str] = set()
    others = [e.path.format(id="x") for e in ENDPOINTS if e.method == "GET"]
    for path in paths + others:
        try:
            endpoint, _ = adapter.match(path.split("?")[0], method="GET")
        except HTTPException:
            continue
        reached.add(str(endpoint))
    routes = {r.endpoint: r.rule for r in app.url_map.iter_rules() if "GET" in (r.methods or set())}
    return sorted(rule for endpoint, rule in routes.items() if endpoint not in reached)


def measure_pages(db_path: str, runs: str) -> Row:
    """Cold, p50 and p95 server time and size for every page in :data:`PAGES`."""
    app = _app(db_path)
    client = app.test_client()
    warm = client.get("/api/stats")
    if warm.status_code != 200:
        raise RuntimeError(f"/api/stats answered {warm.status_code}")
    g = _snapshot(app)
    ids = real_ids(app, g)
    examples = example_queries(app)
    n = int(runs)
    rows: list[Row] = []
    paths: list[str] = []
    for page in PAGES:
        if page.pool is not None:
            everyone = examples if page.pool == "example" else _busiest(g, page.pool)
            pool = everyone[: n + 1]
            urls = [page.path.format(id=i) for i in pool]
        else:
            urls = [page.path.format(**ids)] * (n + 1)
        paths.append(urls[0])
        timings: list[float] = []
        sizes: list[int] = []
        codes: list[int] = []
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            sizes.append(len(response.get_data()))
            codes.append(response.status_code)
        p50, p95 = _percentiles(timings[1:] or timings)
        wrong = sorted({c for c in codes if c != page.status})
        rows.append(
            {
                "kind": page.kind,
                "name": page.name,
                "url": urls[0],
                "status": "measured" if not wrong else f"HTTP {wrong}",
                "expected": page.status,
                "codes": sorted(set(codes)),
                "requests": len(timings) - 1,
                "distinct_ids": page.pool is not None,
                "cold_ms": timings[0],
                "p50_ms": p50,
                "p95_ms": p95,
                "max_ms": max(timings[1:] or timings),
                "bytes_median": int(statistics.median(sizes)),
            }
        )
    return {"runs": n, "ids": ids, "rows": rows, "unmeasured": _unmeasured(app, paths)}


# -- the browser ---------------------------------------------------------------------------
def browser_missing() -> str | None:
    """Why the browser measurements cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


class LocalServer:
    """The app served on 127.0.0.1 at a port the OS chose, in a background thread."""

    def __init__(self, app: Any) -> None:
        from werkzeug.serving import make_server

        # werkzeug logs every request to stderr; the measurements need none of it
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@contextmanager
def _browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


#: The harness floor: one node on a canvas, and a panel a click opens (no app, no data).
FLOOR_PATH = "/__bench_floor__"
FLOOR_PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head>
<body><canvas data-role="canvas" width="1150" height="560"></canvas>
<aside data-role="panel" hidden></aside><script>
var c = document.querySelector("canvas"), ctx = c.getContext("2d");
ctx.fillStyle = "#3a7d44"; ctx.beginPath(); ctx.arc(575, 280, 11, 0, 7); ctx.fill();
c.gcxView = {first: {camera: {getPositions: function () { return {n: {x: 575, y: 280}}; },
                              canvasToDOM: function (p) { return p; }}}};
c.addEventListener("click", function () {
  var p = document.querySelector("aside"); p.textContent = "node"; p.hidden = false;
  p.setAttribute("data-node-id", "n");
});
c.setAttribute("data-shown", "1");
</script></body></html>"""


def with_floor(app: Any) -> Any:
    """``app``, plus the harness floor page at :data:`FLOOR_PATH`."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == FLOOR_PATH:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [FLOOR_PAGE]
        return app(environ, start_response)

    return wsgi


_CANVAS = '[data-role="canvas"]'
_POSITIONS = """() => {
  const net = document.querySelector('[data-role="canvas"]').gcxNetwork;
  return net.getPositions();
}"""
# The node nearest the middle of the drawn picture (in the first picture or vis-network's,
# whichever is on screen), in viewport coordinates. A user clicks a node they can see: the
# page is scrolled (the canvas centred) only when that node is not on screen.
_A_NODE = """(el) => {
  const view = el.gcxView;
  const cam = view.first ? view.first.camera : view.network;
  const nearest = () => {
    const box = el.getBoundingClientRect();
    let best = null;
    for (const [id, p] of Object.entries(cam.getPositions())) {
      const d = cam.canvasToDOM(p), off = Math.hypot(d.x - box.width / 2, d.y - box.height / 2);
      if (best === null || off < best.off) {
        best = {id: id, x: box.left + d.x, y: box.top + d.y, off: off};
      }
    }
    return best;
  };
  let best = nearest();
  const margin = 12;
  if (best.x < margin || best.y < margin || best.x > innerWidth - margin ||
      best.y > innerHeight - margin) {
    el.scrollIntoView({block: "center"});
    best = nearest();
  }
  return best;
}"""
# The page reports each awaited moment itself: a script added to every page before its
# own (Playwright's init script) watches the document with a MutationObserver and writes
# one console line per moment, which reaches the harness as a DevTools event. It also
# keeps the page's own clock of each moment (ms since navigation start) in window.__gcx.
#   shown:  the first canvas has data-shown (the first picture is drawn); the line
#           carries the node to click (_A_NODE);
#   panel:  the details panel is open (not hidden, laid out) and names a node;
#   drawn:  the first canvas has data-drawn (vis-network has drawn).
# Waiting with page.evaluate instead (a promise the page settles) had Playwright inject
# its utility script into the page while it loaded and kept a call open in its main
# thread: in paired runs the centred view's usable time was 70 ms longer by the wall
# clock and 37 ms in the page's own clock, the one-node floor page's 20 and 7 ms.
_REPORT = """
(function () {
  window.__gcx = {};
  const pick = PICK;
  const sent = {};
  const report = (name, value) => {
    sent[name] = true;
    window.__gcx[name] = performance.now();
    console.log("gcx:" + name + ":" + JSON.stringify(value));
  };
  new MutationObserver(function () {
    const canvas = document.querySelector('[data-role="canvas"]');
    if (!sent.shown && canvas && canvas.getAttribute("data-shown")) {
      report("shown", pick(canvas));
    }
    const panel = document.querySelector('[data-role="panel"][data-node-id]:not([hidden])');
    if (!sent.panel && panel && panel.getClientRects().length) {
      report("panel", panel.getAttribute("data-node-id"));
    }
    if (!sent.drawn && canvas && canvas.getAttribute("data-drawn")) {
      report("drawn", true);
    }
  }).observe(document, {attributes: true, childList: true, subtree: true,
                        attributeFilter: ["data-shown", "data-drawn", "data-node-id", "hidden"]});
})();
""".replace("PICK", _A_NODE)


class _Reports:
    """The console lines a page sends (see :data:`_REPORT`), each with the moment the
    harness received it."""

    PREFIX = "gcx:"

    def __init__(self, page: Any) -> None:
        self.page = page
        self.seen: dict[str, tuple[float, Any]] = {}
        page.on("console", self._line)

    def _line(self, message: Any) -> None:
        text = str(message.text)
        if text.startswith(self.PREFIX):
            name, _, value = text[len(self.PREFIX) :].partition(":")
            self.seen.setdefault(name, (time.perf_counter(), json.loads(value)))

    def wait(self, name: str, timeout_ms: float = 30_000) -> tuple[float, Any]:
        """When ``name`` arrived (``time.perf_counter()``) and its value."""
        if name not in self.seen:
            self.page.wait_for_event(
                "console",
                predicate=lambda m: str(m.text).startswith(f"{self.PREFIX}{name}:"),
                timeout=timeout_ms,
            )
        return self.seen[name]


def _attribute(page: Any, name: str) -> str | None:
    """An attribute of the page's first canvas."""
    value = page.evaluate(
        "([canvas, name]) => document.querySelector(canvas).getAttribute(name)", [_CANVAS, name]
    )
    return str(value) if value is not None else None


def _moved(before: dict[str, Any], after: dict[str, Any]) -> float:
    """The largest distance any node moved between two position readings."""
    return max(
        (abs(after[k]["x"] - p["x"]) + abs(after[k]["y"] - p["y"]) for k, p in before.items()),
        default=0.0,
    )


def _visit(context: Any, url: str, *, click: bool, floor: bool = False) -> Row:
    """Open ``url`` in a new page; time it to shown, usable (with ``click``) and
    interactive (not for the floor page, which has no vis-network)."""
    page = context.new_page()
    page.add_init_script(_REPORT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    reports = _Reports(page)
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        at, target = reports.wait("shown")
        out: Row = {"shown_ms": (at - start) * 1000}
        if click:
            page.mouse.click(target["x"], target["y"])
            at, out["panel_node"] = reports.wait("panel")
            out["usable_ms"] = (at - start) * 1000
            out["clicked"] = target["id"]
        out["nodes"] = int(_attribute(page, "data-node-count") or 0)
        if not floor:
            at, _ = reports.wait("drawn")
            out["interactive_ms"] = (at - start) * 1000
            out["edges"] = int(_attribute(page, "data-edge-count") or 0)
            before = page.evaluate(_POSITIONS)
            page.wait_for_timeout(500)
            out["moved_px"] = _moved(before, page.evaluate(_POSITIONS))
        marks = page.evaluate("() => window.__gcx")
        for key, mark in (("shown", "shown"), ("usable", "panel"), ("interactive", "drawn")):
            out[f"in_page_{key}_ms"] = marks.get(mark)
        out["errors"] = errors
        return out
    finally:
        page.close()


def _summary(name: str, url: str, visits: list[Row], key: str) -> Row:
    warm = [v[key] for v in visits[1:]] or [visits[0][key]]
    return {
        "view": name,
        "url": url,
        "measure": key.removesuffix("_ms"),
        "runs": len(visits) - 1,
        "cold_ms": visits[0][key],
        "median_ms": statistics.median(warm),
        "max_ms": max(warm),
        "worst_ms": max(v[key] for v in visits),
        # the same moment in the page's own clock (from navigation start), median of runs
        "in_page_median_ms": statistics.median(v[f"in_page_{key}"] for v in visits[1:] or visits),
        "nodes": visits[0]["nodes"],
        "edges": visits[0].get("edges", 0),
        "moved_px": max(v.get("moved_px", 0.0) for v in visits),
        "errors": sorted({e for v in visits for e in v["errors"]}),
        "panel_ok": all(v.get("panel_node") == v.get("clicked") for v in visits),
    }


#: The harness floor's row name (see :data:`FLOOR_PAGE`).
FLOOR_VIEW = "harness floor (one node, no app)"


def measure_browser(db_path: str, runs: str) -> Row:
    """Navigation to shown, usable and interactive: the challenge page, the whole graph and
    the largest centred view at depth 2, and the harness floor in the same run."""
    why = browser_missing()
    if why:
        return {"status": "skipped", "reason": why, "rows": []}
    from bench.views import largest_centres

    app = _app(db_path)
    g = _snapshot(app)
    ids = real_ids(app, g)
    centre = largest_centres(g, 1)[0]
    views: list[tuple[str, str, bool, tuple[str, ...]]] = [
        (
            "challenge page",
            f"/challenges/{ids['challenge']}",
            False,
            ("shown_ms", "interactive_ms"),
        ),
        (
            "whole graph (Explore)",
            "/explore?all=1",
            True,
            ("shown_ms", "usable_ms", "interactive_ms"),
        ),
        (
            "largest centred view (Explore)",
            f"/explore?center={centre}&depth=2",
            True,
            ("shown_ms", "usable_ms", "interactive_ms"),
        ),
        (FLOOR_VIEW, FLOOR_PATH, True, ("shown_ms", "usable_ms")),
    ]
    server = LocalServer(with_floor(app))
    rows: list[Row] = []
    try:
        for name, path, click, keys in views:
            floor = path == FLOOR_PATH
            # a fresh browser per view, so the first visit has an empty HTTP cache
            with _browser() as browser:
                context = browser.new_context(viewport=VIEWPORT)
                visits = [
                    _visit(context, server.url + path, click=click, floor=floor)
                    for _ in range(int(runs) + 1)
                ]
                context.close()
            rows += [_summary(name, path, visits, key) for key in keys]
    finally:
        server.close()
    return {
        "status": "measured",
        "rows": rows,
        "graph_nodes": g.number_of_nodes(),
        "browser": _chromium_version(),
    }


def _chromium_version() -> str:
    import subprocess

    try:
        return subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
