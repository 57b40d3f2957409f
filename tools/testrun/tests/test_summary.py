from testrun.summary import Part, exit_code, summary_lines, timed


def test_summary_lists_parts_and_ends_with_the_counting_line():
    ran = Part("pure", ran=True, passed=5, failed=1, skipped=2, seconds=41.6)
    ran.notes.append("FAILED: log check")
    skipped = Part("odoo", why_not="python3 cannot import Odoo 18")
    lines = summary_lines([ran, skipped])
    assert lines[-1] == "5 passed, 1 failed"
    assert "RAN     pure: 5 passed, 1 failed, 2 skipped in 42 s" in lines
    assert "        FAILED: log check" in lines
    assert "NOT RUN odoo: python3 cannot import Odoo 18" in lines


def test_a_failed_stage_counts_as_one_failure():
    part = Part("odoo")
    assert part.stage(True, "install")
    assert not part.stage(False, "uninstall")
    assert (part.failed, part.notes) == (1, ["FAILED: uninstall"])


def test_exit_code_fails_on_a_failure_or_on_nothing_passed():
    assert exit_code([Part("a", passed=3)]) == 0
    assert exit_code([Part("a", passed=3), Part("b", failed=1)]) == 1
    assert exit_code([Part("a"), Part("b", why_not="no Odoo")]) == 1


def test_timed_marks_the_part_as_run_even_when_it_raises():
    part = Part("p")
    try:
        timed(part, lambda p: 1 / 0)
    except ZeroDivisionError:
        pass
    assert part.ran
    assert part.seconds >= 0
