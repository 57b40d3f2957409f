"""The parts of a run, their counts, and the summary that ends with the line
``N passed, N failed``."""

import time
from dataclasses import dataclass, field


@dataclass
class Part:
    name: str
    ran: bool = False
    why_not: str = ""
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    def stage(self, ok, what):
        """A step that is not a test (an install, a log check): a failed one
        counts as one failure."""
        if not ok:
            self.failed += 1
            self.notes.append(f"FAILED: {what}")
        return ok

    def status(self):
        if not self.ran:
            return f"NOT RUN {self.name}: {self.why_not}"
        counts = f"{self.passed} passed, {self.failed} failed, {self.skipped} skipped"
        return f"RAN     {self.name}: {counts} in {self.seconds:.0f} s"


def timed(part, func, *args):
    """Run ``func(part, *args)`` as ``part``, timing it; returns ``part``."""
    start = time.monotonic()
    part.ran = True
    try:
        func(part, *args)
    finally:
        part.seconds = time.monotonic() - start
    return part


def summary_lines(parts):
    lines = ["", "========== summary =========="]
    for part in parts:
        lines.append(part.status())
        lines.extend(f"        {note}" for note in part.notes)
    passed = sum(part.passed for part in parts)
    failed = sum(part.failed for part in parts)
    lines.append(f"{passed} passed, {failed} failed")
    return lines


def exit_code(parts):
    """Failure when anything failed, or when nothing at all passed."""
    failed = any(part.failed for part in parts)
    return 1 if failed or not any(part.passed for part in parts) else 0
