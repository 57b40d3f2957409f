"""Counting tests in a JUnit report (the one pytest writes)."""

import xml.etree.ElementTree as ET


def junit_counts(path, part):
    """Add a report's tests to ``part``; a test's subtests count once with it
    (failed if any failed). A missing report counts as one failure."""
    if not path.exists():
        part.failed += 1
        part.notes.append(f"pytest wrote no report ({path.name})")
        return
    outcomes = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        key = (case.get("classname"), case.get("name"))
        if case.find("failure") is not None or case.find("error") is not None:
            outcomes[key] = "failed"
        elif case.find("skipped") is not None:
            outcomes.setdefault(key, "skipped")
        elif outcomes.get(key) != "failed":
            outcomes[key] = "passed"
    results = list(outcomes.values())
    part.passed += results.count("passed")
    part.failed += results.count("failed")
    part.skipped += results.count("skipped")
