"""The app's screens: the main browser, and the dialogs it opens over it."""
