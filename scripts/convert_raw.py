"""Convert the raw public-record harvest into the project's canonical CSV dataset.

Usage::

    python scripts/convert_raw.py RAW_DIR [OUT_DIR]

RAW_DIR holds the one-off harvest (challenges.json, themes.json, catalysts.json,
partners.json, links.json, seed_beyond100k_commitments.json). OUT_DIR defaults to
``data/grand-challenges``. The product never reads RAW_DIR at run time; this script is
kept so the conversion can be repeated and reviewed. Text is copied verbatim; every row
keeps its provenance; nothing is invented. Where the harvest matched a challenge by
wording, the relationship is written with ``basis=inferred`` and the matching note as its
``method``.

Two files of the dataset are kept by hand, not converted: ``curation.csv`` (the links
judged item by item) and ``sectors.csv`` (each partner's sector); see
``docs/data-format.md``. This script never writes them (:data:`HAND_KEPT`).

A commitment's ``name`` is a short title made from its own text (:func:`short_title`);
the heading it was listed under stays in ``label``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.model import NODE_KINDS, REL_PROPERTIES, Column, NodeKind, Property
from loaders.writer import cell_text, write_csv

#: Dataset files kept by hand (the conversion leaves them alone).
HAND_KEPT = ("curation.csv", "sectors.csv")
TITLE_MAX = 72
SEED_SOURCE = "client document: Beyond100K partner commitments listing, entries L-N"

Row = dict[str, Any]


_LEAD = re.compile(
    r"^(?:By \d{4},|Over the (?:next|past) [\w ~]+?,|As part of 100Kin10,|In the past year,)\s*"
)
_SUBJECT = re.compile(
    r"^(?:[^,.;:]{1,80}?\s)?(?:is committed to|has committed to|commits? to|is making|"
    r"aims to|has plans to|will)\s+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"^[^,.;:]{1,60}?['\u2019\u2018]s commitment (?:to|includes)\s+")
_DANGLING = {"a", "an", "and", "the", "of", "in", "for", "to", "with", "on", "that", "our"}
#: Where a long title may be cut: before these words, or at a comma.
_CUTS = re.compile(r",\s| (?=by |through |who |that |to |with |in order |across |from )")


def short_title(text: str) -> str:
    """A short title from a commitment's own words: its first clause, boilerplate off.

    >>> short_title("By 2027, the Math Circle Network will provide professional development.")
    'Provide professional development'
    >>> short_title("Will prepare 130 science teachers for high-need schools by 2015; each")
    'Prepare 130 science teachers for high-need schools by 2015'
    """
    words = " ".join(text.replace("\u201c", "").replace("\u201d", "").replace('"', "").split())
    first = re.split(r"[.;:](?=\s+[A-Z0-9]|\s*$)", words, maxsplit=1)[0]
    first = _LEAD.sub("", first)
    for pattern in (_POSSESSIVE, _SUBJECT):
        stripped = pattern.sub("", first, count=1)
        if stripped != first and len(stripped) >= 12:
            first = stripped
            break
    first = first.strip(" ,;:.")
    if len(first) > TITLE_MAX:
        cuts = [m.start() for m in _CUTS.finditer(first, 0, TITLE_MAX) if m.start() >= 40]
        end = cuts[-1] if cuts else first[:TITLE_MAX].rfind(" ")
        kept = first[:end].rstrip(" ,;:-").split(" ")
        while len(kept) > 3 and kept[-1].lower() in _DANGLING:
            kept.pop()
        first = " ".join(kept).rstrip(" ,;:-") + "\u2026"
    return first[:1].upper() + first[1:]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def norm_name(name: str) -> str:
    """The harvest's own merge rule: case, '&'/'and' and a leading 'The' only."""
    n = name.lower().replace("&", "and")
    n = re.sub(r"^the\s+", "", n)
    return re.sub(r"\s+", " ", n).strip()


