#!/usr/bin/python3
"""Run the end-to-end tests (tests/e2e/test_*.py) with unittest.

Run from the repository's top folder with /usr/bin/python3 (Debian's, which
has python3-protobuf); BUILD (default "build") names the build folder. The
last line printed is always "e2e: N passed, N failed, N skipped"; the exit
status is non-zero if anything failed.
"""
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0
        self._started = {}

    def startTest(self, test):
        self._started[test.id()] = time.monotonic()
        super().startTest(test)

    def addSuccess(self, test):
        self.passed += 1
        super().addSuccess(test)

    def stopTest(self, test):
        took = time.monotonic() - self._started.get(test.id(), time.monotonic())
        if took > 10:
            self.stream.writeln("    (%s took %.1f s)" % (test.id(), took))
        super().stopTest(test)


def main():
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    try:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    except Exception as e:  # an import error in a test module
        print("e2e: cannot load the tests: %s" % e)
        print("e2e: 0 passed, 1 failed, 0 skipped")
        return 1
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=CountingResult)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.passed + len(result.expectedFailures)
    sys.stdout.flush()
    print("e2e: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
