"""User settings: one TOML file in the user's config directory, with TUIBROWSER_* overrides.

A missing file means defaults. An unreadable or invalid file is never rewritten: its
problems are reported as messages and the defaults (or the valid parts) are used, so a
typo in the config can never stop the app or destroy what the user wrote.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from tuibrowser.core.paths import APP_NAME

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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        settings.problems.append(f"cannot read {path}: {error}; using defaults")
        text = ""
    if text.strip():
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            settings.problems.append(f"{path} is not valid TOML ({error}); using defaults, file left as it is")
    _apply(settings, raw, str(path))
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
        if isinstance(raw["theme"], str) and raw["theme"].strip():
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
    for binding_id, keys in keymap.items():
        if isinstance(keys, str) and keys.strip():
            settings.keymap[str(binding_id)] = keys.strip()
        else:
            settings.problems.append(f"{where}: keymap entry {binding_id!r} must be a string of keys")
    unknown = set(raw) - {"theme", "search_as_you_type", "keymap"}
    if unknown:
        settings.problems.append(f"{where}: unknown settings ignored: {', '.join(sorted(unknown))}")