class Builder:
    def __init__(self) -> None:
        self.nodes: dict[NodeKind, dict[str, Row]] = defaultdict(dict)
        self.rels: list[Row] = []
        self._rel_keys: set[tuple[str, str, str]] = set()

    def node(self, kind: NodeKind, row: Row) -> str:
        nid = row["id"]
        for k, existing in self.nodes.items():
            if nid in existing and k != kind:
                raise SystemExit(f"id {nid!r} used by {k} and {kind}")
        if nid in self.nodes[kind]:
            old = self.nodes[kind][nid]
            for url in row.get("source_url", []):
                if url not in old["source_url"]:
                    old["source_url"].append(url)
            return nid
        self.nodes[kind][nid] = row
        return nid

    def rel(
        self,
        rtype: str,
        source: str,
        target: str,
        basis: str,
        source_url: list[str] | None = None,
        method: str | None = None,
        evidence: str | None = None,
    ) -> None:
        key = (rtype, source, target)
        if key in self._rel_keys:
            for r in self.rels:
                if (r["type"], r["source"], r["target"]) == key:
                    for url in source_url or []:
                        if url not in r["source_url"]:
                            r["source_url"].append(url)
            return
        self._rel_keys.add(key)
        self.rels.append(
            {
                "type": rtype,
                "source": source,
                "target": target,
                "basis": basis,
                "source_url": list(source_url or []),
                "method": method,
                "evidence": evidence,
                "score": None,
                "weight": None,
            }
        )


def load(raw: Path, name: str) -> Any:
    return json.loads((raw / name).read_text(encoding="utf-8"))


