"""Resource paths of the OData interface, read as 1C reads them.

``Catalog_X``, ``Catalog_X(guid'…')``, ``Catalog_X(Ref_Key=guid'…')``,
``Document_X_Товары(Ref_Key=guid'…',LineNumber=1)``,
``AccumulationRegister_X(Recorder=guid'…',Recorder_Type='StandardODATA.…')``,
then segments: ``$count``, ``Post``, a navigation property, a property,
``$value``, or a virtual table with its parameters
(``Balance(Period=datetime'…',Condition='…')``).
"""

import re
from datetime import datetime

from .model import DATE_FORMAT


class PathError(ValueError):
    """A resource path or key that cannot be read."""


_NAME = re.compile(r"^[^\W\d]\w*$")
_GUID = re.compile(r"^guid'([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})'$")
_DATETIME = re.compile(r"^datetime'(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)'$")


def split_outside(text, separator):
    """``text`` split at ``separator`` outside quotes and parentheses."""
    parts, depth, quoted, start = [], 0, False, 0
    for position, char in enumerate(text):
        if char == "'":
            quoted = not quoted  # '' inside a string toggles twice
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:position])
            start = position + 1
    if quoted or depth:
        raise PathError(f"unbalanced quotes or parentheses in {text!r}")
    parts.append(text[start:])
    return parts


def call_parts(segment):
    """``(name, argument text or None)`` of ``Name`` or ``Name(...)``."""
    name, bracket, rest = segment.partition("(")
    if not bracket:
        return name, None
    if not rest.endswith(")"):
        raise PathError(f"cannot read {segment!r}")
    return name, rest[:-1]


def parse_resource(resource):
    """``(set name, key text or None, [segments])``."""
    segments = [s for s in split_outside(resource, "/") if s]
    if not segments:
        raise PathError("no entity set in the path")
    name, key = call_parts(segments[0])
    if not _NAME.match(name):
        raise PathError(f"cannot parse resource {resource!r}")
    return name, key, segments[1:]


def literal(text):
    """The value of an OData literal in a key or a parameter."""
    text = text.strip()
    guid = _GUID.match(text)
    if guid:
        return guid.group(1).lower()
    date = _DATETIME.match(text)
    if date:
        value = date.group(1)
        value = value if len(value) == 19 else value + ":00"
        return datetime.strptime(value, DATE_FORMAT)
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if text.isdigit():
        return int(text)
    raise PathError(f"cannot read the literal {text!r}")


def _raw_arguments(text):
    """``{name: literal text}`` of ``A=lit,B=lit`` (empty text: none)."""
    arguments = {}
    for part in split_outside(text or "", ","):
        if not part.strip():
            continue
        name, equals, value = part.partition("=")
        if not equals or not _NAME.match(name.strip()):
            raise PathError(f"cannot read the argument {part!r}")
        arguments[name.strip()] = value.strip()
    return arguments


def named_arguments(text):
    """``{name: value}`` of ``A=lit,B=lit`` (empty text: none)."""
    return {name: literal(raw) for name, raw in _raw_arguments(text).items()}


def parse_key(text, keys, guid_keys=()):
    """``{key property: value}`` of a key segment, for a set keyed by
    ``keys``; a lone literal is the value of a single key. The keys named
    in ``guid_keys`` take ``guid'…'`` literals only."""
    if "=" not in text or _GUID.match(text.strip()):
        if len(keys) != 1:
            raise PathError(f"name every key: {', '.join(keys)}")
        raw = {keys[0]: text.strip()}
    else:
        raw = _raw_arguments(text)
    if set(raw) != set(keys):
        raise PathError(f"bad key ({text}): the keys are {', '.join(keys)}")
    for name in guid_keys:
        if not _GUID.match(raw[name]):
            raise PathError(f"bad key ({text}): {name} takes guid'…'")
    return {name: literal(value) for name, value in raw.items()}
