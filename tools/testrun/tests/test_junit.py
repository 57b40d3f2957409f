from testrun.junit import junit_counts
from testrun.summary import Part

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="t.A" name="test_ok"/>
  <testcase classname="t.A" name="test_bad"><failure message="boom"/></testcase>
  <testcase classname="t.A" name="test_crash"><error message="setup"/></testcase>
  <testcase classname="t.A" name="test_later"><skipped message="no"/></testcase>
  <testcase classname="t.B" name="test_sub"/>
  <testcase classname="t.B" name="test_sub"><failure message="sub 2"/></testcase>
  <testcase classname="t.B" name="test_sub"/>
  <testcase classname="t.B" name="test_subs_pass"/>
  <testcase classname="t.B" name="test_subs_pass"/>
</testsuite></testsuites>
"""


def test_counts_each_test_once_and_a_failed_subtest_fails_it(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(REPORT)
    part = Part("p")
    junit_counts(report, part)
    assert (part.passed, part.failed, part.skipped) == (2, 3, 1)


def test_counts_add_up_over_reports(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(REPORT)
    part = Part("p")
    junit_counts(report, part)
    junit_counts(report, part)
    assert (part.passed, part.failed, part.skipped) == (4, 6, 2)


def test_a_missing_report_is_one_failure(tmp_path):
    part = Part("p")
    junit_counts(tmp_path / "none.xml", part)
    assert (part.passed, part.failed) == (0, 1)
    assert "none.xml" in part.notes[0]