def convert(raw: Path) -> Builder:
    b = Builder()
    challenges = load(raw, "challenges.json")
    themes = load(raw, "themes.json")
    catalysts = load(raw, "catalysts.json")
    partners = load(raw, "partners.json")
    links = load(raw, "links.json")
    seed = load(raw, "seed_beyond100k_commitments.json")

    # Themes
    theme_ids: dict[str, str] = {}
    for t in themes["themes"]:
        tid = "theme-" + slugify(t["name"])
        theme_ids[t["name"]] = tid
        b.node(
            NodeKind.THEME,
            {
                "id": tid,
                "name": t["name"],
                "question": t["question"],
                "description": t["description"],
                "listed_order": t["listed_order"],
                "url": t["url"],
                "source_url": list(t["source_urls"]),
            },
        )

    # Challenges with a page
    resources: dict[str, Row] = {}

    def resource(item: Row, about: str, page_url: str, kind: str = "progress_item") -> None:
        rid = "resource-" + slugify(item["title"])[:80]
        if rid not in resources:
            resources[rid] = {
                "id": rid,
                "name": item["title"],
                "title": item["title"],
                "date": item.get("date"),
                "url": item.get("url"),
                "summary": item.get("summary"),
                "resource_type": kind,
                "source_url": [page_url],
            }
        elif page_url not in resources[rid]["source_url"]:
            resources[rid]["source_url"].append(page_url)
        b.rel("ABOUT", rid, about, "stated", [page_url], evidence=None)

    for c in challenges:
        notes = " ".join(c.get("notes") or []) or None
        name = c["short_title"] or c["full_challenge"]
        if not name:
            # The stored page text starts after its title: the page's URL is all that
            # names it, so read the URL's words (and say so).
            name = c["slug"].replace("-", " ")
            notes = f"{notes} " if notes else ""
            notes += "The name is the page URL's words: the stored text has no title."
        b.node(
            NodeKind.CHALLENGE,
            {
                "id": c["slug"],
                "name": name,
                "statement": c["full_challenge"],
                "description": c["description"],
                "catalyst": c["catalyst"],
                "catalyst_basis": c["catalyst_basis"],
                "has_page": True,
                "tags_complete": c["tags_header_complete"],
                "url": c["url"],
                "notes": notes,
                "source_url": list(c["source_urls"]),
            },
        )
        for tag in c["tags"] or []:
            b.rel(
                "IN_THEME",
                c["slug"],
                theme_ids[tag],
                "stated",
                [c["url"]],
                evidence=f"The challenge page shows the theme tag '{tag}'.",
            )
        for item in c["progress_items"]:
            resource(item, c["slug"], c["url"])

    for t in themes["themes"]:
        for item in t["progress_items"]:
            resource(item, theme_ids[t["name"]], t["url"])

    # Catalysts known by name only
    name_only: dict[str, str] = {}
    for cat in catalysts["catalyst_challenges"]:
        if cat["has_challenge_page"]:
            continue
        cid = "catalyst-" + slugify(cat["name"])
        name_only[cat["name"].lower()] = cid
        b.node(
            NodeKind.CHALLENGE,
            {
                "id": cid,
                "name": cat["name"],
                "statement": cat["full_challenge"],
                "description": None,
                "catalyst": True,
                "catalyst_basis": f"named as a catalyst: {cat['evidence']}",
                "has_page": False,
                "tags_complete": False,
                "url": None,
                "notes": cat.get("note"),
                "source_url": list(cat["source_urls"]),
            },
        )

    # Focus areas
    fa_ids: dict[str, str] = {}
    for fa in catalysts["focus_areas"]:
        fid = "focus-area-" + fa["url"].rstrip("/").rsplit("/", 1)[-1]
        fa_ids[fa["name"].lower()] = fid
        b.node(
            NodeKind.FOCUS_AREA,
            {
                "id": fid,
                "name": fa["name"],
                "year": int(fa["year_announced"]),
                "label": fa["catalysts_page_label"],
                "url": fa["url"],
                "network_stats": list(fa["network_stats"]),
                "notes": fa.get("notes"),
                "source_url": list(fa["source_urls"]),
            },
        )
        for report in fa["reports"]:
            resource({"title": report}, fid, fa["url"], kind="report")

    def focus_area_id(label: str) -> str:
        key = label.lower().split(" (", 1)[0].strip()
        return fa_ids[key]

    # Keystones
    for i, k in enumerate(catalysts["beyond100k_keystones"], start=1):
        kid = f"keystone-{i}"
        b.node(
            NodeKind.KEYSTONE,
            {"id": kid, "name": k["text"], "text": k["text"], "source_url": list(k["source_urls"])},
        )
        targets = list(k["possible_challenge_slugs"])
        if not targets and "state course requirements" in k["mapping_basis"]:
            targets = [name_only["state course requirements for stem in high schools"]]
        for slug in targets:
            b.rel(
                "CORRESPONDS_TO", kid, slug, "inferred", k["source_urls"], method=k["mapping_basis"]
            )

    # Partners (harvest), then the seed list merged by exact normalised name
    partner_by_name: dict[str, str] = {}
    commitment_no: dict[str, int] = defaultdict(int)

    def add_commitment(
        pid: str,
        text: str,
        era: str,
        label: str | None,
        sources: list[str],
        date: str | None = None,
        notes: str | None = None,
    ) -> None:
        commitment_no[pid] += 1
        cid = f"commitment-{pid}-{commitment_no[pid]}"
        title = short_title(text)
        b.node(
            NodeKind.COMMITMENT,
            {
                "id": cid,
                "name": title,
                "title": title,
                "text": text,
                "era": era,
                "label": label,
                "date": date,
                "notes": notes,
                "source_url": sources,
            },
        )
        b.rel("MADE", pid, cid, "stated", sources)

    for p in partners:
        pid = p["id"]
        for n in [p["name"], *p["name_variants"]]:
            partner_by_name[norm_name(n)] = pid
        b.node(
            NodeKind.PARTNER,
            {
                "id": pid,
                "name": p["name"],
                "name_variants": list(p["name_variants"]),
                "sector": p["sector"],
                "location": p["location"],
                "website": p["website"],
                "description": "\n\n".join(d["text"] for d in p["descriptions"]) or None,
                "roles": list(p["roles"]),
                "explicitly_called_partner": p["explicitly_called_partner"],
                "possible_same_as": list(p.get("possible_same_as") or []),
                "source_url": list(p["source_urls"])
                + [
                    d["source_url"]
                    for d in p["descriptions"]
                    if d["source_url"] not in p["source_urls"]
                ],
            },
        )
        for c in p["commitments"]:
            notes = "; ".join(f"{k}: {c[k]}" for k in ("completeness", "note") if c.get(k)) or None
            for item in c["items"]:
                add_commitment(
                    pid, item, c["era"], c["label"], [c["source_url"]], c.get("date_shown"), notes
                )
            for item in c.get("additional_intentions") or []:
                add_commitment(
                    pid,
                    item,
                    c["era"],
                    c["additional_intentions_label"],
                    [c["source_url"]],
                    c.get("date_shown"),
                    notes,
                )

    for s in seed:
        key = norm_name(s["organization"])
        pid = partner_by_name.get(key)
        if pid is None:
            pid = slugify(s["organization"])
            partner_by_name[key] = pid
            b.node(
                NodeKind.PARTNER,
                {
                    "id": pid,
                    "name": s["organization"],
                    "name_variants": [],
                    "sector": None,
                    "location": None,
                    "website": None,
                    "description": None,
                    "roles": ["Beyond100K partner (listed in the partner commitments listing)"],
                    "explicitly_called_partner": True,
                    "possible_same_as": [],
                    "source_url": [SEED_SOURCE],
                },
            )
        else:
            row = b.nodes[NodeKind.PARTNER][pid]
            if SEED_SOURCE not in row["source_url"]:
                row["source_url"].append(SEED_SOURCE)
        if not s["statement_pending"] and s["paragraphs"]:
            add_commitment(pid, "\n\n".join(s["paragraphs"]), s["era"], None, [SEED_SOURCE])

    def org(name: str) -> str:
        return partner_by_name[norm_name(name)]

    # Project teams: grouped by their name (before any phase suffix), known by their URLs
    team_by_url: dict[str, str] = {}
    team_by_name: dict[str, str] = {}
    for link in links:
        if not link.get("project_team"):
            continue
        name = link["project_team"]
        tid = "team-" + slugify(name.replace("100Kin10 Project Team:", ""))
        team_by_name[link["project_team"]] = tid
        if link.get("project_team_url"):
            team_by_url.setdefault(link["project_team_url"], tid)
        year = re.search(r"\((\d{4})", name)
        b.node(
            NodeKind.PROJECT_TEAM,
            {
                "id": tid,
                "name": name,
                "year": int(year.group(1)) if year else None,
                "url": link.get("project_team_url"),
                "contact": None,
                "source_url": [
                    u for u in (link.get("project_team_url"), *link["source_urls"]) if u
                ],
            },
        )
    for team in b.nodes[NodeKind.PROJECT_TEAM].values():
        team["source_url"] = list(dict.fromkeys(team["source_url"]))
        urls = [u for u in team["source_url"] if "grandchallenges.100kin10.org" in u]
        if urls and "grandchallenges.100kin10.org" not in (team["url"] or ""):
            team["url"] = urls[0]

    def team(link: Row) -> str:
        if link.get("project_team_url"):
            return team_by_url[link["project_team_url"]]
        return team_by_name[link["project_team"]]

    # Stated links
    activities: dict[str, Row] = {}

    def activity(
        kind: str, key: str, name: str, text: str | None, event: str | None, link: Row
    ) -> str:
        aid = "activity-" + slugify(f"{kind} {key}")[:90]
        if aid not in activities:
            activities[aid] = {
                "id": aid,
                "name": name,
                "activity_type": kind,
                "text": text,
                "event": event,
                "notes": link.get("note") or link.get("mapping_basis"),
                "source_url": list(link["source_urls"]),
            }
        else:
            for u in link["source_urls"]:
                if u not in activities[aid]["source_url"]:
                    activities[aid]["source_url"].append(u)
        return aid

    for link in links:
        lt = link["link_type"]
        src = link["source_urls"]
        if lt == "partner_in_project_team":
            b.rel(
                "MEMBER_OF",
                org(link["organization"]),
                team(link),
                "stated",
                src,
                evidence=link["members_text"],
            )
            if link.get("focus_area"):
                evidence = link.get("addresses_text")
                fa_label = link["focus_area"]
                if "(" in fa_label and not evidence:
                    evidence = fa_label.split(" (", 1)[1].rstrip(")")
                b.rel(
                    "WORKS_ON",
                    team(link),
                    focus_area_id(fa_label),
                    "stated",
                    src,
                    evidence=evidence,
                )
        elif lt == "project_team_addresses_focus_area":
            b.rel(
                "WORKS_ON",
                team(link),
                focus_area_id(link["focus_area"]),
                "stated",
                src,
                evidence=link["addresses_text"],
            )
        elif lt == "project_team_contact_statement":
            row = b.nodes[NodeKind.PROJECT_TEAM][team(link)]
            row["contact"] = link["text"]
        elif lt == "project_team_cites_grand_challenge":
            target = name_only["relevant professional growth during the school day"]
            b.rel(
                "CITES",
                team(link),
                target,
                "inferred",
                src,
                method=link["challenge_named"],
                evidence=link["text"],
            )
        elif lt == "focus_area_centers_on_catalyst":
            fid = focus_area_id(link["focus_area"])
            slugs = link.get("challenge_slugs") or []
            if slugs:
                # Foundational Math's page names the catalyst itself; the other two are
                # matched by wording from a news article, so they are inferred.
                basis = (
                    "stated"
                    if link["mapping_basis"].startswith("focus-area page names")
                    else "inferred"
                )
                for slug in slugs:
                    b.rel(
                        "TARGETS",
                        fid,
                        slug,
                        basis,
                        src,
                        method=link["mapping_basis"],
                        evidence=link["text"],
                    )
            else:
                named = next(n for n in name_only if n in link["text"].lower())
                b.rel("TARGETS", fid, name_only[named], "stated", src, evidence=link["text"])
        elif lt == "funder_of_focus_area":
            b.rel(
                "FUNDS",
                org(link["organization"]),
                focus_area_id(link["focus_area"]),
                "stated",
                src,
                evidence=link["text"],
            )
        else:
            orgs = (
                [link["organization"]]
                if link.get("organization")
                else list(link.get("organizations") or [])
            )
            kind, key, name, text, event, evidence = _activity_fields(link)
            aid = activity(kind, key, name, text, event, link)
            for o in orgs:
                b.rel("TOOK_PART_IN", org(o), aid, "stated", src, evidence=evidence)
            for th in link.get("themes") or []:
                b.rel(
                    "CONCERNS",
                    aid,
                    theme_ids[th],
                    "stated",
                    src,
                    evidence=link.get("session_question"),
                )
            for slug in link.get("challenge_slugs") or []:
                b.rel(
                    "CONCERNS",
                    aid,
                    slug,
                    "inferred",
                    src,
                    method=link.get("challenge_slugs_note") or "challenge matched by wording",
                    evidence=link.get("challenges_text"),
                )

    for row in activities.values():
        b.node(NodeKind.ACTIVITY, row)
    for row in resources.values():
        b.node(NodeKind.RESOURCE, row)
    return b


