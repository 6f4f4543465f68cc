"""What every ``coopeval`` command shares: exit statuses, the error explained to the user,
opening a project, the elapsed-time indicator, printing a table and declaring a subcommand."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure explained to the user (exit status 1, no traceback)."""


def _project(location: str, role: str = "researcher") -> Any:
    from coopeval.store import Project

    return Project.open(location, role=role)


class _Ticker:
    """Elapsed-time indicator on stderr for work without known length (Monte Carlo, reports)."""

    def __init__(self, label: str):
        self.label = label
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.monotonic()
        self.live = sys.stderr.isatty()

    def _run(self) -> None:
        spin = "|/-\\"
        i = 0
        while not self._stop.wait(0.25):
            sys.stderr.write(f"\r{self.label} {spin[i % 4]} {time.monotonic() - self._start:.0f} s")
            sys.stderr.flush()
            i += 1

    def __enter__(self) -> _Ticker:
        if self.live:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.live:
            self._thread.join()
        sys.stderr.write(f"\r{self.label} : {time.monotonic() - self._start:.1f} s\n")


def _write_table(df: Any, out: str | None) -> None:
    if out:
        df.to_csv(out, index=False)
        print(f"{len(df)} lignes écrites / rows written: {out}")
    else:
        with __import__("pandas").option_context("display.width", 120, "display.max_columns", 12):
            print(df.head(30).to_string(index=False))
            if len(df) > 30:
                print(f"… {len(df) - 30} more rows / lignes de plus (use --out FILE.csv)")


def _print_counts(p: Any) -> None:
    counts = p.counts()
    shown = {k: v for k, v in counts.items() if k in ("frameworks", "units", "waves", "observations",
                                                      "responses", "resources", "sessions", "judgements",
                                                      "results")}
    print("  " + ", ".join(f"{k}: {v}" for k, v in shown.items()))


def _add(sub: Any, name: str, en: str, fr: str, fn: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=f"{en} — {fr}", description=f"{en}\n\n{fr}",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(func=fn)
    return parser
