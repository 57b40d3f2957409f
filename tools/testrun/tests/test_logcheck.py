import pytest

from testrun.logcheck import ALLOWLIST, parse_allowlist, problem_lines

INFO = "2026-01-01 10:00:00,000 42 INFO db odoo.modules: loading"
WARNING = "2026-01-01 10:00:00,000 42 WARNING db odoo.fields: Field x.y: odd"
ERROR = "2026-01-01 10:00:00,000 42 ERROR ? odoo.tests.common: Importing test"


def test_entries_need_a_reason():
    with pytest.raises(SystemExit, match="reason"):
        parse_allowlist("odoo\\.fields\n")


def test_comments_and_blank_lines_are_no_entries():
    patterns = parse_allowlist("# a comment\n\nodoo\\.fields ## known upstream\n")
    assert [p.pattern for p in patterns] == ["odoo\\.fields"]


def test_warnings_errors_and_tracebacks_are_problems_info_is_not():
    lines = [INFO, WARNING, ERROR, "Traceback (most recent call last):"]
    assert problem_lines(lines, []) == lines[1:]


def test_an_allowed_line_is_no_problem():
    allowed = parse_allowlist("Field x\\.y: odd ## why we accept it\n")
    assert problem_lines([WARNING, ERROR], allowed) == [ERROR]


def test_the_allowlist_of_this_repository_parses():
    assert parse_allowlist(ALLOWLIST.read_text(encoding="utf-8"))
