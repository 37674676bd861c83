"""Issue 9: the executed image (blind spot 12) is digested and compared;
what a child sees after its own execve must be recorded as well
as what the first program sees (false alarm 6: the vDSO was hidden only for
the first image, so a child's clock reads never reached the recording)."""
import hashlib
import os
import shutil
import subprocess

from helpers import SPERRIPS, TmpTestCase, read_pb, record, show_json


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
            r = subprocess.run([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
            err = r.stderr.decode(errors="replace")
            self.assertEqual(r.returncode, 0, err)
            self.assertIn("equivalent", err)
            self.assertIn("clock values", err)
            # The replayed date printed the recorded time: the clock was written back.
            self.assertEqual(r.stdout.decode().strip(), "%s.%s" % (sec, nsec))


def replay_err(path):
    r = subprocess.run([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
    return r.returncode, r.stderr.decode(errors="replace")


class ExecutedImage(TmpTestCase):
    """Blind spot 12: the file execve runs, and its interpreter, are digested
    (SHA-256) at record time and compared on replay."""

    def test_replaced_program_with_the_same_output_is_named(self):
        prog = os.path.join(self.tmp, "id")
        shutil.copy("/usr/bin/id", prog)
        p, path = record(self.tmp, ["/bin/sh", "-c", prog + " -u"])
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(prog, "rb") as f:
            want = hashlib.sha256(f.read()).digest()
        execs = [s for s in read_pb(path).syscall if s.type == 59]
        self.assertEqual(len(execs), 1)
        self.assertEqual(execs[0].exec_image_sha256, want)
        # The interpreter of /usr/bin/id is the dynamic loader (PT_INTERP).
        with open("/lib64/ld-linux-x86-64.so.2", "rb") as f:
            self.assertEqual(execs[0].exec_interp_sha256, hashlib.sha256(f.read()).digest())
        rc, err = replay_err(path)
        self.assertEqual(rc, 0, err)
        # One byte appended past the mapped segments: same output, same syscalls.
        with open(prog, "ab") as f:
            f.write(b"\0")
        rc, err = replay_err(path)
        self.assertEqual(rc, 1, err)
        self.assertIn('execve("%s", ...) executed file %s is not the recorded one: sha256 %s... vs '
                      % (prog, prog, want[:8].hex()), err)
        self.assertIn("1 unacceptable difference", err)

    def test_replaced_script_interpreter_is_named(self):
        shell = os.path.join(self.tmp, "mysh")
        shutil.copy("/bin/dash", shell)
        script = self.tmpfile("script", ("#!%s\necho hi\n" % shell).encode())
        os.chmod(script, 0o755)
        p, path = record(self.tmp, ["/bin/sh", "-c", script])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"hi\n")
        rc, err = replay_err(path)
        self.assertEqual(rc, 0, err)
        with open(shell, "ab") as f:
            f.write(b"\0")
        rc, err = replay_err(path)
        self.assertEqual(rc, 1, err)
        self.assertIn("interpreter of %s is not the recorded one: sha256 " % script, err)
