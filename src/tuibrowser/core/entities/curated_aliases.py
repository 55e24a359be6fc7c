"""Curated short forms of organisations and countries that no rule can derive: data, not rules.

News calls the Conservative Party "the Tories" and the Liberal Democrats "the Lib Dems";
nothing in the words says they are one party. Each group below lists spellings of one
organisation, the full name first. Discovery merges discovered names found in one group
into one entity (its `aliases` show the merge). A corpus that means something else by one
of these spellings keeps it apart by naming its entities in `entities.toml`: curated
entities are linked first and never merged with discovered ones.

Kept small on purpose: only parties, bodies and countries whose short forms are in everyday
use and unambiguous in English-language news ("America" is not: it is also the continent).
"""

from __future__ import annotations

from tuibrowser.core.entities.text import fold

ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Conservative Party", "Conservatives", "Tories", "Tory Party", "Tory", "Conservative and Unionist Party"),
    ("Labour Party", "Labour", "New Labour"),
    ("Liberal Democrats", "Lib Dems", "Liberal Democrat Party", "Lib Dem"),
    ("Scottish National Party", "SNP"),
    ("Plaid Cymru", "Plaid"),
    ("UK Independence Party", "UKIP", "Ukip"),
    ("Democratic Unionist Party", "DUP"),
    ("Democratic Party", "Democrats"),
    ("Republican Party", "Republicans", "GOP"),
    ("Christian Democratic Union", "CDU"),
    ("Social Democratic Party", "SPD"),
    ("Federal Reserve", "Fed", "US Federal Reserve"),
    ("European Union", "EU"),
    ("United Nations", "UN", "U.N."),
    ("World Trade Organization", "World Trade Organisation", "WTO"),
    ("International Monetary Fund", "IMF"),
    ("Securities and Exchange Commission", "SEC", "US Securities and Exchange Commission"),
    # Countries news names by initials or a shorter name as often as by their full name.
    ("United States", "US", "U.S.", "USA", "U.S.A.", "United States of America"),
    ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    ("United Arab Emirates", "UAE", "U.A.E."),
    ("Soviet Union", "USSR", "U.S.S.R."),
    ("Democratic Republic of Congo", "Democratic Republic of the Congo", "DR Congo", "DRC"),
)


def _key(name: str) -> str:
    return " ".join(fold(name).split())


CANONICAL: dict[str, str] = {_key(spelling): _key(group[0]) for group in ALIAS_GROUPS for spelling in group}
"""Folded spelling -> the folded full name of its group."""
