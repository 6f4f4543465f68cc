"""A minimal progress bar on stderr (no dependency), used by imports and the CLI.

>>> import io
>>> buf = io.StringIO()
>>> with Progress(4, "import", stream=buf, force=True) as bar:
...     bar.update(2); bar.update(2)
>>> "4/4" in buf.getvalue()
True
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Progress of ``total`` steps, redrawn at most ten times a second.

    Parameters
    ----------
    total : int
        Number of steps.
    label : str
        Text shown before the bar.
    stream : file, optional
        Where to draw (default ``sys.stderr``).
    force : bool
        Draw even when ``stream`` is not a terminal (otherwise only the final line is written).
    """

    def __init__(self, total: int, label: str = "", *, stream: TextIO | None = None, force: bool = False):
        self.total = max(int(total), 0)
        self.label = label
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.live = force or getattr(self.stream, "isatty", lambda: False)()
        self._last = 0.0
        self._start = time.monotonic()

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` steps."""
        self.done = min(self.done + n, self.total) if self.total else self.done + n
        now = time.monotonic()
        if self.live and (now - self._last > 0.1 or self.done >= self.total):
            self._last = now
            self._draw(end="")

    def __call__(self, done: int, total: int) -> None:
        """Callback form ``progress(done, total)`` used by :class:`coopeval.store.Project`."""
        self.total = total
        self.update(done - self.done)

    def _draw(self, end: str) -> None:
        width = 30
        frac = self.done / self.total if self.total else 1.0
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        secs = time.monotonic() - self._start
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} ({secs:.1f} s){end}")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._draw(end="\n")
