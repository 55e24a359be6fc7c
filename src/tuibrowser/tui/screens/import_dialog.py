"""Import from the TUI: a dialog for paths, visible progress, and every file's verdict."""

from __future__ import annotations

import glob
import shlex
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from tuibrowser.core.importer import Verdict
from tuibrowser.core.services import Services
from tuibrowser.tui.screens import Dialog
from tuibrowser.tui.text import outside

STATUS_STYLE = {"imported": "bold", "updated": "bold", "duplicate": "dim", "rejected": "bold reverse"}


class ImportScreen(Dialog[int]):
    """Asks for files or folders, imports them in a worker, reports each verdict.

    Dismissed with the number of articles imported or updated, so the app can refresh.
    """

    BINDINGS = [Binding("escape", "close", "Close", id="import.close")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.imported = 0
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog"):
            yield Static(Text("Import files or folders", style="bold"))
            yield Static(
                Text(
                    "Paths separated by spaces (quote a path that has spaces). "
                    ".txt .md .html .json .jsonl .csv, RSS and Atom feeds; folders recursively.",
                    style="dim",
                )
            )
            yield Input(placeholder="~/Downloads/articles", id="import-paths")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(Text(""), id="import-status")
            with VerticalScroll(id="import-verdicts"):
                yield Static(Text(""), id="import-verdict-lines")

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#import-paths", Input).focus()

    @on(Input.Submitted, "#import-paths")
    def _start(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running:
            return
        try:
            paths = [path for word in shlex.split(event.value) for path in _expanded(word)]
        except ValueError as error:
            self._status(f"Cannot read the paths: {error}")
            return
        if not paths:
            self._status("Type at least one path.")
            return
        self.running = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status("Reading the corpus…")
        self.run_import(self.services, paths)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_import(self, services: Services, paths: list[Path]) -> None:
        """Import in a thread; progress and the verdicts come back through call_from_thread."""

        def progress(done: int, total: int, path: str) -> None:
            self.app.call_from_thread(self._progress, done, total, path)

        verdicts = services.import_paths(paths, progress=progress)
        self.app.call_from_thread(self._done, verdicts)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A locked index, a bad entities.toml: said in the dialog, never a crash."""
        if event.state is WorkerState.ERROR:
            self._failed(str(event.worker.error))

    def _progress(self, done: int, total: int, path: str) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)
        self._status(f"Examined {done} of {total}: {outside(path)}" + ("; indexing…" if done == total else ""))

    def _failed(self, message: str) -> None:
        self.running = False
        self._status(f"Import failed: {outside(message)}")

    def _done(self, verdicts: list[Verdict]) -> None:
        self.running = False
        counts = {s: sum(v.status == s for v in verdicts) for s in ("imported", "updated", "duplicate", "rejected")}
        self.imported = counts["imported"] + counts["updated"]
        self._status(", ".join(f"{n} {s}" for s, n in counts.items()) + ". Escape closes.")
        lines = Text()
        for verdict in verdicts:
            lines.append(f"{verdict.status:<9} ", style=STATUS_STYLE[verdict.status])
            lines.append(outside(verdict.path))
            detail = ", ".join(verdict.ids) if verdict.status in ("imported", "updated") else verdict.reason
            if detail:
                lines.append(f"  ({outside(detail)})", style="dim")
            lines.append("\n")
        self.query_one("#import-verdict-lines", Static).update(lines)
        self.query_one("#import-verdicts", VerticalScroll).focus()  # arrows, Page Down and End scroll them

    def _status(self, message: str) -> None:
        self.query_one("#import-status", Static).update(Text(message))

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.imported)
            return
        self.notify(
            "The import goes on; Escape closes this when it is done. Ctrl+Q quits now "
            "(what is copied so far is indexed at the next start).",
            timeout=5,
        )


def _expanded(word: str) -> list[Path]:
    """A typed path, "~" expanded; a pattern ("~/feeds/*.xml") is expanded as a shell would
    (no shell reads what is typed here), and kept as typed when nothing matches, so the
    import says so."""
    path = Path(word).expanduser()
    if path.exists() or not any(c in word for c in "*?["):
        return [path]
    matches = sorted(glob.glob(str(path)))
    return [Path(m) for m in matches] or [path]