_ACTIVITY_NAMES = {
    "challenge_grant_winner": "Challenge grant",
    "summit_session_on_grand_challenge_themes": "Summit session",
    "funder_pledge_for_grand_challenges": "Funders' pledge for the Grand Challenges",
    "fellowship_participant_challenge_area": "Fellowship",
    "collaboration_grant": "Collaboration grant",
    "partner_solution_presented_for_grand_challenge": "Solution presented for a grand challenge",
    "grand_challenges_adopted_locally": "Grand Challenges framework adopted locally",
    "partner_idea_referencing_grand_challenges": "Idea referencing the Grand Challenges",
    "organization_stated_working_on_challenges": "Organisations named as working on challenges",
}


def _activity_fields(link: Row) -> tuple[str, str, str, str | None, str | None, str | None]:
    """(kind, grouping key, display name, text, event, per-partner evidence) of a link."""
    lt = link["link_type"]
    label = _ACTIVITY_NAMES[lt]
    if lt == "challenge_grant_winner":
        return (
            lt,
            link["program"],
            link["program"],
            link["challenge_text"],
            link["program"],
            link["project_text"],
        )
    if lt == "summit_session_on_grand_challenge_themes":
        return (
            lt,
            link["session"],
            f"{label}: {link['session']}",
            link["session_question"],
            link["event"],
            link["role_text"],
        )
    if lt == "fellowship_participant_challenge_area":
        evidence = " ".join(
            x for x in (link["text"], link.get("challenge_area_text"), link.get("grant_text")) if x
        )
        return (
            lt,
            f"{link['program']} {link['link_id']}",
            link["program"],
            link["text"],
            link["program"],
            evidence,
        )
    if lt == "partner_solution_presented_for_grand_challenge":
        return (
            lt,
            str(link["link_id"]),
            f"{label} ({link['organization']})",
            link["grand_challenge_text"],
            link["context_text"],
            link["solution_text_excerpt"],
        )
    if lt in ("funder_pledge_for_grand_challenges", "organization_stated_working_on_challenges"):
        return lt, link["text"][:60], label, link["text"], None, link["text"]
    orgs = link.get("organizations") or [link.get("organization")]
    return (
        lt,
        str(link["link_id"]),
        f"{label} ({', '.join(o for o in orgs if o)})",
        link["text"],
        None,
        link["text"],
    )


