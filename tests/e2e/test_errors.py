"""Failures around the tracee: a missing program, an unwritable output, a
program that crashes."""
import os
import signal
import subprocess

from helpers import TmpTestCase, read_pb, record, run, show_json, tracee


class Errors(TmpTestCase):
    def test_missing_program(self):
        p, path = record(self.tmp, [os.path.join(self.tmp, "no-such-program")])
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertOneLineError(p, "no-such-program")
        self.assertFalse(os.path.exists(path))

    def test_missing_program_on_path(self):
        p, path = record(self.tmp, ["no-such-program-sperrips"])
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertOneLineError(p, "no-such-program-sperrips")

    def test_not_executable(self):
        f = self.tmpfile("plain.txt", b"hello\n")
        p, _ = record(self.tmp, [f])
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertOneLineError(p, f)

    def test_unwritable_output(self):
        out = os.path.join(self.tmp, "no-such-dir", "r.bin")
        p = run(["record", "-o", out, "--", "/bin/true"])
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertOneLineError(p, out)

    def test_output_is_a_directory(self):
        p = run(["record", "-o", self.tmp, "--", "/bin/true"])
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertOneLineError(p, self.tmp)

    def test_unwritable_stdout_file(self):
        out = os.path.join(self.tmp, "no-such-dir", "out.txt")
        p, _ = record(self.tmp, ["/bin/true"], opts=["--stdout", out])
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertOneLineError(p, out)

    def test_no_program(self):
        p = run(["record", "-o", os.path.join(self.tmp, "r.bin")])
        self.assertEqual(p.returncode, 2)
        self.assertOneLineError(p)

    def test_crashing_tracee(self):
        p, path = record(self.tmp, [tracee("crash")], stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"(killed by SIGSEGV) into ", p.stderr)  # the signal's name, as record's -v says it
        meta, events, q = show_json(path)
        self.assertEqual(q.returncode, 0)
        self.assertNotIn("incomplete", meta)
        self.assertFalse(meta["interrupted"])
        st = meta["exit_status"]
        self.assertTrue(os.WIFSIGNALED(st), hex(st))
        self.assertEqual(os.WTERMSIG(st), signal.SIGSEGV)
        writes = [e for e in events if e["name"] == "write"]
        self.assertEqual(bytes.fromhex(writes[-1]["entry"][1]["hex"]), b"about to crash\n")
        # Nothing after the write: the crash is not a syscall.
        self.assertEqual(events[-1]["name"], "write")
        rec = read_pb(path)
        self.assertEqual(rec.metadata.exit_status, st)
        self.assertEqual(rec.metadata.number_of_syscalls, len(events))

    def test_exit_status_recorded(self):
        p, path = record(self.tmp, ["/bin/sh", "-c", "exit 7"])
        self.assertEqual(p.returncode, 0, p.stderr)
        rec = read_pb(path)
        st = rec.metadata.exit_status
        self.assertTrue(os.WIFEXITED(st))
        self.assertEqual(os.WEXITSTATUS(st), 7)
