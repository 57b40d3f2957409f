"""Fault injection: make the stand-in misbehave like a real 1C under load.

A rule matches requests by a regular expression searched in
``"<METHOD> <path>?<query>"`` (path and query percent-decoded) and applies
one fault ``times`` times (``None``: until removed). Kinds:

``latency``           answer normally after ``delay`` seconds
``timeout``           wait ``delay`` seconds (default 30) before answering,
                      so a client with a shorter timeout gives up
``http_500``          500 with 1C's internal error body (code -1)
``http_503``          503 from the web server in front of 1C (HTML)
``malformed``         the real answer with a syntax error in the middle
``truncated``         the first half of the real answer only
``partial``           a well-formed answer whose last record has no usable
                      reference (``Ref_Key`` dropped in JSON, ``Ref``
                      emptied in SOAP, which keeps the XML schema-valid)
``expired_password``  401: the 1C user's password has expired
``xml_entity``        an XML answer declaring a DTD and an external entity
``atom``              the answer 1C gives without ``$format`` and ``Accept``
                      (Atom): a proxy that drops them
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field
from itertools import count

KINDS = (
    "latency",
    "timeout",
    "http_500",
    "http_503",
    "malformed",
    "truncated",
    "partial",
    "expired_password",
    "xml_entity",
    "atom",
)
BEFORE = ("latency", "timeout")
BODY_FAULTS = ("malformed", "truncated", "partial")
_XML_REF = re.compile(rb"<((?:\w+:)?Ref)>[^<]*</\1>")


@dataclass
class FaultRule:
    """One fault; ``hits`` counts the requests it has affected."""

    id: int
    pattern: str
    kind: str
    times: int | None = None
    delay: float = 0.0
    hits: int = 0
    regex: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {KINDS}")
        self.regex = re.compile(self.pattern)

    def as_dict(self):
        return {
            "id": self.id,
            "pattern": self.pattern,
            "kind": self.kind,
            "times": self.times,
            "delay": self.delay,
            "hits": self.hits,
        }


class Faults:
    """The active fault rules of a stand-in; safe to change while it runs."""

    def __init__(self):
        self._rules = []
        self._lock = threading.Lock()
        self._ids = count(1)

    def add(self, pattern, kind, times=None, delay=None):
        """Add a rule and return it; ``delay`` matters for latency/timeout."""
        if delay is None:
            delay = 30.0 if kind == "timeout" else 0.0
        rule = FaultRule(next(self._ids), pattern, kind, times, float(delay))
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule_id):
        with self._lock:
            self._rules = [rule for rule in self._rules if rule.id != rule_id]

    def clear(self):
        with self._lock:
            self._rules = []

    def rules(self):
        with self._lock:
            return list(self._rules)

    def take(self, request_line):
        """The first rule matching ``request_line``, counting one use of it."""
        with self._lock:
            for rule in self._rules:
                if rule.regex.search(request_line):
                    rule.hits += 1
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self._rules.remove(rule)
                    return rule
        return None


def wait(rule):
    """Apply the delay of a latency or timeout fault."""
    if rule.kind in BEFORE:
        time.sleep(rule.delay)


def corrupt(rule, body):
    """The answer body damaged as ``rule`` says."""
    if rule.kind == "truncated":
        return body[: len(body) // 2]
    if rule.kind == "malformed":
        middle = len(body) // 2
        # invalid in JSON and in XML 1.0 alike
        return body[:middle] + b'}\x01{<"' + body[middle:]
    return _without_last_ref(body)


def _without_last_ref(body):
    if body.lstrip().startswith(b"<"):
        refs = list(_XML_REF.finditer(body))
        if not refs:
            return body
        tag = refs[-1].group(1)
        empty = b"<" + tag + b"></" + tag + b">"
        return body[: refs[-1].start()] + empty + body[refs[-1].end() :]
    try:
        answer = json.loads(body)
        answer["value"][-1].pop("Ref_Key")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return body
    return json.dumps(answer, ensure_ascii=False).encode()
