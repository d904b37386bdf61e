#!/usr/bin/env python3
"""Runs the rce-probe unit tests (tests/rce/test_*.py) and prints one line
per test: "PASS rce-probe/<test>" or "FAIL rce-probe/<test>: <reason>".
Exits 0 only if every test passed and at least one ran."""

import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))


class LineResult(unittest.TestResult):
    """Collects one outcome per test; a failed subtest fails its test."""

    def __init__(self):
        super().__init__()
        self.outcomes = {}  # test name -> failure reason, or None

    @staticmethod
    def name(test):
        return "rce-probe/" + test.id().split(".")[-1].removeprefix("test_")

    @staticmethod
    def reason(err):
        last = str(err[1]).strip().splitlines() or [err[0].__name__]
        return "%s: %s" % (err[0].__name__, last[0][:200])

    def _fail(self, test, why):
        name = self.name(test)
        if self.outcomes.get(name) is None:
            self.outcomes[name] = why

    def startTest(self, test):
        super().startTest(test)
        self.outcomes.setdefault(self.name(test), None)

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test, self.reason(err))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test, self.reason(err))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._fail(test, "%s %s" % (subtest._subDescription(), self.reason(err)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._fail(test, "skipped: " + reason)


def main():
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = LineResult()
    suite.run(result)
    for name, why in result.outcomes.items():
        print("PASS " + name if why is None else "FAIL %s: %s" % (name, why), flush=True)
    # Modules that failed to import show up as errors outside any test.
    if not result.outcomes:
        print("FAIL rce-probe/tests: no test ran (%s)" % (result.errors[:1] or "none found"))
        return 1
    return 0 if all(why is None for why in result.outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
