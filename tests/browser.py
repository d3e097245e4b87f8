"""Helpers for the browser tests: a live server, what a page did, waits and screenshots.

The fixtures that use them (``browser``, ``server``, ``page``) are in ``tests/conftest.py``;
a test module may override ``server`` to serve another app (``page`` then uses it).
Chromium is Debian's (``/usr/bin/chromium``), never a downloaded one.
"""

from __future__ import annotations

from pathlib import Path

from bench.pages import CHROMIUM_ARGS as CHROMIUM_ARGS  # re-exported for the browser tests
from bench.pages import LocalServer

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


# One local server class for the browser tests and the bench (bench/pages.py).
Server = LocalServer


class Watch:
    """Everything a page did that a test may want to refuse."""

    def __init__(self, page: object, base: str) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: self.errors.append(str(e)))  # type: ignore[attr-defined]
        page.on("console", self._console)  # type: ignore[attr-defined]
        page.on("response", self._response)  # type: ignore[attr-defined]

        def dialog(d: object) -> None:
            self.dialogs.append(d.message)  # type: ignore[attr-defined]
            d.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", dialog)  # type: ignore[attr-defined]
        self.base = base
        #: Response statuses a test expects (e.g. 400 from a refused console query).
        self.expected: set[int] = set()

    def _console(self, message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        # a failed load is judged by _response (a 404 page is itself a 404 document)
        if message.type == "error" and not text.startswith("Failed to load resource"):  # type: ignore[attr-defined]
            self.errors.append(text)

    def _response(self, response: object) -> None:
        status = response.status  # type: ignore[attr-defined]
        if (
            status >= 400
            and status not in self.expected
            and response.request.resource_type != "document"  # type: ignore[attr-defined]
        ):
            self.errors.append(f"{status} {response.url}")  # type: ignore[attr-defined]

    def outside(self) -> list[str]:
        local = (self.base + "/", "data:", "blob:")
        return [u for u in self.requests if not u.startswith(local)]


def drawn(pg: object) -> int:
    """Wait for the first graph on the page to draw; its node count, read from the page."""
    canvas = pg.locator('[data-role="canvas"][data-drawn="1"]').first  # type: ignore[attr-defined]
    canvas.wait_for(timeout=10_000)
    return int(canvas.get_attribute("data-node-count"))


#: True once the first graph's table twin is open and its rows are built (graph.js builds
#: them on the <details> element's toggle event, which comes a task after the click).
TABLE_BUILT = """() => document.querySelector('[data-role="table"]').open
    && document.querySelector('[data-role="canvas"]').gcxView.tabled"""


def open_table(pg: object) -> None:
    """Open the first graph's table twin, as a user would, and wait for its rows."""
    pg.locator('[data-role="table"] summary').first.click()  # type: ignore[attr-defined]
    pg.wait_for_function(TABLE_BUILT)  # type: ignore[attr-defined]


def node_point(pg: object, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in viewport coordinates (the canvas scrolled into view)."""
    canvas = pg.locator('[data-role="canvas"]').first  # type: ignore[attr-defined]
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    pos = pg.evaluate(  # type: ignore[attr-defined]
        """(id) => {
            const net = document.querySelector('[data-role="canvas"]').gcxNetwork;
            return net.canvasToDOM(net.getPositions([id])[id]);
        }""",
        node_id,
    )
    return box["x"] + pos["x"], box["y"] + pos["y"]


class Held:
    """vis-network's script, held at the network until released: the page runs as on a
    slow connection, and the first picture (graph-first.js) stays until then."""

    def __init__(self, pg: object) -> None:
        self.routes: list[object] = []
        self.released = False
        pg.route(  # type: ignore[attr-defined]
            "**/vis-network.min.js*", self._hold
        )

    def _hold(self, route: object) -> None:
        if self.released:
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.routes.append(route)

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()  # type: ignore[attr-defined]


def first_point(pg: object, node_id: str) -> tuple[float, float]:
    """Where a node of the first picture (graph-first.js) is on screen, with the canvas
    scrolled into view."""
    x, y = pg.evaluate(  # type: ignore[attr-defined]
        """(id) => {
            const el = document.querySelector('[data-role="canvas"]');
            el.scrollIntoView({block: "center"});
            const box = el.getBoundingClientRect(), cam = el.gcxView.first.camera;
            const p = cam.canvasToDOM(cam.getPositions([id])[id]);
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    return float(x), float(y)


def shot(pg: object, name: str) -> None:
    """Save a full-page screenshot as ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


# Every placed label's box in viewport pixels, measured again here: the node's position
# from vis-network (canvas -> DOM), the label's offset from it, and the text's width as
# the browser measures it at the label's font size.
_LABEL_BOXES = """() => {
    const c = document.querySelector('[data-role="canvas"]');
    const net = c.gcxNetwork, ctx = document.createElement('canvas').getContext('2d');
    return (c.gcxLabels || []).map((l) => {
        const p = net.canvasToDOM(net.getPositions([l.id])[l.id]);
        ctx.font = (l.bold ? 'bold ' : '') + l.px + 'px ' + window.gcxLabels.font;
        const w = ctx.measureText(l.text).width + 4;
        return {id: l.id, text: l.text, x0: p.x + l.dx, y0: p.y + l.dy,
                x1: p.x + l.dx + w, y1: p.y + l.dy + l.px * 1.3};
    });
}"""


def label_boxes(pg: object) -> list[dict[str, object]]:
    """The drawn labels of the first graph, each with its box in canvas pixels."""
    return pg.evaluate(_LABEL_BOXES)  # type: ignore[attr-defined, no-any-return]


def overlapping(boxes: list[dict[str, object]]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes intersect."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x0"] < b["x1"]  # type: ignore[operator]
                and b["x0"] < a["x1"]  # type: ignore[operator]
                and a["y0"] < b["y1"]  # type: ignore[operator]
                and b["y0"] < a["y1"]  # type: ignore[operator]
            ):
                out.append((str(a["text"]), str(b["text"])))
    return out


def state(pg: object) -> dict[str, list[str]]:
    """The graph's state as the address's #fragment holds it."""
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(pg.url).fragment)  # type: ignore[attr-defined]


def visible_count(pg: object) -> int:
    return int(pg.locator('[data-role="canvas"]').first.get_attribute("data-node-count"))  # type: ignore[attr-defined]
