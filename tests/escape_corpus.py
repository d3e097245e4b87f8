"""Escape attempts against the console: families of payloads x wrappings that hide them.

A *family* is one thing an attacker wants (read a file, write one, load native code,
change a setting, break the store, change the graph); a *wrapping* is a way to hide it
from a checker that reads the text differently from the engine (the comment forms of
issue 9, line comments ended by CR or U+2028, quotes of each kind, escaped quotes, a
byte-order mark and Unicode white space, several statements, a UNION ALL tail).

``corpus(out)`` builds every combination; ``out`` is a folder the writing payloads aim at
(it must stay empty). Used by tests/test_escape_corpus.py against ``POST /api/query`` and
``gcx query``, and against the sandbox alone with the parser check switched off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

#: What a reader of /etc/passwd would see in a response (on any Linux).
PASSWD_MARK = "root:x:0:0"


def families(out: Path, secret: Path) -> dict[str, str]:
    """Payload statements by family name. ``secret`` is a file that must stay unread."""
    o = str(out)
    return {
        "load_from_passwd": 'LOAD FROM "/etc/passwd" (file_format="csv", header=false, '
        'delim=":") RETURN *',
        "load_from_secret": f"LOAD FROM '{secret}' (header=false) RETURN *",
        "load_with_headers": f"LOAD WITH HEADERS (a STRING) FROM '{secret}' RETURN *",
        "call_read_csv": f"CALL read_csv('{secret}') RETURN *",
        "copy_to": f"COPY (RETURN 1 AS x) TO '{o}/copied.csv'",
        "copy_from": f"COPY Theme FROM '{secret}'",
        "export_database": f"EXPORT DATABASE '{o}/export'",
        "import_database": f"IMPORT DATABASE '{o}'",
        "install": "INSTALL json",
        "load_extension": f"LOAD EXTENSION '{o}/libx.so'",
        "attach": f"ATTACH '{o}/other.lbug' AS other (dbtype lbug)",
        "setting_timeout": "CALL timeout=1",
        "setting_home": f"CALL home_directory='{o}'",
        "setting_threads": "CALL threads=1",
        "checkpoint": "CHECKPOINT",
        "begin_write": "BEGIN TRANSACTION",
        "create_node": "CREATE (:Theme {id: 'pwned', name: 'pwned'})",
        "set_property": "MATCH (t:Theme) SET t.name = 'pwned'",
        "detach_delete": "MATCH (n) DETACH DELETE n",
        "create_table": "CREATE NODE TABLE Pwned(id STRING PRIMARY KEY)",
        "drop_table": "DROP TABLE Theme",
    }


Wrap = Callable[[str], str]

#: Ways to hide a payload. Each keeps the payload's text intact (or re-spaced).
WRAPPINGS: dict[str, Wrap] = {
    "plain": lambda p: p,
    "lower_case": lambda p: p.split(" ", 1)[0].lower() + p[len(p.split(" ", 1)[0]) :],
    "stars_pair_single": lambda p: f"/* **/ ' */ {p} //'",
    "stars_pair_double": lambda p: f'/* **/ " */ {p} //"',
    "stars_pair_backtick": lambda p: f"/* **/ ` */ {p} //`",
    "four_stars": lambda p: f"/* ****/ ' */ {p} //'",
    "three_stars": lambda p: f"/***/ ' */ {p} //'",
    "slash_star_slash": lambda p: f"/*/ ' /*/ {p} //'",
    "line_comment_cr": lambda p: f"RETURN 1 // x\r{p}",
    "line_comment_u2028": lambda p: f"RETURN 1 // x\u2028{p}",
    "escaped_quote": lambda p: f"RETURN 'a\\' ' AS x; {p} //'",
    "doubled_quote": lambda p: f"RETURN 'a'' ' AS x; {p} //'",
    "bom": lambda p: f"\ufeff{p}",
    "unicode_space": lambda p: "\u3000" + p.replace(" ", "\u3000"),
    "line_separator": lambda p: "\u2028" + p.replace(" ", "\u2028\u00a0"),
    "two_statements": lambda p: f"RETURN 1; {p}",
    "union_all_tail": lambda p: f"RETURN 1 AS x UNION ALL {p}",
}


def corpus(out: Path, secret: Path) -> list[tuple[str, str]]:
    """Every (id, query): each family in each wrapping."""
    return [
        (f"{family}-{wrap}", wrapping(payload))
        for family, payload in families(out, secret).items()
        for wrap, wrapping in WRAPPINGS.items()
    ]
