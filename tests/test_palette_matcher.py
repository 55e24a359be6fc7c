"""The command palette's matcher (tui/fuzzy.py): what it matches, and in bounded time."""

from __future__ import annotations

import time

from textual.widgets import Input

from tui_support import WIDE, screen_text, settle
from tuibrowser.tui.fuzzy import MAX_CANDIDATE, PaletteMatcher


def test_a_substring_beats_scattered_letters_and_a_word_start_beats_the_middle():
    matcher = PaletteMatcher("lachin")
    whole = matcher.match("Lachin")
    at_start = matcher.match("Lachin Corridor")
    inside = matcher.match("Blachinsky report")
    scattered = matcher.match("La Chinese")
    assert whole == 1.0 > at_start > inside > scattered > 0
    assert matcher.match("Corridor") == 0


def test_letters_in_order_prefer_word_starts_and_fall_back_to_any_place():
    assert PaletteMatcher("rut").match("Russia Urges Turkey") > 0
    assert PaletteMatcher("ab").match("xa by a") > 0  # the word start "a" at the end leaves no "b"
    assert PaletteMatcher("zz").match("Lachin") == 0
    assert PaletteMatcher("   ").match("Lachin") == 0


def test_candidates_are_shown_as_plain_text_with_the_matches_styled():
    content = PaletteMatcher("quit").highlight("[@click=app.quit]x[/]")
    assert content.plain == "[@click=app.quit]x[/]"
    assert content.spans  # the matched letters are styled


def test_a_long_repetitive_candidate_is_matched_in_bounded_time():
    """Textual's matcher lists every way the letters can occur in order: for this pair it
    does not finish (it grows memory by gigabytes). Ours looks at MAX_CANDIDATE characters,
    a few passes each."""
    candidate = "ab " * 5000
    started = time.perf_counter()
    score = PaletteMatcher("aaaaaa bbbbbb").match(candidate)
    highlighted = PaletteMatcher("aaaaaa bbbbbb").highlight(candidate)
    assert score > 0 and len(highlighted.plain) == MAX_CANDIDATE
    assert time.perf_counter() - started < 1  # generous: a guard against a hang, not a benchmark


LONG_QUERY = " ".join(["oil prices OPEC Saudi Arabia crude exports Kuwait tariff"] * 17)


async def test_the_palette_answers_with_a_very_long_recent_search_in_its_history(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        app.query_one("#query", Input).value = LONG_QUERY  # pasted
        await settle(app, pilot)
        await pilot.press("enter")  # into the results: the search is in the history
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Saudi Kuwait")  # letters in order, not a substring: no shortcut
        await settle(app, pilot)
        shown = screen_text(app)
        assert "oil prices OPEC Saudi Arabia crude" in shown
        assert "recent search" in shown
