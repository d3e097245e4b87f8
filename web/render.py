"""Shared view helpers: node links, subgraph arguments, graph payloads, page-and-twin routes.

Every interactive graph on a page, ``/api/subgraph`` and the "Download as HTML" export
read the same arguments (:func:`subgraph_args`) and build the same payload
(:func:`graph_payload`), so a graph's URL always reproduces its picture. Node links come
from one place (:func:`node_url`, after ``graph.views.KINDS``), handed to ``graph`` as its
``link`` callback. A list page and its ``/api`` twin are served from one view model by
:func:`serve_with_twin`.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, get_template_attribute, jsonify, render_template, url_for
from flask import g as flask_g
from markupsafe import Markup
from werkzeug.wrappers import Response

from graph import LIMITS, Snapshot
from graph.views import KIND_ORDER, KINDS, Link, SubgraphRequest, draw
from web.params import get_bool, get_int, get_list, ordered

__all__ = [
    "VIS_DIR",
    "graph_block",
    "graph_json",
    "graph_payload",
    "linked",
    "node_linker",
    "node_url",
    "serve_with_twin",
    "subgraph_args",
]


def _pyvis_dir() -> Path:
    # find the package without importing it (importing pyvis pulls in IPython)
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise RuntimeError("the pyvis package is missing: it ships the vis-network we serve")
    return Path(spec.origin).resolve().parent


#: vis-network 9.1.2 as shipped inside pyvis: no CDN, works offline (served by
#: ``web/assets.py``, inlined by the HTML export).
VIS_DIR = _pyvis_dir() / "lib" / "vis-9.1.2"


#: Characters a URL path carries as they are (RFC 3986 "unreserved"): no quoting needed.
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


def node_url(kind: str, node_id: str) -> str:
    """The page of a node: ``/<area>/<id>`` of its kind (``graph.views.KINDS``).

    Each kind's route is built by ``url_for`` once per request and an id that needs no
    quoting is appended to it: ``url_for`` per node was 45% of a whole-graph view, and
    the busiest partner's page (its evidence paths link 550 nodes) fell from 31.6 to
    24.9 ms with this (medians of four alternated runs of 30 requests).
    """
    style = KINDS.get(kind)
    endpoint = f"{style.area if style else 'nodes'}.show"
    if not _UNRESERVED.fullmatch(node_id):
        return url_for(endpoint, node_id=node_id)
    prefixes: dict[str, str] = flask_g.setdefault("gcx_node_url_prefixes", {})
    prefix = prefixes.get(endpoint)
    if prefix is None:
        prefix = prefixes[endpoint] = url_for(endpoint, node_id="_")[:-1]
    return prefix + node_id


def linked(item: Mapping[str, Any]) -> dict[str, Any]:
    """A node's card (``id``, ``kind``, ...) with its page URL, for JSON answers."""
    return {**item, "url": node_url(str(item["kind"]), str(item["id"]))}


def node_linker() -> Link:
    """:func:`node_url`, as the ``link`` a view's payload takes (``graph.views.to_vis``)."""
    return node_url


def subgraph_args(*, default_depth: int = 1) -> SubgraphRequest:
    """Parse ``center``, ``depth``, ``kinds``, ``inferred``, ``cap``, ``evidence``."""
    kinds = get_list("kinds", choices=KIND_ORDER)
    return SubgraphRequest(
        centers=tuple(get_list("center")),
        depth=get_int("depth", default_depth, 1, LIMITS.subgraph_depth),
        kinds=tuple(ordered(kinds, KIND_ORDER)),
        inferred=bool(get_bool("inferred", True)),
        cap=get_int("cap", 0, 1, LIMITS.subgraph_nodes) or None,
        evidence=bool(get_bool("evidence", False)),
    )


@lru_cache(maxsize=64)
def graph_payload(g: Snapshot, args: SubgraphRequest) -> dict[str, Any]:
    """The vis-network payload of a subgraph, with each node's page URL and the legend.

    Cached per (snapshot, arguments): a snapshot is frozen, so the same request gives the
    same payload; the dict is shared between requests, so callers must not change it.
    """
    return draw(g, args, link=node_linker())


@lru_cache(maxsize=64)
def graph_json(g: Snapshot, args: SubgraphRequest) -> bytes:
    """:func:`graph_payload` as JSON bytes (what ``/api/subgraph`` sends), cached likewise."""
    return json.dumps(graph_payload(g, args), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


@lru_cache(maxsize=64)
def graph_block(
    g: Snapshot, args: SubgraphRequest, heading: str, *, explore_link: bool = True
) -> Markup:
    """The rendered graph section of a page (picture, legend, table twin), cached likewise.

    The section depends only on the snapshot and the arguments; rendering its table twin
    and JSON for a few hundred nodes is most of a page's time, so it is done once.
    """
    macro = get_template_attribute("macros.html", "graph_block")
    return Markup(macro(graph_payload(g, args), heading, explore_link=explore_link))  # noqa: S704 - the macro's own autoescaped output


def serve_with_twin(
    bp: Blueprint,
    page: str,
    template: str,
    view: Callable[[], dict[str, Any]],
    api: str,
    to_json: Callable[[dict[str, Any]], Mapping[str, Any]],
    **page_extra: Any,
) -> None:
    """Route ``page`` (the area's ``index``: ``template`` over ``view()`` and
    ``page_extra``) and its JSON twin ``api`` (``api_index``: ``to_json`` of ``view()``).

    Both read the request through the one ``view``, so the page and its twin take the
    same arguments with the same defaults and bounds.
    """

    def index() -> str:
        return render_template(template, **page_extra, **view())

    def api_index() -> Response:
        return jsonify(to_json(view()))

    bp.add_url_rule(page, "index", index, strict_slashes=False)
    bp.add_url_rule(api, "api_index", api_index)
