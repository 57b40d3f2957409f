"""The Odoo log check: any WARNING, ERROR, CRITICAL or traceback fails the
run unless ``tools/log_allowlist.txt`` lists it with a reason."""

import re

from .shell import ROOT

ALLOWLIST = ROOT / "tools" / "log_allowlist.txt"
LOG_PROBLEM = re.compile(
    r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) |^Traceback \(most recent"
)
REASON = " ## "


def parse_allowlist(text, name=ALLOWLIST.name):
    """The allow-list's patterns; every entry needs ``pattern ## reason``."""
    patterns = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, _, reason = line.partition(REASON)
        if not reason.strip():
            raise SystemExit(f"{name}: every entry needs '{REASON}reason': {line}")
        patterns.append(re.compile(pattern.strip()))
    return patterns


def problem_lines(lines, allowed):
    """The lines that are a problem and that no allowed pattern matches."""
    return [
        line
        for line in lines
        if LOG_PROBLEM.search(line) and not any(p.search(line) for p in allowed)
    ]


def log_problems(logs, allowed):
    problems = []
    for log in logs:
        if log.exists():
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
            problems += [f"{log.name}: {p}" for p in problem_lines(lines, allowed)]
    return problems


def check_logs(part, logs, workdir):
    """Fail ``part`` once when the logs have unexpected lines; list them."""
    allowed = parse_allowlist(ALLOWLIST.read_text(encoding="utf-8"))
    problems = log_problems(logs, allowed)
    if problems:
        part.notes.append(
            f"log check: {len(problems)} unexpected line(s), logs in {workdir}"
        )
        part.notes.extend("  " + p for p in problems[:40])
    part.stage(not problems, "log check")
