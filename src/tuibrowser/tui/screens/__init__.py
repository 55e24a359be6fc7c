"""The app's screens: the main browser, and the dialogs it opens over it."""

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

QUIT_ANYWHERE = Binding("Q", "app.quit", "Quit", id="main.quit", show=False)
"""Q quits from the browser and from over its dialogs: a modal screen hides the app's own
bindings from its keys (textual screen.py `_modal_binding_chain`), so each dialog that has
no text box lists this one too."""


ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A dialog over the browser. The toasts raised before it opened are dismissed: at 80x24
    they sat over its lower lines (a prompt's box, a list's last rows), and they spoke of
    the screen underneath."""

    def on_mount(self) -> None:
        self.app.clear_notifications()
        # Textual redraws the toasts of the top screen only; the screen below still shows
        # its own through the dialog's translucent background.
        for screen in self.app.screen_stack[:-1]:
            screen.query("Toast").remove()