def _columns(props: Iterable[Property], rows: list[Row]) -> list[str]:
    """The file's columns: every required one, and the optional ones that hold data."""
    return [
        p.name
        for p in props
        if p.column is Column.REQUIRED
        or (p.column is Column.OPTIONAL and any(r.get(p.name) for r in rows))
    ]


def write(b: Builder, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for kind, spec in NODE_KINDS.items():
        rows = sorted(b.nodes[kind].values(), key=lambda r: r["id"])
        columns = _columns(spec.properties, rows)
        write_csv(out / spec.file, columns, ([cell_text(r.get(p)) for p in columns] for r in rows))
    rels = sorted(b.rels, key=lambda r: (r["type"], r["source"], r["target"]))
    cols = ["type", "source", "target", *_columns(REL_PROPERTIES, rels)]
    write_csv(out / "relationships.csv", cols, ([cell_text(r.get(c)) for c in cols] for r in rels))
    meta = [
        ["title", "100Kin10 Grand Challenges map: the public record", ""],
        ["map_challenge_count", "104", "http://grandchallenges.100kin10.org/"],
        ["map_theme_count", "7", "http://grandchallenges.100kin10.org/"],
        [
            "coverage_note",
            "Only the public record survives: 25 challenge pages and 2 catalysts known by "
            "name only. The map's influence ratings were never published.",
            "",
        ],
    ]
    write_csv(out / "meta.csv", ["key", "value", "source_url"], meta)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    raw = Path(argv[1])
    out = (
        Path(argv[2])
        if len(argv) == 3
        else Path(__file__).resolve().parents[1] / "data" / "grand-challenges"
    )
    b = convert(raw)
    write(b, out)
    for kind, spec in NODE_KINDS.items():
        print(f"{spec.file:22} {len(b.nodes[kind]):5}")
    print(f"{'relationships.csv':22} {len(b.rels):5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
