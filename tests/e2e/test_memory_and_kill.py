"""Issue 2, done when 5: a million syscalls in bounded memory; kill -9 of
the tracer leaves a file readable up to its last complete syscall."""
import os
import signal
import subprocess
import time
import unittest

from helpers import (SPERRIPS, TmpTestCase, read_pb_prefix, run, sanitized, scan_fields, sperrips_pb2, tracee,
                     wait_for_size, wait_rusage)

MiB = 1024 * 1024


class MillionSyscalls(TmpTestCase):
    @unittest.skipIf(sanitized(), "AddressSanitizer build: its shadow memory makes RSS meaningless")
    def test_peak_rss_under_16_mib(self):
        path = os.path.join(self.tmp, "big.bin")
        n = 333334  # 3 syscalls each: about 1,000,000
        # ru_maxrss from wait4. Not os.wait4 on a child of this Python: the
        # kernel carries the size of the process before its execve into
        # ru_maxrss, which would be Python's. build/tracees/maxrss forks and
        # waits with wait4 itself.
        p = subprocess.Popen([tracee("maxrss"), SPERRIPS, "record", "-o", path, "--", tracee("loop"), str(n)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        rc, ru = wait_rusage(p, timeout=600)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        self.assertEqual(rc, 0, err)
        last = err.strip().splitlines()[-1].split()
        self.assertEqual(last[0], "maxrss_kib", err)
        kib = int(last[1])
        print("    tracer peak RSS %d KiB, file %.1f MiB" % (kib, os.path.getsize(path) / MiB))
        self.assertLess(kib, 16 * 1024, "peak RSS %d KiB" % kib)
        count, meta, complete = scan_fields(path)
        self.assertTrue(complete)
        self.assertGreaterEqual(count, 3 * n)
        m = sperrips_pb2.Metadata.FromString(meta)
        self.assertEqual(m.number_of_syscalls, count)
        self.assertFalse(m.interrupted)


class KillNine(TmpTestCase):
    def test_sigkill_leaves_a_readable_prefix(self):
        self.check([], 8 * MiB)

    def test_sigkill_leaves_a_readable_prefix_plain(self):
        self.check(["--no-compress"], 8 * MiB)

    def check(self, opts, size):
        """With the default options (compressed once whole) as plain: the
        file is written plain while the program runs, every syscall."""
        path = os.path.join(self.tmp, "cut.bin")
        p = subprocess.Popen([SPERRIPS, "record", "-o", path] + opts + ["--", tracee("loop"), "100000000"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # The writer buffers; wait until many loop syscalls reached the file.
            # The first megabytes are mostly the mapped libraries (mmap results).
            self.assertTrue(wait_for_size(path, size, 60), "the recording does not grow")
        finally:
            p.send_signal(signal.SIGKILL)
            p.wait()
        self.assertEqual(p.returncode, -signal.SIGKILL)
        # The tracee dies with its tracer (PTRACE_O_EXITKILL); give it a moment.
        time.sleep(0.2)
        calls, meta, complete = read_pb_prefix(path)
        # Only the header written before the first syscall: the command, no trailer.
        self.assertEqual(list(meta.command.argv), [tracee("loop"), "100000000"])
        self.assertEqual(meta.metadata_part, 1)
        self.assertEqual(meta.number_of_syscalls, 0)
        self.assertGreater(len(calls), 1000)

        text = run(["show", path], timeout=300)
        self.assertNotEqual(text.returncode, 0)
        self.assertGreater(text.returncode, 0, "show was killed by a signal")
        err = text.stderr.decode(errors="replace").strip().splitlines()
        self.assertEqual(len(err), 1, err)
        self.assertIn(path, err[0])
        self.assertIn("incomplete", err[0])
        out = text.stdout.decode(errors="replace").splitlines()
        # The count in the header line is the syscalls read, said to come from the file.
        self.assertIn("; %d syscalls in the file (no trailer); ASLR " % len(calls),
                      [l for l in out if l.startswith("# recorded: ")][0])
        lines = [l for l in out if not l.startswith("#")]
        self.assertEqual(len(lines), len(calls), "show prints every complete syscall, and only those")
        names = {0: "read", 1: "write", 110: "getppid"}
        self.assertEqual(lines[-1].split("(")[0], names.get(calls[-1].type, lines[-1].split("(")[0]))
        self.assertIn(lines[-1].split("(")[0], names.values())

        js = run(["show", "--json", path], timeout=300)
        self.assertEqual(js.returncode, text.returncode)
        import json
        first = json.loads(js.stdout.decode().splitlines()[0])
        self.assertIn("incomplete", first)
        self.assertEqual(first["count"], len(calls))
