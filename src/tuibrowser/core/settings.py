"""User settings: one TOML file in the user's config directory, with TUIBROWSER_* overrides.

A missing file means defaults. An unreadable or invalid file is never rewritten: its
problems are reported as messages and the defaults (or the valid parts) are used, so a
typo in the config can never stop the app or destroy what the user wrote. Messages quote
what the file says through core.sanitize.printable, so they are safe to show anywhere.

Key names are checked here without Textual (the core never imports it): against the key
names Textual understands (written out below) and each other. Whether a binding id exists
only the TUI knows; it passes its ids and default keys to `check_keymap`.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import platformdirs

from tuibrowser.core.paths import APP_NAME
from tuibrowser.core.sanitize import printable

DEFAULT_THEME = "textual-dark"

EXAMPLE = """\
# tuibrowser settings. Every key is optional.
# theme = "textual-dark"          # any Textual theme; "ansi-dark" or "ansi-light" use the terminal's own colours
# search_as_you_type = true       # false: search only on Enter
#
# [keymap]                         # binding id = "keys" (comma-separated alternatives)
# "reader.next-mention" = "m"
# "app.back" = "left_square_bracket,backspace"
"""


@dataclass
class Settings:
    """What the user can set; see EXAMPLE."""

    theme: str = DEFAULT_THEME
    search_as_you_type: bool = True
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """What was wrong with the file or the environment, to show the user once."""


def config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings file and the environment; never raises for bad content."""
    path = path or config_path()
    environ = os.environ if environ is None else environ
    settings = Settings()
    raw: dict = {}
    shown = printable(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # an editor's byte order mark is fine
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        settings.problems.append(f"cannot read {shown}: {printable(str(error))}; using defaults")
        text = ""
    if text.strip():
        import tomllib  # only with a settings file to read (~1 ms of the TUI's start otherwise)

        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            settings.problems.append(
                f"{shown} is not valid TOML ({printable(str(error))}); using defaults, file left as it is"
            )
        except RecursionError:  # tomllib recurses into nested arrays and tables
            settings.problems.append(f"{shown} is nested too deeply to read; using defaults, file left as it is")
    _apply(settings, raw, shown)
    env: dict[str, object] = {}
    if "TUIBROWSER_THEME" in environ:
        env["theme"] = environ["TUIBROWSER_THEME"]
    if "TUIBROWSER_SEARCH_AS_YOU_TYPE" in environ:
        value = environ["TUIBROWSER_SEARCH_AS_YOU_TYPE"].strip().lower()
        env["search_as_you_type"] = value not in ("0", "false", "no", "off")
    _apply(settings, env, "environment")
    return settings


def _apply(settings: Settings, raw: dict, where: str) -> None:
    if "theme" in raw:
        if isinstance(raw["theme"], str) and raw["theme"].strip() and printable(raw["theme"]) == raw["theme"]:
            settings.theme = raw["theme"].strip()
        else:
            settings.problems.append(f"{where}: theme must be a theme name")
    if "search_as_you_type" in raw:
        if isinstance(raw["search_as_you_type"], bool):
            settings.search_as_you_type = raw["search_as_you_type"]
        else:
            settings.problems.append(f"{where}: search_as_you_type must be true or false")
    keymap = raw.get("keymap", {})
    if not isinstance(keymap, dict):
        settings.problems.append(f'{where}: [keymap] must be a table of binding id = "keys"')
        keymap = {}
    entries: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        if isinstance(keys, str) and keys.strip():
            entries[str(binding_id)] = keys.strip()
        else:
            settings.problems.append(f"{where}: keymap entry {_quoted(binding_id)} must be a string of keys")
    for binding_id, keys in entries.items():
        bad = invalid_keys(keys)
        if bad:
            settings.problems.append(
                f"{where}: keymap entry {_quoted(binding_id)}: {', '.join(map(_quoted, bad))} is not a key name; "
                "entry ignored"
            )
        else:
            settings.keymap[binding_id] = keys
    settings.problems.extend(f"{where}: {problem}" for problem in check_keymap(settings.keymap))
    unknown = set(raw) - {"theme", "search_as_you_type", "keymap"}
    if unknown:
        settings.problems.append(f"{where}: unknown settings ignored: {', '.join(map(printable, sorted(unknown)))}")


MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})

NAMED_KEYS = frozenset(
    {"escape", "enter", "return", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup"}
    | {"pagedown", "up", "down", "left", "right", "newline"}
    | {f"f{number}" for number in range(1, 25)}
    # Textual's short names for some characters (textual.keys.KEY_NAME_REPLACEMENTS).
    | {"slash", "backslash", "at", "minus", "plus", "underscore"}
)
"""Keys Textual names by word; a printable character is named by itself ("m", "[") or by its
Unicode name in lower case with underscores ("left_square_bracket", "question_mark")."""


def invalid_keys(keys: str) -> list[str]:
    """The alternatives of a comma-separated key list that Textual would not recognise."""
    return [key for key in (part.strip() for part in keys.split(",")) if not _is_key(key)]


def _is_key(key: str) -> bool:
    *modifiers, name = key.split("+") if len(key) > 1 else [key]
    if not name or not all(modifier in MODIFIERS for modifier in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in NAMED_KEYS:
        return True
    try:
        char = unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    # A character a keyboard has: not a pictograph ("banana" is the name of U+1F34C).
    return unicodedata.category(char) not in ("So", "Cn", "Co", "Cs")


def check_keymap(
    keymap: Mapping[str, str],
    known_ids: Iterable[str] | None = None,
    defaults: Mapping[str, str] | None = None,
) -> list[str]:
    """Problems with keymap overrides, one line each, safe to show.

    For the TUI, which knows its bindings: pass every binding id and its default keys, and
    unknown ids and conflicts with unchanged defaults are reported too.

    Args:
        keymap: binding id -> comma-separated keys (the user's overrides).
        known_ids: every binding id there is; None skips the check for unknown ids.
        defaults: binding id -> its default keys; None checks the overrides only
            against each other.

    A conflict is one key given to two bindings of the same scope (the id's first part,
    "reader" in "reader.next-mention"), or to an "app" binding and any other.
    """
    problems: list[str] = []
    if known_ids is not None:
        known = sorted(set(known_ids))
        for binding_id in sorted(set(keymap) - set(known)):
            close = difflib.get_close_matches(binding_id, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(f"keymap: no binding is called {_quoted(binding_id)}{hint}")
    effective = {**(defaults or {}), **keymap}
    holders: dict[str, list[str]] = {}
    for binding_id, keys in sorted(effective.items()):
        for key in {part.strip() for part in keys.split(",") if part.strip()}:
            holders.setdefault(key, []).append(binding_id)
    for key, ids in sorted(holders.items()):
        for first, second in combinations(sorted(ids), 2):
            if (first in keymap or second in keymap) and _same_scope(first, second):
                problems.append(f"keymap: {_quoted(key)} is bound to both {_quoted(first)} and {_quoted(second)}")
    return problems


def _same_scope(first: str, second: str) -> bool:
    one, other = first.split(".", 1)[0], second.split(".", 1)[0]
    return one == other or "app" in (one, other)


def _quoted(value: object) -> str:
    return f"'{printable(str(value))}'"
