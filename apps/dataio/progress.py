"""A plain text progress bar on stderr for the import and export commands."""

from __future__ import annotations

from typing import TextIO

WIDTH = 24


class TextProgress:
    """`checking [#######.................]  300/1000  30%`, redrawn in place on a terminal
    and written as whole lines (at most one per 10 %) elsewhere, e.g. in CI logs."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last: tuple[str, int] | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if total <= 0:
            return
        percent = done * 100 // total
        step = percent if self.tty else percent // 10 * 10
        if self.last == (phase, step) and done != total:
            return
        self.last = (phase, step)
        filled = WIDTH * done // total
        bar = "#" * filled + "." * (WIDTH - filled)
        line = f"{phase:>9} [{bar}] {done:>{len(str(total))}}/{total} {percent:3d}%"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
