"""The search pane: a query input, a status line and the ranked results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuibrowser.tui.messages import ArticleRequested, SearchRequested

if TYPE_CHECKING:
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.search import SearchResult

MATCH_STYLE = "bold underline"
"""Query matches in snippets: visible without colour (NO_COLOR, monochrome terminals)."""


def _meta(date: str | None, source: str | None) -> str:
    return " · ".join(x for x in (date or "undated", source) if x)


def result_prompt(title: str, date: str | None, source: str | None, snippet: Text | None, read: bool) -> Text:
    """One result as plain Rich Text: never parsed as markup, so titles are shown literally."""
    prompt = Text(no_wrap=False)
    prompt.append(title or "(untitled)", style="dim" if read else "bold")
    prompt.append("\n")
    prompt.append(_meta(date, source), style="italic dim")
    if snippet is not None and snippet.plain:
        prompt.append("\n")
        prompt.append_text(snippet)
    return prompt


class QueryInput(Input):
    """The query box; Down moves into the results, like Enter."""

    BINDINGS = [Binding("down", "app.focus_results", "Results", id="search.to-results", show=False)]


class ResultsList(OptionList):
    """Ranked results; Escape returns to the query."""

    BINDINGS = [Binding("escape", "app.focus_search", "Query", id="search.to-query", show=False)]


class SearchPane(Vertical):
    """Typing posts SearchRequested; choosing a result posts ArticleRequested."""

    def __init__(self, *, search_as_you_type: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.search_as_you_type = search_as_you_type

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder="Search (F1 help)", id="query", select_on_focus=False)
        yield Static("", id="search-status", markup=False)
        yield ResultsList(id="results")

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.search_as_you_type:
            self.post_message(SearchRequested(event.value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(SearchRequested(event.value, submitted=True))

    @on(OptionList.OptionSelected, "#results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ArticleRequested(event.option.id))

    def set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    def show_latest(self, articles: list[ArticleSummary], read: set[str]) -> None:
        self.set_status(f"{len(articles)} articles, newest first")
        self._fill([(a.id, result_prompt(a.title, a.date, a.source, None, a.id in read)) for a in articles])

    def show_results(self, result: SearchResult, read: set[str]) -> None:
        plural = "" if result.total == 1 else "s"
        status = f"{result.total} result{plural} for {result.query}"
        if result.suggestion:
            status += f" · did you mean: {result.suggestion}"
        elif result.notice:
            status += f" · {result.notice}"
        self.set_status(status)
        options = []
        for hit in result.hits:
            snippet = Text(hit.snippet_text, style="dim")
            for start, end in hit.snippet_marks:
                snippet.stylize(MATCH_STYLE, start, end)
            options.append((hit.id, result_prompt(hit.title, hit.date, hit.source, snippet, hit.id in read)))
        self._fill(options)

    def show_error(self, message: str) -> None:
        """A bad query: say why, keep the previous results."""
        self.set_status(message, error=True)

    def _fill(self, options: list[tuple[str, Text]]) -> None:
        results = self.query_one("#results", OptionList)
        highlighted = results.highlighted
        results.clear_options()
        results.add_options([Option(prompt, id=article_id) for article_id, prompt in options])
        if options:
            results.highlighted = min(highlighted or 0, len(options) - 1) if highlighted is not None else 0
