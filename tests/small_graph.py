"""A small graph whose collaborator rankings, cover and gap scores can be checked by hand.

Partners (sector): a Alpha (Museum), b Bravo (Museum), c Charlie (-), d Delta
(University), e Aardvark (-), f Foxtrot (University), g Golf (funder), h Hotel.

Who addresses what (commitment -> challenge, stated unless said)::

    a: c1, c2        b: c1, c2 (and c1 again through team k3 -> fa3 -> c1)
    c: c2, c3        d: c2        e: c3 (inferred)        f: c5

Focus areas: a and d are on team k2 (works on fa2, which targets nothing); e and h are
on team k (works on fa, which targets nothing; k cites c5, inferred); g funds fa.

Challenges: c1 catalyst (keystone ks corresponds to it, stated), c2 not a catalyst,
c3 unknown, c4 catalyst nobody works on, c5 not a catalyst. Themes: t1 = c1, c2, c5;
t2 = c3, c4.

So 8 partners are active (N = 8), and the weights are::

    c1: 1.5 x ln(1 + 8/2) = 2.41416     c2: ln(1 + 8/4) = 1.09861
    c3: ln(1 + 8/2) = 1.60944 (with inferred)     c5: ln(1 + 8/1) = 2.19722
    fa: ln(1 + 8/3) = 1.29928           fa2: ln(1 + 8/2) = 1.60944
    t1: ln(1 + 8/5) = 0.95551
"""

from __future__ import annotations

from graph.data import Node, Rel, Snapshot, Value, to_networkx
from graph.model import NodeKind as K
from graph.model import RelType as R

PARTNERS = {
    "a": ("Alpha", "Museum"),
    "b": ("Bravo", "Museum"),
    "c": ("Charlie", None),
    "d": ("Delta", "University"),
    "e": ("Aardvark", None),
    "f": ("Foxtrot", "University"),
    "g": ("Golf", None),
    "h": ("Hotel", None),
}

CHALLENGES: dict[str, tuple[str, bool | None]] = {
    "c1": ("One", True),
    "c2": ("Two", False),
    "c3": ("Three", None),
    "c4": ("Four", True),
    "c5": ("Five", False),
}

# (partner, challenge, basis) through one commitment each
COMMITMENTS = [
    ("a", "c1", "stated"),
    ("a", "c2", "stated"),
    ("b", "c1", "stated"),
    ("b", "c2", "stated"),
    ("c", "c2", "stated"),
    ("c", "c3", "stated"),
    ("d", "c2", "stated"),
    ("e", "c3", "inferred"),
    ("f", "c5", "stated"),
]


def _rel(rtype: R, source: str, target: str, basis: str = "stated") -> Rel:
    props: dict[str, Value] = {"basis": basis}
    if basis == "stated":
        props["source_url"] = ["https://example.org/"]
    else:
        props["method"] = "made up for a test"
    return Rel(rtype, source, target, props)


def small_parts() -> tuple[list[Node], list[Rel]]:
    """The nodes and relationships of the small graph."""
    nodes = [Node(K.PARTNER, {"id": p, "name": n, "sector": s}) for p, (n, s) in PARTNERS.items()]
    nodes += [
        Node(K.CHALLENGE, {"id": c, "name": n, "catalyst": cat})
        for c, (n, cat) in CHALLENGES.items()
    ]
    nodes += [
        Node(K.THEME, {"id": "t1", "name": "Theme One", "listed_order": 1}),
        Node(K.THEME, {"id": "t2", "name": "Theme Two", "listed_order": 2}),
        Node(K.KEYSTONE, {"id": "ks", "name": "Keystone", "text": "A keystone"}),
    ]
    nodes += [Node(K.PROJECT_TEAM, {"id": t, "name": f"Team {t}"}) for t in ("k", "k2", "k3")]
    nodes += [Node(K.FOCUS_AREA, {"id": f, "name": f"Focus {f}"}) for f in ("fa", "fa2", "fa3")]
    rels: list[Rel] = []
    for p, c, basis in COMMITMENTS:
        m = f"m-{p}-{c}"
        nodes.append(Node(K.COMMITMENT, {"id": m, "name": m, "text": f"{p} on {c}"}))
        rels.append(_rel(R.MADE, p, m))
        rels.append(_rel(R.ADDRESSES, m, c, basis))
    for c, t in (("c1", "t1"), ("c2", "t1"), ("c5", "t1"), ("c3", "t2"), ("c4", "t2")):
        rels.append(_rel(R.IN_THEME, c, t))
    rels += [
        _rel(R.CORRESPONDS_TO, "ks", "c1"),
        _rel(R.MEMBER_OF, "e", "k"),
        _rel(R.MEMBER_OF, "h", "k"),
        _rel(R.WORKS_ON, "k", "fa"),
        _rel(R.CITES, "k", "c5", "inferred"),
        _rel(R.FUNDS, "g", "fa"),
        _rel(R.MEMBER_OF, "a", "k2"),
        _rel(R.MEMBER_OF, "d", "k2"),
        _rel(R.WORKS_ON, "k2", "fa2"),
        _rel(R.MEMBER_OF, "b", "k3"),
        _rel(R.WORKS_ON, "k3", "fa3"),
        _rel(R.TARGETS, "fa3", "c1"),
    ]
    return nodes, rels


def small_graph(extra: list[Rel] | None = None) -> Snapshot:
    """The small graph as a frozen snapshot (``extra`` relationships added)."""
    import networkx as nx

    nodes, rels = small_parts()
    return nx.freeze(to_networkx(nodes, rels + (extra or [])))


def rel(rtype: R, source: str, target: str, basis: str = "stated") -> Rel:
    """A relationship with the properties its basis requires."""
    return _rel(rtype, source, target, basis)
