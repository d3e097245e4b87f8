"""How much of the map the loaded data covers, said plainly wherever counts appear."""

from __future__ import annotations

from dataclasses import dataclass

from graph.analyses.addressing import addressing_stats
from graph.data import Snapshot
from graph.store.base import StoreInfo

__all__ = ["Coverage", "coverage", "describe"]


@dataclass(frozen=True)
class Coverage:
    """Challenges loaded against the map's total (from the dataset's ``meta.csv``)."""

    challenges: int
    map_total: int | None

    def to_dict(self) -> dict[str, object]:
        return {"challenges": self.challenges, "map_total": self.map_total, "line": self.line}

    @property
    def line(self) -> str:
        if self.map_total is None:
            return (
                f"{self.challenges} challenges loaded "
                "(the dataset does not say how many the map has)."
            )
        if self.challenges >= self.map_total:
            return f"All {self.map_total} of the map's challenges are loaded."
        pct = round(100 * self.challenges / self.map_total) if self.map_total else 0
        return (
            f"{self.challenges} of the map's {self.map_total} challenges are in the public "
            f"record ({pct}%); the other {self.map_total - self.challenges} load as soon as "
            "you supply them in the same format."
        )


def coverage(info: StoreInfo) -> Coverage:
    """The coverage of a loaded graph.

    >>> from graph.store.base import StoreInfo
    >>> info = StoreInfo("embedded", "v", "t", {"Challenge": 27}, {"map_challenge_count": "104"})
    >>> coverage(info).line[:40]
    "27 of the map's 104 challenges are in th"
    """
    total_text = info.meta.get("map_challenge_count", "").strip()
    total = int(total_text) if total_text.isdigit() else None
    return Coverage(info.counts.get("Challenge", 0), total)


def describe(info: StoreInfo, g: Snapshot | None = None) -> dict[str, object]:
    """The store's version, load time, counts and coverage, ready to serialise as JSON.

    With the snapshot ``g``, also ``addressing``: how many partners, challenges and
    themes the addressing relation reaches, and its links by basis and method
    (:func:`graph.analyses.addressing.addressing_stats`).

    >>> info = StoreInfo("embedded", "v1", "2026-01-01", {"Challenge": 27}, {})
    >>> describe(info)["coverage"]["map_total"] is None
    True
    """
    out: dict[str, object] = {
        "backend": info.backend,
        "version": info.version,
        "loaded_at": info.loaded_at,
        "counts": info.counts,
        "coverage": coverage(info).to_dict(),
    }
    if g is not None:
        out["addressing"] = addressing_stats(g).to_dict()
    return out
