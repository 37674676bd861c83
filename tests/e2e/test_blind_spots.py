"""Issue 9: what a child sees after its own execve must be recorded as well
as what the first program sees (false alarm 6: the vDSO was hidden only for
the first image, so a child's clock reads never reached the recording)."""
import subprocess

from helpers import SPERRIPS, TmpTestCase, record, show_json


class VdsoHiddenAtEveryExec(TmpTestCase):
    def test_child_clock_read_is_recorded_and_replays_equivalent(self):
        # stdout on a pipe (not the caller's file) so that only the clock matters.
        p, path = record(self.tmp, ["/bin/sh", "-c", "date +%s.%N"])
        self.assertEqual(p.returncode, 0, p.stderr)
        printed = p.stdout.decode().strip()
        sec, nsec = printed.split(".")
        _, events, _ = show_json(path)
        clocks = [e for e in events if e["name"] == "clock_gettime"]
        self.assertTrue(clocks, "date's clock_gettime is not in the recording: the vDSO was visible after execve")
        for _ in range(2):
            r = subprocess.run([SPERRIPS, "replay", "-i", path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
            err = r.stderr.decode(errors="replace")
            self.assertEqual(r.returncode, 0, err)
            self.assertIn("equivalent", err)
            self.assertIn("clock values", err)
            # The replayed date printed the recorded time: the clock was written back.
            self.assertEqual(r.stdout.decode().strip(), "%s.%s" % (sec, nsec))
