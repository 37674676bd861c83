"""Issue 9: the executed image (blind spot 12) is digested and compared;
what a child sees after its own execve must be recorded as well
as what the first program sees (false alarm 6: the vDSO was hidden only for
the first image, so a child's clock reads never reached the recording)."""
import hashlib
import os
import re
import shutil
import subprocess
import time

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


def run_out(argv, cwd=None):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                       timeout=120, cwd=cwd)
    return r.returncode, r.stdout, r.stderr.decode(errors="replace")


def sha(data):
    return hashlib.sha256(data).digest()


class StatAsCacheKey(TmpTestCase):
    """Replay accepts a stat'ed file's differing timestamps and writes the
    recorded ones back. A program that trusts mtime as a cache key (git's
    index, python's .pyc) then takes its "unchanged" path and never reads
    a file that changed: the recording carries a digest of each stat'ed
    regular file's contents, and a changed one is named at its stat."""

    def settle(self, *paths):
        # Ten seconds in the past: no racily-clean index, no pyc written again.
        t = os.stat(self.tmp).st_mtime - 10
        for p in paths:
            os.utime(p, (t, t))
        # Their ctime is now: let the clock pass it (the file times and
        # the hint's span may be a tick coarse).
        time.sleep(0.02)

    def test_git_status_misses_a_same_size_change_without_the_digest(self):
        repo = os.path.join(self.tmp, "repo")
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", repo]
        self.assertEqual(subprocess.run(["git", "init", "-q", repo]).returncode, 0)
        f = os.path.join(repo, "f.txt")
        with open(f, "wb") as fh:
            fh.write(b"a\n")
        self.settle(f)
        self.assertEqual(subprocess.run(git + ["add", "f.txt"]).returncode, 0)
        self.assertEqual(subprocess.run(git + ["commit", "-qm", "one"]).returncode, 0)
        p, path = record(self.tmp, ["/usr/bin/git", "-C", repo, "status", "--porcelain"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"")
        # git stat'ed the file; its contents' digest is in the recording.
        stats = [s for s in read_pb(path).syscall if s.type == 262 and s.file_sha256]
        self.assertIn(sha(b"a\n"), [s.file_sha256 for s in stats])
        rc, out, err = run_out([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"])
        self.assertEqual(rc, 0, err)
        self.assertIn("equivalent", err)
        self.assertEqual(out, b"")
        # Same size, another byte: git would say " M f.txt", but sees the
        # recorded stat data and does not read it.
        with open(f, "wb") as fh:
            fh.write(b"b\n")
        rc, out, err = run_out([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"])
        self.assertEqual(rc, 1, err)
        self.assertIn('newfstatat(AT_FDCWD, "f.txt", ...) the file\'s contents are not the recorded ones: '
                      'sha256 %s... vs %s... (its timestamps, written back as recorded, would hide the change)'
                      % (sha(b"a\n")[:8].hex(), sha(b"b\n")[:8].hex()), err)

    def test_python_runs_a_stale_pyc_and_the_changed_module_is_named(self):
        # python lists its folder: the recording and differences go beside it.
        proj = os.path.join(self.tmp, "proj")
        os.mkdir(proj)
        mod = self.tmpfile("proj/m.py", b"X = 1\n")
        self.tmpfile("proj/main.py", b"import m\nprint(m.X)\n")
        self.settle(mod)
        rc, _, err = run_out(["/usr/bin/python3", "-S", "-m", "py_compile", "m.py"], cwd=proj)
        self.assertEqual(rc, 0, err)
        p, path = record(self.tmp, ["/usr/bin/python3", "-S", "main.py"], cwd=proj)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"1\n")
        rc, out, err = run_out([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"], cwd=proj)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, b"1\n")
        with open(mod, "wb") as fh:
            fh.write(b"X = 7\n")
        rc, out, err = run_out([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"], cwd=proj)
        self.assertEqual(rc, 1, err)
        # The replayed python saw the recorded mtime and ran the old .pyc.
        self.assertEqual(out, b"1\n")
        self.assertIn('"%s", ...) the file\'s contents are not the recorded ones: sha256 %s... vs %s...'
                      % (mod, sha(b"X = 1\n")[:8].hex(), sha(b"X = 7\n")[:8].hex()), err)

    def test_only_regular_files_with_contents_are_digested(self):
        empty = self.tmpfile("empty", b"")
        data = self.tmpfile("data", b"0123456789")
        self.settle(empty, data)
        p, path = record(self.tmp, ["/usr/bin/stat", "-c", "%s %Y", empty, data, "/proc/self/status", self.tmp])
        self.assertEqual(p.returncode, 0, p.stderr)
        digests = {}
        for s in read_pb(path).syscall:
            if s.type in (4, 5, 6, 262, 332) and s.args_on_entry.args:
                names = [a.buffer for a in s.args_on_entry.args if a.buffer]
                for n in names:
                    digests.setdefault(n.rstrip(b"\0").decode(errors="replace"), []).append(s.file_sha256)
        self.assertEqual(digests[data], [sha(b"0123456789")])
        self.assertEqual(digests[empty], [b""])
        self.assertEqual(digests["/proc/self/status"], [b""])
        self.assertEqual(digests[self.tmp], [b""])

    def test_file_digests_budget_option(self):
        data = self.tmpfile("data", b"0123456789")
        self.settle(data)
        argv = ["/usr/bin/stat", "-c", "%s %Y", data]
        for opt, want in (("--file-digests=0", 0), ("--file-digests=9", 0), ("--file-digests=10", 1),
                          ("--file-digests=1K", 1)):
            p, path = record(self.tmp, argv, [opt])
            self.assertEqual(p.returncode, 0, p.stderr)
            got = [s.file_sha256 for s in read_pb(path).syscall if s.file_sha256]
            self.assertEqual(got, [sha(b"0123456789")] * want, opt)
        p, _ = record(self.tmp, argv, ["--file-digests=12x"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.decode(), "sperrips: --file-digests=12x: expected a size in bytes (K, M or G after "
                                             "it), 0 for none (see sperrips --help)\n")

    def test_a_file_the_recorded_run_rewrote_is_said_to_be_changed_after_it(self):
        # The recorded run changed its own input (as git status rewrites a
        # racily clean index): the replay reads what the recording wrote.
        # Still DIFFERENT, and the verdict says when the file changed.
        state = self.tmpfile("state", b"one\n")
        self.settle(state)
        p, path = record(self.tmp, ["/bin/sh", "-c", "cat state; echo two > state"], cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"one\n")
        rc, out, err = run_out([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"], cwd=self.tmp)
        self.assertEqual(rc, 1, err)
        hint = (r"    the file was last changed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, while the program was being "
                r"recorded: the recorded run changed its own input, and this replay sees what it wrote\n")
        self.assertRegex(err, r"\n  #\d+ newfstatat\(3<%s>, \.\.\.\) the file's contents are not the recorded ones: "
                              r"[^\n]*\n%s  #\d+ read\(3<%s>, \.\.\.\) buffer differs at byte 0: \"one\\n\" vs "
                              r"\"two\\n\" \[UNEXPECTED_MEMORY_CONTENT\]\n"
                         % (re.escape(state), hint, re.escape(state)))
        self.assertEqual(len(re.findall(hint, err)), 1, err)
        # A file changed after the recording ended gets no such line: that
        # is a change of the world, the finding itself.
        other = self.tmpfile("other", b"one\n")
        self.settle(other)
        p, path = record(self.tmp, ["/bin/cat", "other"], cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr)
        time.sleep(0.02)
        with open(other, "wb") as f:
            f.write(b"two\n")
        rc, out, err = run_out([SPERRIPS, "replay", "-i", path, "-o", path + ".diff"], cwd=self.tmp)
        self.assertEqual(rc, 1, err)
        self.assertIn('buffer differs at byte 0: "one\\n" vs "two\\n"', err)
        self.assertNotIn("while the program was being recorded", err)
        meta, _, _ = show_json(path)
        self.assertLessEqual(meta["started_ns"], meta["ended_ns"])
