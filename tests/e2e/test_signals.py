"""SIGINT/SIGTERM to the tracer: the tracee is killed, the file is finished
(metadata marked interrupted) and the tracer exits with 128 + the signal."""
import os
import signal
import subprocess
import time

from helpers import SPERRIPS, TmpTestCase, pid_alive, read_pb, run, show_json, tracee, wait_for_size


class Interrupt(TmpTestCase):
    def interrupt(self, sig, argv, wait_bytes=1):
        path = os.path.join(self.tmp, "r.bin")
        p = subprocess.Popen([SPERRIPS, "record", "-o", path, "--"] + argv,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            if wait_bytes:
                self.assertTrue(wait_for_size(path, wait_bytes, 30), "the recording does not grow")
            else:
                time.sleep(1.0)
            p.send_signal(sig)
            _, err = p.communicate(timeout=30)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.assertEqual(p.returncode, 128 + sig, err)
        self.assertTrue(err.strip(), "a message on stderr")
        meta, events, q = show_json(path, check=False)
        self.assertEqual(q.returncode, 0, q.stderr)  # a finished file, not a cut one
        self.assertTrue(meta["interrupted"])
        self.assertNotIn("incomplete", meta)
        self.assertEqual(meta["number_of_syscalls"], len(events))
        self.assertTrue(events)
        pid = events[0]["tid"]
        deadline = time.monotonic() + 5
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(pid_alive(pid), "the tracee %d is still running" % pid)
        rec = read_pb(path)
        self.assertTrue(rec.metadata.interrupted)
        # The tracee died of SIGKILL.
        st = rec.metadata.exit_status
        self.assertTrue(os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGKILL, hex(st))
        lines = run(["show", path]).stdout.decode(errors="replace").splitlines()
        self.assertTrue(any("INTERRUPTED" in l for l in lines if l.startswith("#")))
        return events

    def test_sigint_during_loop(self):
        self.interrupt(signal.SIGINT, [tracee("loop"), "1000000000"], wait_bytes=4 << 20)

    def test_sigterm_during_loop(self):
        self.interrupt(signal.SIGTERM, [tracee("loop"), "1000000000"], wait_bytes=4 << 20)

    def test_sigterm_during_sleep(self):
        # The tracee sits in one long syscall: it is recorded as unfinished.
        events = self.interrupt(signal.SIGTERM, ["/bin/sleep", "100"], wait_bytes=0)
        self.assertEqual(events[-1]["name"], "clock_nanosleep")
        self.assertTrue(events[-1].get("unfinished"))
        self.assertNotIn("retval", events[-1])
        self.assertIn("= ?", events[-1]["text"])
