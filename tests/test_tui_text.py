"""The TUI's text helpers, rendered as Rich renders them."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from tuibrowser.tui.text import Clamp


def rendered(renderable, width: int) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines = console.render_lines(renderable, console.options.update_width(width), pad=False)
    return ["".join(segment.text for segment in line).rstrip() for line in lines]


def test_a_clamped_snippet_ends_in_one_ellipsis():
    cut_after_words = rendered(Clamp(Text("one two three four five six seven eight nine ten"), 1), 20)
    assert cut_after_words == ["one two three four …"]
    # A snippet whose cut falls on its own " … " separator gets no second one ("was ……").
    own = rendered(Clamp(Text("The shipment was … held at the port for nine days"), 1), 19)
    assert own == ["The shipment was …"]
    assert rendered(Clamp(Text("short enough"), 1), 20) == ["short enough"]
