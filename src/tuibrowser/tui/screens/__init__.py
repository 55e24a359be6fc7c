"""The app's screens: the main browser, and the dialogs it opens over it."""

from textual.binding import Binding

QUIT_ANYWHERE = Binding("Q", "app.quit", "Quit", id="main.quit", show=False)
"""Q quits from the browser and from over its dialogs: a modal screen hides the app's own
bindings from its keys (textual screen.py `_modal_binding_chain`), so each dialog that has
no text box lists this one too."""
