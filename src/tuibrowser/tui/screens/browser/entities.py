"""The entities' side of the browser: the sidebar's selection, the entity view, timelines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import ContentSwitcher, OptionList

from tuibrowser.core import trail
from tuibrowser.core.trail import TrailEvent
from tuibrowser.core.user_state import Visit
from tuibrowser.tui import jobs
from tuibrowser.tui.messages import (
    EntityHighlighted,
    EntityPageLoaded,
    EntityRequested,
)
from tuibrowser.tui.screens.browser.base import BrowserBase
from tuibrowser.tui.widgets.entity_sidebar import EntitySidebar
from tuibrowser.tui.widgets.entity_view import EntityView
from tuibrowser.tui.widgets.reader import ArticleReader
from tuibrowser.tui.widgets.timeline import Line, TimelineView

if TYPE_CHECKING:
    from tuibrowser.core.services import EntityPage


class Entities(BrowserBase):
    """The sidebar and the entity view: selecting, opening, the timeline."""

    @on(EntityHighlighted)
    def _entity_highlighted(self, event: EntityHighlighted) -> None:
        self.select_entity(event.entity_id)

    def select_entity(self, entity_id: str | None) -> None:
        if entity_id == self.selected_entity:
            return
        self.selected_entity = entity_id
        if self.cursor is not None:
            # m/M start from the top of the screen, not from where an earlier match was.
            self.cursor = None
            self.query_one(ArticleReader).set_cursor(None)
        self.query_one(ArticleReader).set_selected_entity(entity_id)
        self.query_one(EntitySidebar).select(entity_id)
        self.detail = None
        self.query_one(EntitySidebar).show_detail(None, None)
        if entity_id is not None:
            self._reload_detail()
        self._update_location()

    def _reload_detail(self) -> None:
        if self.selected_entity is not None:
            serial = self._next_serial("detail")
            self._start_job("detail", jobs.load_entity, self.services, self.selected_entity, False, 0, serial, self)

    @on(EntityRequested)
    def _entity_requested(self, event: EntityRequested) -> None:
        event.stop()
        self.open_entity(event.entity_id)

    def open_entity(
        self,
        entity_id: str,
        anchor: int = 0,
        *,
        restore: bool = False,
        window: tuple[str | None, str | None] | None = None,
    ) -> None:
        serial = self._next_serial("entity")
        self._entity_request = (entity_id, anchor, restore, window)
        self._start_job("entity", jobs.load_entity, self.services, entity_id, True, anchor, serial, self, window)

    _entity_request: tuple[str, int, bool, tuple[str | None, str | None] | None] | None = None

    @on(TimelineView.WindowChosen)
    def _window_chosen(self, event: TimelineView.WindowChosen) -> None:
        """Only the periods chosen on the timeline (or all again): the same place, filtered."""
        event.stop()
        if self.page is not None:
            window = None if event.first is None and event.last is None else (event.first, event.last)
            self.open_entity(self.page.record.entity.id, restore=True, window=window)

    def action_pin_timeline(self) -> None:
        """Keep this entity's timeline on screen, to compare it with the next entity's."""
        if self.page is None:
            return
        name = self.page.record.entity.name
        if self.pinned is not None and self.pinned.name == name:
            self.pinned = None
            self.notify(f"Unpinned {name}'s timeline.", timeout=3)
        else:
            timeline = self.timelines.get(self.page.record.entity.id, self.page.timeline)
            self.pinned = Line(name, timeline)
            self.notify(f"Pinned {name}'s timeline: open another entity to compare.", timeout=4)
        self._show_page(self.page, self.query_one(EntityView).highlighted_row())

    def action_open_selected_entity(self) -> None:
        if self.selected_entity:
            self.open_entity(self.selected_entity)
        else:
            self.notify("Select an entity first: e lists this article's entities.", timeout=3)

    @on(EntityPageLoaded)
    async def _entity_page_loaded(self, event: EntityPageLoaded) -> None:
        await self.query_one(EntitySidebar).ready()
        await self.query_one(EntityView).ready()
        entity_id = event.page.record.entity.id
        if not event.for_view:
            if self._current("detail", event.serial) and entity_id == self.selected_entity:
                self.detail = event.page
                current = self.opened.article.id if self.opened else None
                self.query_one(EntitySidebar).show_detail(event.page, current)
            return
        if not self._current("entity", event.serial):
            return
        restore = bool(self._entity_request and self._entity_request[2])
        if not restore:
            self._remember_position()
        refiltered = restore and self.page is not None and self.page.record.entity.id == entity_id
        if not refiltered:
            self._trail(TrailEvent(trail.now(), "entity", entity_id, event.page.record.entity.name))
        self.page = event.page
        # The entity in view is the selected one: its mentions are marked in the articles
        # opened from it, and m/M step through them.
        self.selected_entity = entity_id
        if event.page.window is None:
            self.detail = event.page
            self.timelines[entity_id] = event.page.timeline
        self.query_one(ArticleReader).set_selected_entity(entity_id)
        self._show_page(event.page, event.anchor)
        self.query_one(ContentSwitcher).current = "entity-view"
        self.remove_class("-sidebar-open")
        self._set_view("entity")
        if not (refiltered and self.query_one(EntityView).has_focus_within):  # a period chosen: stay there
            self.query_one("#concordance", OptionList).focus()
        if not restore:
            self._record(Visit("entity", entity_id), remember=False)
        self._update_location()

    def _show_page(self, page: EntityPage, highlight: int) -> None:
        entity_id = page.record.entity.id
        pinned = self.pinned if self.pinned is not None and self.pinned.name != page.record.entity.name else None
        timeline = self.timelines.get(entity_id, page.timeline)
        self.query_one(EntityView).show(page, highlight, timeline=timeline, pinned=pinned)
