"""After the first unacceptable difference a lax replay goes on comparing,
but the program may no longer act outside itself (issue 8, finding 4):
`sh -c 'kill -TERM $(cat pidfile)'` replayed from a recording whose pidfile
held another pid kills nothing, and its later write is not made."""
import os
import subprocess
import time

from helpers import TmpTestCase, pid_alive, record, rewrite, run


class Containment(TmpTestCase):
    def test_recorded_pid_kills_nothing(self):
        pidfile = os.path.join(self.tmp, "pidfile")
        out = os.path.join(self.tmp, "out.txt")
        target = subprocess.Popen(["sleep", "60"])
        self.addCleanup(lambda: target.poll() is None and target.kill())
        with open(pidfile, "w") as f:
            f.write("%d\n" % target.pid)
        script = "kill -TERM $(cat %s); echo done > %s" % (pidfile, out)
        p, rec = record(self.tmp, ["/bin/sh", "-c", script])
        self.assertEqual(p.returncode, 0, p.stderr)
        target.wait(10)
        os.unlink(out)
        # A victim on the replay host, and a recording edited (or from a
        # machine) where the pidfile held the victim's pid.
        victim = subprocess.Popen(["sleep", "60"])
        self.addCleanup(lambda: victim.poll() is None and victim.kill())
        old, new = b"%d\n" % target.pid, b"%d\n" % victim.pid
        self.assertEqual(len(old), len(new), "pids of different lengths; rerun")
        edited = os.path.join(self.tmp, "edited.bin")

        def edit(calls):
            for c in calls:
                for a in c.args_on_exit.args:
                    if a.buffer == old:
                        a.buffer = new
            return calls
        rewrite(rec, edited, edit)
        # The pidfile on this machine holds a pid nobody has.
        with open(pidfile, "w") as f:
            f.write("%d\n" % target.pid)
        r = run(["replay", "-i", edited, "-o", os.path.join(self.tmp, "d.bin")])
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        self.assertRegex(err, r'read\(3</\S+/pidfile>, \.\.\.\) buffer differs at byte \d: "%d\\n" vs "%d\\n"'
                         % (victim.pid, target.pid))
        self.assertRegex(err, r"contained from syscall #\d+ on: [1-9]\d* calls? acting outside the program "
                              r"emulated from the recording, not run")
        time.sleep(0.2)
        self.assertIsNone(victim.poll(), "the victim was killed")
        self.assertTrue(pid_alive(victim.pid))
        self.assertFalse(os.path.exists(out), "the contained program wrote a file")

    def test_strict_stops_instead(self):
        data = self.tmpfile("data", b"abc\n")
        p, rec = record(self.tmp, ["/bin/cat", data], ["--stdout", os.devnull])
        with open(data, "wb") as f:
            f.write(b"xyz\n")
        r = run(["replay", "--policy", "strict", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"),
                 "--stdout", os.devnull])
        self.assertEqual(r.returncode, 1)
        self.assertNotIn("contained from", r.stderr.decode())
