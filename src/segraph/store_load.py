"""``segraph load``: the files into a persistent store, with a progress bar and a summary.

Apart from ``load.py`` (the rdflib corpus) so that loading a big export imports no rdflib.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from segraph.store import PersistentStore, StoredFile, source_files


@dataclass(frozen=True)
class LoadSummary:
    """What ``segraph load`` put into a store: the files, their triples, and how long it took."""

    directory: Path
    files: list[StoredFile]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(f.triples for f in self.files)

    def lines(self) -> list[str]:
        """One line per file, then the totals with the rate."""
        width = max(len(f.display) for f in self.files)
        lines = [f"  {f.display.ljust(width)}  {f.triples:>10,} triples  <{f.graph}>" for f in self.files]
        rate = self.triples / self.seconds if self.seconds > 0 else 0.0
        lines.append(
            f"loaded {len(self.files)} files, {self.triples:,} triples into {self.directory} "
            f"in {self.seconds:.1f} s ({rate:,.0f} triples/s)"
        )
        return lines


def load_store(
    directory: Path, data_paths: Sequence[Path] | None = None, show_progress: bool = False, compact: bool = True
) -> LoadSummary:
    """Load the ontology, reference data and data files (default data/) into a store on disk, replacing it whole.

    A file that does not parse stops the load with a LoadError naming file and
    line, and the previous store stays as it was (see ``PersistentStore.build``,
    also for ``compact``).
    """
    start = time.perf_counter()
    if show_progress:
        total = sum(path.stat().st_size for path, _ in source_files(data_paths))
        with ProgressBar(total) as bar:
            store = PersistentStore.build(directory, data_paths, bar, compact)
    else:
        store = PersistentStore.build(directory, data_paths, compact=compact)
    return LoadSummary(directory, store.files, time.perf_counter() - start)


class ProgressBar:
    """A rich progress bar on stderr over the bytes to read, with the triples per second so far.

    Triples are counted exactly when a file is in; while an N-Triples file is read,
    its lines (one triple each) keep the rate live.
    """

    def __init__(self, total_bytes: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._task = self._progress.add_task("loading", total=total_bytes, rate="")
        self._start = time.perf_counter()
        self._triples = 0
        self._lines = 0

    def __enter__(self) -> ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def begin(self, path: Path) -> None:
        self._lines = 0
        self._progress.update(self._task, description=path.name)

    def advance(self, nbytes: int, lines: int) -> None:
        self._lines += lines
        self._progress.update(self._task, advance=nbytes, rate=self._rate(self._triples + self._lines))

    def file_done(self, stored: StoredFile) -> None:
        self._triples += stored.triples
        self._lines = 0
        self._progress.update(self._task, rate=self._rate(self._triples))

    def step(self, description: str) -> None:
        """A step after the files: shown on the bar and kept as a line above it, with the time it began."""
        self._progress.console.print(f"{description} ({time.perf_counter() - self._start:.1f} s in)", highlight=False)
        self._progress.update(self._task, description=description)

    def _rate(self, triples: int) -> str:
        seconds = time.perf_counter() - self._start
        return f"{triples:,} triples, {triples / seconds:,.0f} triples/s" if seconds > 0 else ""
