"""Issue 2, done when 6: garbage, empty, truncated files and folders given to
show: a one-line error naming the file, a non-zero exit, never a crash."""
import os
import subprocess

from helpers import TmpTestCase, is_event_line, record, run, scan_fields, tracee


class BadInputs(TmpTestCase):
    def check(self, path, json=False, expect_output=False):
        args = ["show", "--json", path] if json else ["show", path]
        p = run(args)
        self.assertNoSignal(p)
        self.assertNotEqual(p.returncode, 0)
        line = self.assertOneLineError(p)
        self.assertIn(path, line)
        if not expect_output:
            self.assertEqual(p.stdout, b"")
        return p

    def test_garbage(self):
        path = self.tmpfile("garbage.bin", b"this is not a recording at all\n" * 10)
        self.check(path)
        self.check(path, json=True)

    def test_binary_garbage(self):
        path = self.tmpfile("random.bin", bytes((i * 131 + 7) % 256 for i in range(4096)))
        p = run(["show", path])
        self.assertNoSignal(p)
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(len(p.stderr.decode(errors="replace").strip().splitlines()), 1)

    def test_elf_file(self):
        self.check(tracee("files"))

    def test_empty(self):
        path = self.tmpfile("empty.bin", b"")
        self.check(path)
        self.check(path, json=True)

    def test_directory(self):
        self.check(self.tmp)

    def test_missing(self):
        self.check(os.path.join(self.tmp, "nope.bin"))

    def test_truncated_inside_a_syscall(self):
        inp = self.tmpfile("in.txt", b"abc\n")
        # plain: cut at a place of the plain stream (compressed: test_compressed.py)
        p, path = record(self.tmp, [tracee("files"), inp], ["--no-compress"], stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        data = open(path, "rb").read()
        # Find the field boundaries, then cut in the middle of the 10th syscall.
        pos, ends = 0, []
        while pos < len(data):
            tag = data[pos]
            length, shift, q = 0, 0, pos + 1
            while True:
                b = data[q]
                q += 1
                length |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            ends.append((tag, pos, q + length))
            pos = q + length
        # The metadata header comes first (issue 12): the 10th syscall field.
        self.assertEqual(ends[0][0], 0x0A)
        tag, start, end = [e for e in ends if e[0] == 0x12][9]
        cut = self.tmpfile("cut.bin", data[:(start + end) // 2])
        p = self.check(cut, expect_output=True)
        body = [l for l in p.stdout.decode().splitlines() if not l.startswith("#")]
        self.assertEqual(len(body), 9)
        self.assertIn("incomplete", p.stderr.decode())
        p = self.check(cut, json=True, expect_output=True)
        self.assertEqual(len(p.stdout.decode().splitlines()), 1 + 9)
        # Cut inside the metadata: all syscalls, but still incomplete.
        n, meta, _ = scan_fields(path)
        cut2 = self.tmpfile("cut2.bin", data[:len(data) - 5])
        p = self.check(cut2, expect_output=True)
        body = [l for l in p.stdout.decode().splitlines() if not l.startswith("#") and not is_event_line(l)]
        self.assertEqual(len(body), n)

    def test_valid_file_exits_zero(self):
        inp = self.tmpfile("in.txt", b"abc\n")
        p, path = record(self.tmp, [tracee("files"), inp], stdout=subprocess.DEVNULL)
        q = run(["show", path])
        self.assertEqual(q.returncode, 0)
        self.assertEqual(q.stderr, b"")

    def test_usage_errors(self):
        p = run(["show"])
        self.assertEqual(p.returncode, 2)
        self.assertNoSignal(p)
        p = run(["show", "a", "b"])
        self.assertEqual(p.returncode, 2)
        p = run(["frobnicate"])
        self.assertEqual(p.returncode, 2)
        self.assertOneLineError(p)
