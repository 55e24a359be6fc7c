"""The key-hint line: the few keys that matter in the focused pane, fitted to the width.

Textual's Footer lists every shown binding and, at 80 columns, cuts off the ones a new user
needs most (Back, Quit). Each pane declares its hints instead (`HINTS`: binding ids and a
short label), in order of importance; the keys are read from the live bindings, so a
keymap override shows up here. F1 (all keys) is always last and always visible.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from tuibrowser.tui.text import one_line

Hint = tuple[tuple[str, ...], str]


class KeyHints(Static):
    """One line of "key label" pairs for the focused widget."""

    DEFAULT_CSS = """
    KeyHints {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh_hints())
        self.call_after_refresh(self.refresh_hints)

    def on_resize(self) -> None:
        self.refresh_hints()

    def refresh_hints(self) -> None:
        if not self.is_attached or not self.size.width:
            return  # not laid out yet (the focus set before the first frame): on_resize draws it
        self.update(self.render_hints(self.screen.focused, self.size.width - 2), layout=False)  # always one line

    def render_hints(self, focused: Widget | None, width: int) -> Text:
        keys = self._keys_by_id()
        hints: list[Hint] = list(getattr(focused, "HINTS", ())) if focused is not None else []
        pairs: list[tuple[str, str]] = []
        for ids, label in hints:
            shown = [keys[i] for i in ids if i in keys]
            if shown:
                pairs.append(("/".join(shown), label))
        tail = [(keys.get("app.help", "f1"), "help")]
        line = Text()
        budget = max(width - sum(len(k) + len(v) + 3 for k, v in tail), 0)
        for key, label in pairs:
            size = len(key) + len(label) + 3
            if size > budget:
                break
            budget -= size
            self._append(line, key, label)
        for key, label in tail:
            self._append(line, key, label)
        return one_line(line)

    @staticmethod
    def _append(line: Text, key: str, label: str) -> None:
        if line:
            line.append("  ")
        line.append(key, style="bold")
        line.append(f" {label}")

    def _keys_by_id(self) -> dict[str, str]:
        """binding id -> the first key bound to it now (keymap applied), as displayed."""
        found: dict[str, str] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.id and binding.id not in found and active.enabled:
                found[binding.id] = self.app.get_key_display(binding.with_key(key))
        return found
