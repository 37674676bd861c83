"""show -e (only some syscalls), -f (tids) and -c (calls and errors per syscall)."""
import re

from helpers import TmpTestCase, is_event_line, record, run, tracee


class ShowOptions(TmpTestCase):
    def setUp(self):
        super().setUp()
        self.input = self.tmpfile("in.txt", b"abc\n")
        p, self.rec = record(self.tmp, [tracee("files"), self.input], ["--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)

    def lines(self, *opts):
        p = run(["show"] + list(opts) + [self.rec])
        self.assertEqual(p.returncode, 0, p.stderr)
        return [line for line in p.stdout.decode().splitlines() if not line.startswith("#")]

    def test_only_named_syscalls(self):
        got = self.lines("-e", "trace=openat,write")
        # As strace: -e leaves the signals and the ends of threads in.
        self.assertRegex(got[-1], r"^\+\+\+ exited with 0 \+\+\+$")
        got = [line for line in got if not is_event_line(line)]
        names = [line.split("(")[0] for line in got]
        self.assertTrue(set(names) <= {"openat", "write"}, names)
        self.assertIn('write(1, "abc\\n", 4) = 4', got)
        self.assertEqual(got[-1], 'openat(AT_FDCWD, "/nonexistent/sperrips-test", O_RDONLY) = -1 ENOENT '
                                  '(No such file or directory)')

    def test_tids(self):
        got = self.lines("-f", "-e", "exit_group")
        self.assertEqual(len(got), 2)
        self.assertRegex(got[0], r"^\[pid \d+\] exit_group\(0\) = \?$")
        tid = got[0].split("]")[0]
        self.assertEqual(got[1], tid + "] +++ exited with 0 +++")

    def test_counts(self):
        got = self.lines("-c")
        rows = {}
        for line in got[2:-2]:
            m = re.match(r"^\s*(\d+)\s+(\d*)\s+(\w+)$", line)
            self.assertIsNotNone(m, line)
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2) or 0))
        self.assertEqual(rows["write"], (1, 0))
        self.assertEqual(rows["exit_group"], (1, 0))
        total = re.match(r"^\s*(\d+)\s+(\d+) total$", got[-1])
        self.assertEqual(int(total.group(1)), sum(c for c, _ in rows.values()))
        self.assertEqual(int(total.group(2)), sum(e for _, e in rows.values()))
        self.assertGreaterEqual(rows["openat"][1], 1)

    def test_unknown_name(self):
        p = run(["show", "-e", "nosuchcall", self.rec])
        self.assertEqual(p.returncode, 2)
        self.assertOneLineError(p, 'no syscall or class called "nosuchcall"')
