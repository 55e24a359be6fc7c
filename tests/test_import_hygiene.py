"""What each entry point imports: the core stays UI-free; the TUI and `config path` never load Whoosh
before they need it (Whoosh costs about 60 ms to import; the first frame should not wait for it)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded(code: str) -> set[str]:
    """Top-level packages loaded after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(sorted({{m.split('.')[0] for m in sys.modules}}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(eval(out.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    [
        "import tuibrowser.tui.app",  # the TUI, up to its first frame
        "from tuibrowser.cli import main; main(['config', 'path'])",
        "from tuibrowser.cli import build_parser; build_parser().parse_args(['search', 'x'])",
    ],
)
def test_whoosh_is_not_imported_before_it_is_needed(code, isolated_user_dirs):
    assert "whoosh" not in loaded(code)


def test_the_core_and_the_cli_do_not_import_textual():
    modules = loaded("import tuibrowser.core.services, tuibrowser.core.search, tuibrowser.core.indexer, tuibrowser.cli")
    assert not {"textual", "rich"} & modules
