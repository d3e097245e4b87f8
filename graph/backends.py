"""Which store to open: the one place that knows both backends.

``graph.store`` holds the interface; the backends import it. Choosing between them lives
here, above both, so that no module of ``graph.store`` imports a backend (no cycles).
"""

from __future__ import annotations

from graph.settings import Settings, load_settings
from graph.store.base import Store
from graph.store.embedded import EmbeddedStore


def open_store(settings: Settings | None = None) -> Store:
    """Open the store the settings name (``GCX_BACKEND``): embedded by default.

    >>> import tempfile, pathlib
    >>> from graph.settings import Settings
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.lbug"
    >>> store = open_store(Settings(db_path=path))
    >>> store.backend
    'embedded'
    """
    settings = settings or load_settings()
    if settings.backend == "neo4j":
        # Imported here, not at the top: the neo4j driver costs ~0.7 s to import and the
        # embedded default (every CLI call, every console worker) never needs it.
        from graph.store.neo4j_store import Neo4jStore

        neo4j_store: Store = Neo4jStore(settings)
        return neo4j_store
    return EmbeddedStore(settings)
