"""Allow `python -m tuibrowser`."""

from tuibrowser.cli import run

run()
