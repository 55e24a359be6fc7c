"""Curating entities from the browser: rename, retype, add or remove an alias, merge, split, hide,
promote; undo and redo.

The keys live on the entity list (sidebar) and the entity view's mentions, and act on the
entity selected there. A dialog asks for what is needed (a name, a type, the entity to merge
into, the alias to remove or split off); the change itself runs as a job (`jobs.curate`: it
rewrites entities.toml and relinks the index, slow on a large corpus), one at a time, with
its progress in the location bar. When it is done, the open article, the sidebar, the entity
view and the results are shown afresh from the index, so the new name is on screen; a refusal
is a notification.
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.widgets import ContentSwitcher, Input

from tuibrowser.tui import jobs
from tuibrowser.tui.messages import CurationDone, CurationProgress
from tuibrowser.tui.screens.browser.base import BrowserBase
from tuibrowser.tui.text import outside, plural
from tuibrowser.tui.widgets.entity_sidebar import EntityList, EntitySidebar
from tuibrowser.tui.widgets.entity_view import EntityView
from tuibrowser.tui.widgets.reader import ArticleReader

if TYPE_CHECKING:
    from tuibrowser.core.entities.curation import ops
    from tuibrowser.core.entities.curation.ops import CurationResult
    from tuibrowser.core.entities.kb import Entity
    from tuibrowser.core.services import Services
    from tuibrowser.tui.screens.dialogs import Choice

UNDOABLE_ACTIONS = frozenset({"undo_curation", "redo_curation"})
"""Screen actions that the query box keeps for itself (they work everywhere else)."""


class Curating(BrowserBase):
    """The reader's corrections to entities.toml, made where the entity is seen."""

    _curating = False
    """A change is being applied (one at a time: each relinks the index)."""

    _unselected: tuple[str, str | None] | None = None
    """The entity a change took the selection from (hidden, merged away) and the one it went
    to (the entity it joined, or None): undoing or redoing that change selects it again."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo and redo work from anywhere but a text box (Ctrl+R there is the box's)."""
        return not (action in UNDOABLE_ACTIONS and isinstance(self.focused, Input))

    def _say(self, text: str, severity: str = "information", timeout: float = 5) -> None:
        """A notification that shows names from outside as typed, never as markup."""
        self.notify(outside(text), severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    def _curation_target(self) -> Entity | None:
        """The entity the keys act on: the one selected in the sidebar, else the one in view."""
        if isinstance(self.focused, EntityList) and self.opened is not None:
            for item in self.opened.entities:
                if item.entity.id == self.selected_entity:
                    return item.entity
        if self.view == "entity" and self.page is not None:
            return self.page.record.entity
        self._say("Select an entity first (e lists the article's entities; v opens one's view).", timeout=4)
        return None

    # The changes.

    def action_curate_rename(self) -> None:
        from tuibrowser.core.entities.curation import ops
        from tuibrowser.tui.screens.dialogs import TextPrompt

        entity = self._curation_target()
        if entity is None:
            return

        def renamed(name: str | None) -> None:
            if name is not None and name != entity.name:
                self._run_curation(ops.Rename(entity.id, name))

        prompt = TextPrompt(
            f"Rename {entity.name}",
            value=entity.name,
            note="The old name stays an alias, so the articles that write it stay linked.",
            empty="A name cannot be empty: type the new name, or Escape to keep it.",
        )
        self.app.push_screen(prompt, renamed)

    def action_curate_alias(self) -> None:
        from tuibrowser.core.entities.curation import ops
        from tuibrowser.tui.screens.dialogs import TextPrompt

        entity = self._curation_target()
        if entity is None:
            return

        def added(alias: str | None) -> None:
            if alias is not None:
                self._run_curation(ops.AddAlias(entity.id, alias))

        also = ", ".join(entity.aliases) if entity.aliases else "no aliases yet"
        prompt = TextPrompt(
            f"Add an alias to {entity.name}",
            note=f"Another spelling to link to it (now: {also}).",
            empty="An alias cannot be empty: type a spelling, or Escape to cancel.",
        )
        self.app.push_screen(prompt, added)

    def action_curate_unalias(self) -> None:
        from tuibrowser.core.entities.curation import ops
        from tuibrowser.tui.screens.dialogs import PickerScreen

        entity = self._curation_target()
        if entity is None or not self._has_aliases(entity, "remove"):
            return

        def chosen(alias: str | None) -> None:
            if alias is not None:
                self._run_curation(ops.RemoveAlias(entity.id, alias))

        picker = PickerScreen(
            f"Remove an alias of {entity.name}",
            _alias_choices(entity),
            note="Type to filter · Enter remove it (undo: u) · Escape cancel",
        )
        self.app.push_screen(picker, chosen)

    def action_curate_retype(self) -> None:
        from tuibrowser.core.entities.curation import ops
        from tuibrowser.tui.screens.dialogs import PickerScreen

        entity = self._curation_target()
        if entity is None:
            return

        def chosen(kind: str | None) -> None:
            if kind is not None and kind != entity.type:
                self._run_curation(ops.Retype(entity.id, kind))

        choices = _type_choices(entity.type, "(now)")
        self.app.push_screen(PickerScreen(f"Type of {entity.name}", choices, start=entity.type), chosen)

    def action_curate_split(self) -> None:
        from tuibrowser.core.entities.curation import ops
        from tuibrowser.tui.screens.dialogs import PickerScreen

        entity = self._curation_target()
        if entity is None or not self._has_aliases(entity, "split off"):
            return

        def typed(alias: str, kind: str | None) -> None:
            if kind is not None:
                self._run_curation(ops.Split(entity.id, alias, kind))

        def chosen(alias: str | None) -> None:
            if alias is None:
                return
            # The same list retype uses; the old entity's type is marked, and highlighted, as a likely answer.
            choices = _type_choices(entity.type, f"(as {entity.name})")
            picker = PickerScreen(f"Type of {alias}, split off {entity.name}", choices, start=entity.type)
            self.app.push_screen(picker, partial(typed, alias))

        picker = PickerScreen(
            f"Split an alias off {entity.name}",
            _alias_choices(entity),
            note="Type to filter · Enter split it off (its type next) · Escape cancel",
        )
        self.app.push_screen(picker, chosen)

    def action_curate_merge(self) -> None:
        from tuibrowser.core.entities.curation import ops
        from tuibrowser.tui.screens.dialogs import PickerScreen

        entity = self._curation_target()
        if entity is None:
            return
        services = self.services

        def candidates() -> list[Choice]:
            return _merge_choices(services, entity.id)

        def chosen(into: str | None) -> None:
            if into is not None:
                self._run_curation(ops.Merge(entity.id, into))

        picker = PickerScreen(
            f"Merge {entity.name} into…",
            candidates,
            note="Type to filter · Enter merge: the other entity gains its name and aliases · Escape cancel",
        )
        self.app.push_screen(picker, chosen)

    def action_curate_hide(self) -> None:
        from tuibrowser.core.entities.curation import ops

        entity = self._curation_target()
        if entity is not None:
            self._run_curation(ops.Hide(entity.id))

    def action_curate_promote(self) -> None:
        from tuibrowser.core.entities.curation import ops

        # A curated entity is answered by the core ("already in entities.toml"), which reads
        # the file as it is now, not as this screen last saw it.
        entity = self._curation_target()
        if entity is not None:
            self._run_curation(ops.Promote(entity.id))

    def action_hidden_names(self) -> None:
        from tuibrowser.core.entities.curation import ops
        from tuibrowser.tui.screens.hidden import HiddenScreen

        def chosen(name: str | None) -> None:
            if name is not None:
                self._run_curation(ops.Unhide(name))

        self.app.push_screen(HiddenScreen(self.services), chosen)

    def action_undo_curation(self) -> None:
        self._run_curation("undo")

    def action_redo_curation(self) -> None:
        self._run_curation("redo")

    def _has_aliases(self, entity: Entity, verb: str) -> bool:
        """Whether the entity has an alias to choose; if not, say so (no empty dialog)."""
        if entity.aliases:
            return True
        self._say(f"{entity.name} has no alias to {verb} (A adds one).", timeout=4)
        return False

    # Running one, and showing what it did.

    def _run_curation(self, op: ops.CurationOp | str) -> None:
        if self._curating:
            self._say("A change to the entities is still being applied; try again when it is done.", timeout=4)
            return
        if not self.index_ready:
            self._say("The index is being built; change entities when it is ready.", timeout=4)
            return
        self._curating = True
        self.indexing = "undoing" if op == "undo" else "redoing" if op == "redo" else "changing the entities"
        self._update_location()
        article_id = self.opened.article.id if self.opened is not None else None
        query = self.opened.query if self.opened is not None else ""
        # Not only when the view is open: after going up from it, it can stay beside the results.
        in_view = self.page
        entity_id = in_view.record.entity.id if in_view is not None else None
        window = in_view.window if in_view is not None else None
        self._start_job("curate", jobs.curate, self.services, op, article_id, query, entity_id, window, self)

    def curation_failed(self, error: str) -> None:
        """The job raised what it does not expect (the worker-error handler calls this)."""
        self._curating = False
        self.indexing = None
        self._say(f"The change could not be made: {error}", severity="error", timeout=8)
        self._update_location()

    @on(CurationProgress)
    def _curation_progress(self, event: CurationProgress) -> None:
        if self._curating and event.total:
            self.indexing = f"relinking {100 * event.done // event.total}%"
            self._update_location()

    @on(CurationDone)
    def _curation_done(self, event: CurationDone) -> None:
        self._curating = False
        self.indexing = None
        result = event.result
        if result is None:
            self._say(f"Not changed: {event.error}", severity="error", timeout=8)
            self._update_location()
            return
        if not result.changed:
            self._say(f"Nothing to change: {result.summary}", timeout=4)
            self._update_location()
            return
        summary = result.summary[:1].upper() + result.summary[1:]
        relinked = f" ({plural(result.report.relinked, 'article')} relinked)" if result.report is not None else ""
        self._say(summary + relinked, timeout=6)
        if result.notice:
            self._say(result.notice, severity="warning", timeout=8)
        if result.moved or result.restored:
            self._carry(result)
        if event.generation is not None:
            self.generation = event.generation  # the poll need not find this change again
        for entity_id in result.entities:
            self.timelines.pop(entity_id, None)
        self._show_curated(event, result)

    def _carry(self, result: CurationResult) -> None:
        """Bookmarks and watches of an entity merged away move to the one it joined, and back
        when the merge is undone: exactly, for a merge made in this session (what was
        carried is kept by the change's number), else without losing any."""
        from tuibrowser.core.entities.curation.carry import carry_back, carry_over

        registry = self.services.registry

        def label(entity_id: str) -> str:
            record = registry.get(entity_id)
            return record.entity.name if record is not None else entity_id

        changed = False
        if result.moved:
            carried = carry_over(self.store, result.moved, label)
            change = result.target if result.op in ("undo", "redo") else result.seq
            if change is not None:
                self._carried[change] = carried
            changed = bool(carried)
        if result.restored:
            carried_then = self._carried.pop(result.target, None) if result.target is not None else None
            changed = bool(carry_back(self.store, result.restored, carried_then, label)) or changed
        if changed:
            self._state_changed()
            self._count_news()

    def _show_curated(self, event: CurationDone, result: CurationResult) -> None:
        """The open article, its sidebar, the entity view and the results, with the new names."""
        if self.query_text.strip():
            self._search_now()  # an entity: query may match differently now
        else:
            self._load_latest()
        opened = event.opened
        same_article = opened is not None and self.opened is not None and opened.article.id == self.opened.article.id
        present = {item.entity.id for item in opened.entities} if opened is not None and same_article else None
        before = self.selected_entity
        self.selected_entity = self._selection_after(result, present)
        if self.cursor is not None and self.cursor.kind == "mention" and self.selected_entity != before:
            self.cursor = None  # a mention of the entity no longer selected
        reader = self.query_one(ArticleReader)
        reader.set_selected_entity(self.selected_entity)
        if opened is not None and same_article:
            self.opened = opened
            reader.show(opened, cursor=self.cursor, top=reader.top_offset())
            sidebar = self.query_one(EntitySidebar)
            sidebar.show_entities(opened.entities, self.selected_entity)
            self.detail = None
            sidebar.show_detail(None, opened.article.id)
            self._reload_detail()
        if self.page is not None and event.page_asked is not None:
            page = event.page
            if page is not None:
                self.page = page
                if page.window is None:
                    self.timelines[page.record.entity.id] = page.timeline
                if self.view == "entity":
                    self.selected_entity = page.record.entity.id
                self._show_page(page, self.query_one(EntityView).highlighted_row())
            else:
                self._drop_page()
        self._update_location()

    def _selection_after(self, result: CurationResult, present: set[str] | None) -> str | None:
        """The entity to select after a change: the same one while it exists, the one it
        joined when it was merged away, else none; an undo or redo that brings back an entity
        a change took the selection from selects it again.

        `present` holds the ids of the open article's entities as read after the change (None
        when no article was read again: then only the change's own removals count).
        """
        before = self.selected_entity
        after = result.moved.get(before, before) if before is not None else None
        if after is not None and (after not in present if present is not None else after in result.removed):
            after = None
        taken = self._unselected
        if (
            taken is not None
            and result.op in ("undo", "redo")
            and present is not None
            and after == taken[1]
            and taken[0] in present
        ):
            self._unselected = None
            return taken[0]
        if before is not None and after != before:
            self._unselected = (before, after)
        return after

    def _drop_page(self) -> None:
        """The entity in the entity view is gone (hidden): nothing may show it any more, not
        the view (which stays beside the results after going up from it), nor the view's
        place in the centre; from the view itself, back to where it was opened from."""
        self.page = None
        self.query_one(EntityView).clear()
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "entity-view":
            switcher.current = "reader"
        if self.view == "entity":
            self.action_up()


def _merge_choices(services: Services, entity_id: str) -> list[Choice]:
    """Every other entity, most mentioned first, matched by any of its names (a worker calls it)."""
    from tuibrowser.tui.screens.dialogs import Choice

    records = sorted(
        services.registry.records.values(), key=lambda r: (-r.articles, -r.mentions, r.entity.name.casefold())
    )
    return [
        Choice(
            r.entity.id,
            r.entity.name,
            f"{r.entity.type}{', discovered' if r.entity.discovered else ''}, {plural(r.articles, 'article')}",
            tuple(r.entity.names()),
            # As the palette does: among equal matches, the entity mentioned more comes first.
            1 + math.log10(1 + r.articles) / 10,
        )
        for r in records
        if r.entity.id != entity_id
    ]


def _alias_choices(entity: Entity) -> list[Choice]:
    """The entity's aliases, in the file's order (the key is the alias as written)."""
    from tuibrowser.tui.screens.dialogs import Choice

    return [Choice(alias, alias) for alias in entity.aliases]


def _type_choices(current: str, mark: str) -> list[Choice]:
    """Every entity type, in the file's order; `current` is marked with `mark`."""
    from tuibrowser.core.entities.kb import ENTITY_TYPES
    from tuibrowser.tui.screens.dialogs import Choice

    return [Choice(kind, kind, mark if kind == current else "") for kind in ENTITY_TYPES]
