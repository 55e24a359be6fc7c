"""Panes whose widgets are built just after the first frame, not before it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical


class DeferredPane(Vertical):
    """A pane that shows nothing until an article or an entity is opened, so its widgets are
    mounted right after the first frame: the browser appears about 30 ms sooner.

    Whoever pushes state into it awaits `ready()` first, so a fast keyboard (or a test) can
    never reach it half-built. (Textual's `Lazy` does the same but raises MountError when
    the app quits before the first frame is over.)
    """

    def compose_deferred(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        # After the refresh that paints the first frame has been processed, not during it.
        self.call_after_refresh(self.call_after_refresh, self.ready)

    async def ready(self) -> None:
        """Build the widgets now, if they are not built yet."""
        if self.children or not self.is_attached or self.app._exit:
            return
        await self.mount_all(list(self.compose_deferred()))
