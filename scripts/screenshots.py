"""Screenshots of the largest graph views, for docs/screenshots/ (issue 13's before/after).

    python scripts/screenshots.py docs/screenshots after

loads the bundled dataset into a temporary embedded database, serves the explorer on
127.0.0.1 and saves, for the five challenge and partner pages with the most nodes in their
network and for the whole graph in Explore, one desktop (1440x900) and one phone (390x844)
picture of the graph section: ``<view>-<size>-<suffix>.png``. Chromium is Debian's.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import CHROMIUM, CHROMIUM_ARGS, LocalServer  # noqa: E402
from graph.backends import open_store  # noqa: E402
from graph.settings import BUNDLED_DATASET, Settings  # noqa: E402
from graph.views import subgraph  # noqa: E402
from loaders import load  # noqa: E402
from web import create_app  # noqa: E402

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def largest_views(g: object, count: int = 5) -> list[tuple[str, str]]:
    """(name, URL path) of the challenge and partner pages whose networks hold most nodes."""
    sizes = []
    for n, a in g.nodes(data=True):  # type: ignore[attr-defined]
        if a["kind"] in ("Challenge", "Partner"):
            sub = subgraph(g, [n], depth=1, evidence=True)  # type: ignore[arg-type]
            sizes.append((-len(sub.nodes), a["kind"], n))
    sizes.sort()
    pages = {"Challenge": "challenges", "Partner": "partners"}
    return [(n, f"/{pages[k]}/{n}") for _, k, n in sizes[:count]]


def main(out: Path, suffix: str) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, open_store(Settings(db_path=Path(tmp) / "g")) as s:
        load(BUNDLED_DATASET, s)
        views = [*largest_views(s.snapshot()), ("whole-graph", "/explore?all=1")]
        server = LocalServer(create_app({"GCX_STORE": s}))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for size, (w, h) in SIZES.items():
                pg = browser.new_page(viewport={"width": w, "height": h})
                for name, path in views:
                    pg.goto(server.url + path)
                    pg.locator('[data-role="canvas"][data-drawn="1"]').first.wait_for()
                    pg.wait_for_timeout(300)
                    section = pg.locator("section.graph").first
                    section.scroll_into_view_if_needed()
                    target = out / f"{name[:40]}-{size}-{suffix}.png"
                    pg.locator(".graph-wrap").first.screenshot(path=str(target))
                    print(target)
                pg.close()
            browser.close()
        server.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
