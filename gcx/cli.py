"""``gcx``: the command line of the Grand Challenges explorer.

Exit codes: 0 done; 1 the input has problems (each printed as ``file:line: message``);
2 wrong usage; 3 the graph database is unavailable (unreachable, refused the login, or
failed); 4 the query was refused or failed; 5 the database is reachable but no graph is
loaded yet; 6 the database's own limits (memory, time) stopped a load; 7 another
``gcx load`` is writing the same embedded store (it stops at once and changes nothing).

3 and 5 differ so a script can tell "load now" from "wait and try again":
``gcx load --if-empty`` does that in one step, and never replaces a graph.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from graph import (
    NODE_KINDS,
    REL_TYPES,
    GraphAlreadyLoaded,
    GraphNotLoaded,
    GraphUnavailable,
    LoadBusy,
    LoadLimitExceeded,
    QueryError,
    QueryRefused,
    QueryResult,
    Settings,
    Snapshot,
    Store,
    addressing_stats,
    coverage,
    load_settings,
    open_store,
    run_checks,
)
from graph.analyses import csv_safe, describe, write_export
from loaders import DatasetError, load, read_dataset, write_review

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_UNAVAILABLE, EXIT_QUERY = 0, 1, 2, 3, 4
EXIT_NOT_LOADED, EXIT_LOAD_LIMIT = 5, 6
#: ``gcx load`` found another load writing the same embedded store (nothing was changed).
EXIT_BUSY = 7
#: The reader of standard output went away (``gcx query ... | head``): the shell's code
#: for a process ended by SIGPIPE (128 + 13).
EXIT_PIPE = 141
#: Threads per gunicorn worker under ``gcx serve --prod``.
GUNICORN_THREADS = 8

#: What ``gcx`` prints (on standard error) and returns for each failure a command may
#: raise; the first row whose class matches wins, so subclasses come before their bases.
_FAILURES: tuple[tuple[type[Exception], str, int], ...] = (
    (LoadLimitExceeded, "gcx load: {exc}", EXIT_LOAD_LIMIT),
    (QueryRefused, "gcx: refused: {exc}", EXIT_QUERY),
    (QueryError, "gcx: query failed: {exc}", EXIT_QUERY),
    (LoadBusy, "gcx: {exc}", EXIT_BUSY),
    (GraphNotLoaded, "gcx: {exc}", EXIT_NOT_LOADED),
    (GraphUnavailable, "gcx: graph database unavailable ({db}): {exc}", EXIT_UNAVAILABLE),
)
_FAILURE_CLASSES = tuple(cls for cls, _, _ in _FAILURES)


def _print_counts(counts: dict[str, int], out: TextIO) -> None:
    width = max(len(k) for k in counts)
    print("Nodes", file=out)
    for kind in NODE_KINDS:
        print(f"  {kind.value:<{width}}  {counts.get(kind.value, 0):>7,}", file=out)
    print("Relationships", file=out)
    for rtype in REL_TYPES:
        print(f"  {rtype.value:<{width}}  {counts.get(rtype.value, 0):>7,}", file=out)


def _already_loaded(store: Store, out: TextIO) -> bool:
    """True (and says so) when ``store`` holds a graph; False when none is loaded yet."""
    try:
        info = store.info()
    except GraphNotLoaded:
        return False
    print(
        f"The {info.backend} store already holds a graph (version {info.version}, loaded "
        f"{info.loaded_at}): nothing was loaded.",
        file=out,
    )
    return True


def _snapshot(settings: Settings) -> Snapshot:
    """The loaded graph, read once through a store opened (and closed) for it."""
    with open_store(settings) as store:
        return store.snapshot()


def cmd_load(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    folder = Path(args.dir) if args.dir else settings.dataset
    suggestions = Path(args.suggestions) if args.suggestions else None
    store = open_store(settings)
    try:
        if args.if_empty and _already_loaded(store, out):
            return EXIT_OK
        report = load(folder, store, suggestions=suggestions, if_empty=args.if_empty)
    except GraphAlreadyLoaded as exc:  # another load got there between the check and ours
        print(f"{exc}; nothing was loaded.", file=out)
        return EXIT_OK
    except DatasetError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        where = f"{folder} or {suggestions}" if suggestions else str(folder)
        print(
            f"gcx load: {len(exc.problems)} problem(s) in {where}; nothing was loaded, "
            "the graph is unchanged.",
            file=sys.stderr,
        )
        return EXIT_INPUT
    finally:
        store.close()
    info = report.info
    print(f"Loaded {folder} into the {info.backend} store (version {info.version}).", file=out)
    _print_counts(info.counts, out)
    print(coverage(info).line, file=out)
    if report.review is not None:
        r = report.review
        print(
            f"Suggestions: {r.accepted} accepted ({len(r.rels)} loaded as inferred ADDRESSES "
            f"links, {len(r.already_linked)} already linked), {r.rejected} rejected, "
            f"{r.undecided} undecided.",
            file=out,
        )
    print(
        f"{report.rows:,} rows: validated in {report.validate_s:.2f} s, "
        f"written in {report.write_s:.2f} s.",
        file=out,
    )
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with open_store(settings) as store:
        info = store.info()
        g = store.snapshot()
    cov = coverage(info)
    if args.format == "json":
        payload = describe(info, g)
        json.dump(payload, out, indent=2)
        print(file=out)
        return EXIT_OK
    print(f"{info.backend} store, version {info.version}, loaded {info.loaded_at}", file=out)
    _print_counts(info.counts, out)
    print(cov.line, file=out)
    print(addressing_stats(g).line, file=out)
    return EXIT_OK


def _parse_param(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--param takes NAME=VALUE, not {text!r}")
    name, raw = text.split("=", 1)
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw  # not JSON: a plain string
    return name.strip(), value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _print_result(result: QueryResult, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(
            {
                "columns": result.columns,
                "rows": result.rows,
                "truncated": result.truncated,
                "notice": result.notice or None,
                "elapsed_ms": round(result.elapsed_ms, 1),
            },
            out,
            indent=2,
            ensure_ascii=False,
        )
        print(file=out)
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([csv_safe(c) for c in result.columns])
        for row in result.rows:
            writer.writerow([csv_safe(_cell(v)) for v in row])
        return
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [
        min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(result.columns)
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for v, w in zip(values, widths, strict=True):
            parts.append((v if len(v) <= w else v[: w - 1] + "…").ljust(w))
        return " | ".join(parts).rstrip()

    print(line(result.columns), file=out)
    print("-+-".join("-" * w for w in widths), file=out)
    for row in cells:
        print(line(row), file=out)
    note = f"{len(result.rows)} row(s) in {result.elapsed_ms:.0f} ms"
    if result.truncated:
        note += f"; truncated at {len(result.rows)} rows (raise --max-rows, or narrow the query)"
    if result.notice:
        note += f"; {result.notice}"
    print(note, file=out)


def cmd_query(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    params = dict(args.param or [])
    store: Store
    with open_store(settings) as store:
        result = store.query(args.cypher, params, timeout_s=args.timeout, max_rows=args.max_rows)
    _print_result(result, args.format, out)
    return EXIT_OK


def _suggest_text(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from graph.analyses.suggest import ABSTAIN_BELOW, Matcher  # bm25s loads only when needed

    text = sys.stdin.read() if args.text == "-" else args.text
    g = _snapshot(settings)
    matcher = Matcher(g)
    found = matcher.rank(text, top=args.top)
    if args.format == "json":
        print(json.dumps([m.to_dict() for m in found], ensure_ascii=False), file=out)
        return EXIT_OK
    if not found:
        print(
            "No challenge or theme on the map matches this text closely enough "
            f"(every score is below {ABSTAIN_BELOW[matcher.method]}): nothing to suggest.",
            file=out,
        )
        return EXIT_OK
    width = max(len(m.kind) for m in found)
    for m in found:
        print(f"{m.score:8.3f}  {m.kind:<{width}}  {m.name} ({m.id})", file=out)
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.text is not None:
        if args.output is not None or args.force:
            print(
                "gcx suggest: --text prints its answer; drop --output and --force.", file=sys.stderr
            )
            return EXIT_USAGE
        return _suggest_text(args, settings, out)
    if args.format is not None:
        print("gcx suggest: --format goes with --text.", file=sys.stderr)
        return EXIT_USAGE
    from graph.analyses.suggest import suggest  # bm25s loads only when needed

    output = args.output or "review.csv"
    target = Path(output)
    if output != "-" and target.exists() and not args.force:
        print(
            f"gcx suggest: {target} exists (it may hold a reviewer's decisions); "
            "use --force to overwrite it, or choose another --output.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    g = _snapshot(settings)
    found = suggest(g, top=args.top)
    if output == "-":
        n = write_review(found, out)
        return EXIT_OK
    with target.open("w", encoding="utf-8", newline="") as fh:
        n = write_review(found, fh)
    commitments = len({s.commitment for s in found})
    total = sum(1 for a in g.nodes.values() if a.get("kind") == "Commitment")
    print(
        f"Wrote {n} suggestions for {commitments} of {total} commitments to {target}; the "
        f"other {total - commitments} match nothing on the map closely enough. Put accept or "
        f"reject in the decision column, then: gcx load --suggestions {target}",
        file=out,
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    g = _snapshot(settings)
    written = write_export(g, args.format, Path(args.output))
    for path in written:
        print(f"Wrote {path} ({path.stat().st_size:,} bytes).", file=out)
    print(f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships.", file=out)
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    sample = read_dataset(settings.dataset)
    with open_store(settings) as store:
        checks = run_checks(store, sample)
    for check in checks:
        print(f"{check.status:<4}  {check.name}: {check.detail}", file=out)
    failed = [c.name for c in checks if c.status == "fail"]
    if failed:
        print(f"Failed: {', '.join(failed)}.", file=out)
        return EXIT_UNAVAILABLE
    warned = sum(c.status == "warn" for c in checks)
    print(
        f"No check failed ({warned} to read: warn)." if warned else "All checks passed.", file=out
    )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/"
    try:
        with open_store(settings) as store:
            store.info()
    except GraphUnavailable as exc:
        print(f"gcx serve: {exc} (the explorer picks up a load without a restart)", file=out)
    if args.prod:
        # Several worker processes, each opening the store read-only on its first request.
        print(f"Serving the explorer at {url} with gunicorn, {args.workers} workers.", file=out)
        out.flush()
        # Threaded workers: a console query holds one thread, never a whole worker, so
        # pages are served while queries run (the console's own cap answers 503 at once).
        argv = [
            sys.executable, "-m", "gunicorn", "--workers", str(args.workers),
            "--worker-class", "gthread", "--threads", str(GUNICORN_THREADS),
            "--bind", f"{args.host}:{args.port}", "--access-logfile", "-", "web:create_app()",
        ]  # fmt: skip
        os.execv(sys.executable, argv)  # noqa: S606 - a fixed argv, no shell
    # Imported here: Flask and the explorer load only for the one command that serves them.
    from web import create_app

    app = create_app({"GCX_SETTINGS": settings, "GCX_WARM": True})
    print(f"Serving the explorer at {url} (Flask's server; Ctrl+C stops it).", file=out)
    out.flush()
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False)
    return EXIT_OK


def _whole_number(text: str, low: int, high: int, what: str, bounds: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, not {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"expected {bounds}, not {value}")
    return value


def _port(text: str) -> int:
    return _whole_number(text, 0, 65535, "a port number", "a port from 0 to 65535")


def _positive(text: str) -> int:
    return _whole_number(text, 1, 1000, "a whole number", "1 to 1000")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gcx",
        description="The 100Kin10 Grand Challenges map as a knowledge graph.",
        epilog="Settings come from the environment (GCX_BACKEND, GCX_DB_PATH, NEO4J_URI, ...); "
        "see .env.example.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("load", help="validate a dataset folder and load it (all or nothing)")
    p.add_argument("dir", nargs="?", help="dataset folder (default: the bundled dataset)")
    p.add_argument(
        "--suggestions",
        metavar="REVIEW.csv",
        help="a reviewed `gcx suggest` file: load its accepted rows as inferred links",
    )
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the store holds no graph yet; never replace one (first start)",
    )
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("stats", help="counts per label and relationship type, and coverage")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("query", help="run a read-only Cypher query and print the result")
    p.add_argument("cypher", help="the Cypher query (read-only; writes are refused)")
    p.add_argument(
        "--param",
        action="append",
        type=_parse_param,
        metavar="NAME=VALUE",
        help="a query parameter ($NAME); VALUE is JSON, or else a string (repeatable)",
    )
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--timeout", type=float, default=None, help="seconds (default 5)")
    p.add_argument("--max-rows", type=int, default=None, help="row cap (default 1000)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser(
        "suggest",
        help="rank the map's challenges and themes for a text, or suggest commitment -> "
        "challenge links for review",
    )
    p.add_argument(
        "--text",
        help="rank the challenges and themes for this text ('-': read standard input); "
        "an empty answer means nothing on the map matches closely enough",
    )
    p.add_argument("--format", choices=("table", "json"), default=None, help="with --text (table)")
    p.add_argument("--output", help="review CSV to write (default review.csv; '-': stdout)")
    p.add_argument("--top", type=_positive, default=3, help="suggestions per text (3)")
    p.add_argument("--force", action="store_true", help="overwrite an existing --output")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("export", help="export the whole graph (GraphML, GEXF, CSV or JSON)")
    p.add_argument("--format", choices=("graphml", "gexf", "csv", "json"), required=True)
    p.add_argument(
        "--output",
        required=True,
        help="file to write; for csv a folder (nodes.csv, edges.csv) or a .zip",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "doctor",
        help="first-contact checklist: connectivity, version, constraints, a timed sample "
        "load (rolled back), the user's roles, the console's time limit",
    )
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("serve", help="run the web explorer (gunicorn with --prod)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=_port, default=5000, help="port to listen on (5000)")
    p.add_argument("--prod", action="store_true", help="run gunicorn with several workers")
    p.add_argument("--workers", type=_positive, default=4, help="gunicorn workers (4)")
    p.set_defaults(func=cmd_serve)
    return parser


def _reader_gone(out: TextIO) -> int:
    """Stop quietly when the reader of ``out`` went away, as command-line tools do.

    ``out`` is pointed at /dev/null, so that the interpreter's last flush of what is still
    buffered does not fail again (and print a traceback) on the way out.
    """
    try:
        fd = out.fileno()
    except (OSError, ValueError):  # not a file (a test's StringIO)
        return EXIT_PIPE
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
    return EXIT_PIPE


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = out or sys.stdout
    try:
        settings = load_settings()
    except ValueError as exc:
        print(f"gcx: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.func(args, settings, out)
        out.flush()  # here, where a reader that went away is answered below
        return code
    except BrokenPipeError:
        return _reader_gone(out)
    except _FAILURE_CLASSES as exc:
        # The first row whose class matches, as an except chain in that order would pick.
        message, exit_code = next((m, c) for cls, m, c in _FAILURES if isinstance(exc, cls))
        print(message.format(exc=exc, db=settings.db_path), file=sys.stderr)
        return exit_code


if __name__ == "__main__":
    raise SystemExit(main())
