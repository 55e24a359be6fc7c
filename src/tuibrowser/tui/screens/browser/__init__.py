"""The browser's main screen, in parts (see screen.py)."""

from tuibrowser.tui.screens.browser.screen import MainScreen

__all__ = ["MainScreen"]
