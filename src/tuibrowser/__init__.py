"""tuibrowser: a terminal news browser with ranked search and linked entities."""

__version__ = "0.1.0"
