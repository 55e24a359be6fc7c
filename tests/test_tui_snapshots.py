"""SVG snapshots of what people see, at 80x24 and at a wide size (pytest-textual-snapshot).

Baselines live in tests/__snapshots__/; update them only after looking at the report
(`pytest tests/test_tui_snapshots.py --snapshot-update`).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tui_support import settle

SIZES = {"80x24": (80, 24), "wide": (150, 45)}


def scenario(steps):
    """A run_before that freezes the cursor, plays the steps and waits for the workers."""

    async def run_before(pilot) -> None:
        app = pilot.app
        for box in app.query(Input):
            box.cursor_blink = False
        await settle(app, pilot)
        for step in steps:
            if isinstance(step, str) and step in ("enter", "f1", "escape", "down", "e"):
                await pilot.press(step)
            elif isinstance(step, str):
                await pilot.press(*step)
            else:
                await step(pilot)
            await settle(app, pilot)
        await settle(app, pilot)

    return run_before


async def _paste_bad_query(pilot) -> None:
    pilot.app.query_one("#query", Input).value = "Lachin date:bogus"


async def _select_second_entity(pilot) -> None:
    await pilot.press("e")
    await settle(pilot.app, pilot)
    await pilot.press("down", "down")


SCENARIOS = {
    "start": [],
    "results": ["Lachin Corridor"],
    "article_with_sidebar": ["Zakharova", "enter", "enter", _select_second_entity],
    "entity_view": ["Zakharova", "enter", "enter", _select_second_entity, "enter"],
    "help": ["Zakharova", "enter", "enter", "f1"],
    "no_results": ["Quetzalcoatl"],
    "query_error": ["Lachin", _paste_bad_query],
}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_snapshot(snap_compare, make_app, name, size):
    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=scenario(SCENARIOS[name]))
