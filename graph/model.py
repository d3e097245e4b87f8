"""The public graph model: node kinds, relationship types and their properties.

This module is the single source of the schema. The loaders validate against it, the
embedded store derives its DDL from it, the Neo4j store its constraints, and
``docs/schema.md`` documents it. Researchers write Cypher against these names, so they
are stable: add kinds or properties, never rename them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "BASES",
    "CURATED",
    "NODE_KINDS",
    "REL_PROPERTIES",
    "REL_TYPES",
    "SECTORS",
    "SECTOR_BASES",
    "Column",
    "NodeKind",
    "NodeSpec",
    "PropType",
    "Property",
    "RelSpec",
    "RelType",
]


class PropType(StrEnum):
    """Property value types, shared by both backends."""

    STRING = "STRING"
    BOOL = "BOOL"
    INT = "INT"
    DOUBLE = "DOUBLE"
    STRING_LIST = "STRING_LIST"


class NodeKind(StrEnum):
    """Node labels of the graph."""

    THEME = "Theme"
    CHALLENGE = "Challenge"
    PARTNER = "Partner"
    COMMITMENT = "Commitment"
    FOCUS_AREA = "FocusArea"
    PROJECT_TEAM = "ProjectTeam"
    KEYSTONE = "Keystone"
    RESOURCE = "Resource"
    ACTIVITY = "Activity"


class RelType(StrEnum):
    """Relationship types of the graph."""

    IN_THEME = "IN_THEME"
    MADE = "MADE"
    ADDRESSES = "ADDRESSES"
    MEMBER_OF = "MEMBER_OF"
    WORKS_ON = "WORKS_ON"
    TARGETS = "TARGETS"
    FUNDS = "FUNDS"
    ABOUT = "ABOUT"
    CORRESPONDS_TO = "CORRESPONDS_TO"
    INFLUENCES = "INFLUENCES"
    CITES = "CITES"
    TOOK_PART_IN = "TOOK_PART_IN"
    CONCERNS = "CONCERNS"


class Column(StrEnum):
    """Whether a property is a column of its CSV file."""

    REQUIRED = "required"  # the file must have the column
    OPTIONAL = "optional"  # the file may leave it out (datasets written before it existed)
    DERIVED = "derived"  # never in the file: set by the loader from the curation files


@dataclass(frozen=True)
class Property:
    """One property of a node kind: its name, type, and whether a row must fill it."""

    name: str
    type: PropType = PropType.STRING
    required: bool = False
    doc: str = ""
    column: Column = Column.REQUIRED


@dataclass(frozen=True)
class NodeSpec:
    """A node kind, the CSV file that holds it, and its properties (``id`` and ``name`` first)."""

    kind: NodeKind
    file: str
    properties: tuple[Property, ...]
    doc: str

    @property
    def property_names(self) -> tuple[str, ...]:
        """Every property the stores keep (the file's columns and the derived ones)."""
        return tuple(p.name for p in self.properties)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns of the node file (derived properties are not among them)."""
        return tuple(p.name for p in self.properties if p.column is not Column.DERIVED)

    @property
    def optional_columns(self) -> tuple[str, ...]:
        """Columns a file may leave out (read as empty)."""
        return tuple(p.name for p in self.properties if p.column is Column.OPTIONAL)

    def prop(self, name: str) -> Property:
        for p in self.properties:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class RelSpec:
    """A relationship type and the (from, to) kinds it may join."""

    type: RelType
    ends: tuple[tuple[NodeKind, NodeKind], ...]
    doc: str


_ID = Property("id", required=True, doc="unique across the whole graph; stable; used in URLs")
_NAME = Property("name", required=True, doc="display name")
_SOURCE = Property(
    "source_url",
    PropType.STRING_LIST,
    required=True,
    doc="where the row comes from: page URLs, repository files or client documents",
)


def _node(kind: NodeKind, file: str, own: tuple[Property, ...], doc: str) -> NodeSpec:
    """A node kind's spec: ``id`` and ``name`` first, then its own properties, then
    ``source_url`` (every kind has all three)."""
    return NodeSpec(kind, file, (_ID, _NAME, *own, _SOURCE), doc)


K = NodeKind
NODE_KINDS: dict[NodeKind, NodeSpec] = {
    spec.kind: spec
    for spec in (
        _node(
            K.THEME,
            "themes.csv",
            (
                Property("question", doc="the theme's 'How might we ...?' question"),
                Property("description"),
                Property("listed_order", PropType.INT, doc="position on the map's theme list"),
                Property("url"),
            ),
            "One of the seven themes that cluster the map's challenges.",
        ),
        _node(
            K.CHALLENGE,
            "challenges.csv",
            (
                Property("statement", doc="the full challenge, as the page words it"),
                Property("description"),
                Property(
                    "catalyst",
                    PropType.BOOL,
                    doc="true: a catalyst; false: not one (see catalyst_basis); empty: unknown",
                ),
                Property("catalyst_basis", doc="how the catalyst flag is known"),
                Property(
                    "has_page",
                    PropType.BOOL,
                    required=True,
                    doc="false for catalysts known by name only (no public page)",
                ),
                Property(
                    "tags_complete",
                    PropType.BOOL,
                    doc="whether the page's theme tags were seen whole",
                ),
                Property("url"),
                Property("notes"),
            ),
            "A grand challenge: one reason it is hard to get and keep great STEM teachers.",
        ),
        _node(
            K.PARTNER,
            "partners.csv",
            (
                Property("name_variants", PropType.STRING_LIST, doc="other spellings seen"),
                Property(
                    "sector",
                    doc="one of SECTORS when sectors.csv gives it; else as the source words it",
                ),
                Property(
                    "sector_basis",
                    doc="stated (a source says it) or curated (judged); empty: no sector",
                    column=Column.DERIVED,
                ),
                Property("location"),
                Property("website"),
                Property("description", doc="verbatim descriptions, blank-line separated"),
                Property("roles", PropType.STRING_LIST, doc="how the sources describe it"),
                Property(
                    "explicitly_called_partner",
                    PropType.BOOL,
                    doc="a source calls it a 100Kin10/Beyond100K partner or member",
                ),
                Property(
                    "possible_same_as",
                    PropType.STRING_LIST,
                    doc="ids of partners that may be the same organisation (unverified)",
                ),
            ),
            "An organisation of the network: a partner, project-team member, funder or grantee.",
        ),
        _node(
            K.COMMITMENT,
            "commitments.csv",
            (
                Property(
                    "title",
                    doc="a short title from the statement's own words (the display name)",
                    column=Column.OPTIONAL,
                ),
                Property("text", required=True, doc="the commitment statement, verbatim"),
                Property("era", required=True, doc="100Kin10 or Beyond100K"),
                Property("label", doc="the heading the statement was listed under, raw"),
                Property("date", doc="as shown by the source, where it shows one"),
                Property("notes", doc="completeness of the stored text; who reported it"),
            ),
            "One commitment statement (or stated intention) a partner made.",
        ),
        _node(
            K.FOCUS_AREA,
            "focus_areas.csv",
            (
                Property("year", PropType.INT),
                Property("label", doc="how the catalysts page lists it"),
                Property("url"),
                Property("network_stats", PropType.STRING_LIST, doc="verbatim statements of reach"),
                Property("notes"),
            ),
            "A catalyst focus area (2018-2020) that centres the network's work on catalysts.",
        ),
        _node(
            K.PROJECT_TEAM,
            "project_teams.csv",
            (
                Property("year", PropType.INT, doc="the first year in the team's name"),
                Property("url"),
                Property("contact", doc="the team's contact statement, verbatim"),
            ),
            "A project team of partners, usually working on a focus area.",
        ),
        _node(
            K.KEYSTONE,
            "keystones.csv",
            (Property("text", required=True, doc="the keystone, verbatim"),),
            "One of Beyond100K's four high-leverage keystones.",
        ),
        _node(
            K.RESOURCE,
            "resources.csv",
            (
                Property("title", required=True),
                Property("date", doc="as shown on the page, e.g. 'December 16, 2019'"),
                Property("url"),
                Property("summary", doc="verbatim; a trailing '...' is the site's own cut"),
                Property("resource_type", doc="progress_item or report"),
            ),
            "A progress item, resource or report listed on a challenge, theme or focus-area page.",
        ),
        _node(
            K.ACTIVITY,
            "activities.csv",
            (
                Property(
                    "activity_type", required=True, doc="what sort of stated link this records"
                ),
                Property("text", doc="the sentence or question that states it, verbatim"),
                Property("event", doc="the programme or event"),
                Property("notes"),
            ),
            "A grant, summit session, pledge or fellowship that links partners to the map.",
        ),
    )
}

REL_TYPES: dict[RelType, RelSpec] = {
    spec.type: spec
    for spec in (
        RelSpec(RelType.IN_THEME, ((K.CHALLENGE, K.THEME),), "the challenge belongs to the theme"),
        RelSpec(RelType.MADE, ((K.PARTNER, K.COMMITMENT),), "the partner made the commitment"),
        RelSpec(
            RelType.ADDRESSES,
            tuple(
                (source, target)
                for source in (K.COMMITMENT, K.ACTIVITY, K.PROJECT_TEAM, K.PARTNER)
                for target in (K.CHALLENGE, K.THEME)
            ),
            "the commitment, activity, team or partner works on the challenge (or on the "
            "theme as a whole)",
        ),
        RelSpec(RelType.MEMBER_OF, ((K.PARTNER, K.PROJECT_TEAM),), "member of a project team"),
        RelSpec(RelType.WORKS_ON, ((K.PROJECT_TEAM, K.FOCUS_AREA),), "team works on a focus area"),
        RelSpec(
            RelType.TARGETS,
            ((K.FOCUS_AREA, K.CHALLENGE),),
            "the focus area centres on the (catalyst) challenge",
        ),
        RelSpec(RelType.FUNDS, ((K.PARTNER, K.FOCUS_AREA),), "the partner funds the focus area"),
        RelSpec(
            RelType.ABOUT,
            ((K.RESOURCE, K.CHALLENGE), (K.RESOURCE, K.FOCUS_AREA), (K.RESOURCE, K.THEME)),
            "the resource is listed on that page",
        ),
        RelSpec(
            RelType.CORRESPONDS_TO,
            ((K.KEYSTONE, K.CHALLENGE),),
            "the keystone corresponds to the challenge",
        ),
        RelSpec(
            RelType.INFLUENCES,
            ((K.CHALLENGE, K.CHALLENGE),),
            "solving one challenge affects another (none in the public data)",
        ),
        RelSpec(RelType.CITES, ((K.PROJECT_TEAM, K.CHALLENGE),), "the team cites the challenge"),
        RelSpec(
            RelType.TOOK_PART_IN,
            ((K.PARTNER, K.ACTIVITY),),
            "the partner took part in the activity",
        ),
        RelSpec(
            RelType.CONCERNS,
            ((K.ACTIVITY, K.CHALLENGE), (K.ACTIVITY, K.THEME), (K.ACTIVITY, K.FOCUS_AREA)),
            "the activity concerns that part of the map",
        ),
    )
}

BASES = ("stated", "inferred")

#: The ``method`` of the links judged item by item (``curation.csv``).
CURATED = "curated"

#: The partner sectors (``sectors.csv``): one small vocabulary for every analysis.
SECTORS = (
    "higher education",
    "school district or school",
    "nonprofit",
    "museum or science centre",
    "foundation",
    "company",
    "government",
    "association or union",
    "research organisation",
)

#: How a partner's sector is known: a source says it, or it was judged (``sectors.csv``).
SECTOR_BASES = ("stated", "curated", "none")

#: Properties every relationship carries (the CSV's columns after type, source and target).
REL_PROPERTIES: tuple[Property, ...] = (
    Property("basis", required=True, doc="stated (a source says so) or inferred"),
    Property("source_url", PropType.STRING_LIST, doc="required when basis is stated"),
    Property("method", doc="required when basis is inferred: how it was matched or computed"),
    Property("evidence", doc="the sentence that states it, verbatim"),
    Property("score", PropType.DOUBLE, doc="strength of an inferred link (e.g. text similarity)"),
    Property("weight", PropType.DOUBLE, doc="INFLUENCES strength, when the full map supplies it"),
    Property(
        "reason",
        doc="why a curated link was judged so, in a sentence a user can read",
        column=Column.OPTIONAL,
    ),
)
