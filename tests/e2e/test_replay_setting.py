"""Replay restores the recorded setting (issue 9, item 10): the working
directory, what standard output and error were (a file appended to, a pipe,
/dev/null), the signals ignored and blocked, the container's root and
network. Each part it could not restore is one line before the run, never
an unacceptable difference; `show` prints the setting in its header."""
import os
import re
import signal
import subprocess

from helpers import SPERRIPS, TmpTestCase, read_pb, rewrite, run, show_json, show_text, tracee

SH_JOB = "cat in.txt; cd sub && ls"


def default_signals():
    """In the child: every signal at its default and none blocked, whatever
    the test runner got (a shell's background job has SIGINT and SIGQUIT
    ignored), so that the recorded setting is known."""
    for sig in range(1, signal.NSIG):
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (OSError, ValueError):
                pass  # glibc's own real-time signals
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def verdict_line(err, job, n, word, compared=None):
    """The verdict line of `err`, checked to name `job`, `compared` (all
    `n` by default) of the `n` recorded syscalls compared and `word`;
    returns the part after it."""
    lines = [l for l in err.splitlines() if l.startswith("sperrips: replay of job ")]
    assert len(lines) == 1, err
    prefix = 'sperrips: replay of job "%s" (%d of %d recorded syscalls compared): %s' % (
        job, n if compared is None else compared, n, word)
    assert lines[0].startswith(prefix), "%r does not start with %r in:\n%s" % (lines[0], prefix, err)
    return lines[0][len(prefix):]


class ReplaySetting(TmpTestCase):

    def setUp(self):
        super().setUp()
        self.wd = os.path.join(self.tmp, "wd")
        os.makedirs(os.path.join(self.wd, "sub"))
        self.tmpfile("wd/in.txt", b"data\n")
        self.tmpfile("wd/sub/a", b"")
        self.tmpfile("wd/sub/b", b"")
        self.rec = os.path.join(self.tmp, "r.bin")
        self.diff = os.path.join(self.tmp, "d.bin")

    def record_as_user(self, argv, cwd, stdout, **kw):
        """sperrips record run as from a shell: in `cwd`, standard output
        the file object `stdout`, standard error a pipe, signals at their
        default unless `preexec_fn` says otherwise."""
        kw.setdefault("preexec_fn", default_signals)
        p = subprocess.run([SPERRIPS, "record", "-o", self.rec, "--"] + argv, cwd=cwd, stdout=stdout,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60, **kw)
        self.assertEqual(p.returncode, 0, p.stderr)
        return read_pb(self.rec).metadata.number_of_syscalls

    def replay(self, opts=(), rec=None, **kw):
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("cwd", "/")
        kw.setdefault("preexec_fn", default_signals)
        return subprocess.run([SPERRIPS, "replay", "-i", rec or self.rec, "-o", self.diff] + list(opts),
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60, **kw)

    def record_into_log(self):
        # As a user would: from another folder, stdout appended to a log.
        log = self.tmpfile("log", b"earlier lines\n")
        with open(log, "ab") as out:
            n = self.record_as_user(["/bin/sh", "-c", SH_JOB], self.wd, out)
        with open(log, "rb") as f:
            self.assertEqual(f.read(), b"earlier lines\ndata\na\nb\n")
        return n

    def test_other_workdir_and_appended_log(self):
        n = self.record_into_log()
        lines, _ = show_text(self.rec)
        self.assertIn('# setting: working directory "%s"; stdout a regular file (appended to); stderr a pipe; '
                      'root the host; signals ignored none, blocked none' % self.wd, lines)
        meta, _, _ = show_json(self.rec)
        self.assertEqual((meta["workdir"], meta["stdout_kind"], meta["stderr_kind"], meta["stdout_flags"]),
                         (self.wd, "file", "pipe", os.O_WRONLY | os.O_APPEND))
        for _ in range(3):
            # Replayed from / with stdout a pipe: the folder and a file
            # appended to are restored; the bytes still reach the caller.
            p = self.replay(["-v"])
            err = p.stderr.decode()
            self.assertEqual(p.returncode, 0, err)
            self.assertEqual(p.stdout, b"data\na\nb\n")
            self.assertIn("sperrips: replaying /bin/sh -c '%s' (working directory %s, root this host's /)\n"
                          % (SH_JOB, self.wd), err)
            self.assertIn("sperrips: setting: standard output restored as recorded: a fresh file appended to, "
                          "copied to this one at the end (it is a pipe here)\n", err)
            rest = verdict_line(err, "sh", n, "equivalent: ")
            self.assertRegex(rest, r"^\d+ acceptable differences replayed \((pids \d+, )?random bytes \d+, "
                                   r"inode numbers and timestamps \d+, standard output setting \d+"
                                   r"(, block allocation \d+)?\)$")
            self.assertNotIn("standard error", err)  # a pipe, as recorded
        # Without -v the restored parts are not said, the verdict is the same.
        p = self.replay()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(b"setting:", p.stderr)

    def test_tampered_file_is_still_different(self):
        n = self.record_into_log()
        self.tmpfile("wd/in.txt", b"DATA\n")
        p = self.replay()
        err = p.stderr.decode()
        self.assertEqual(p.returncode, 1, err)
        # The difference contains the run: cat's execve ends it.
        compared = int(re.search(r"\((\d+) of", err).group(1))
        self.assertLess(compared, n)
        # the fstat of the changed file, then its read
        verdict_line(err, "sh", n, "DIFFERENT: 2 unacceptable differences, ", compared)
        self.assertRegex(err, r"  #\d+ newfstatat\(3</?.*/wd/in.txt>, \.\.\.\) the file's contents are not the recorded "
                              r"ones: sha256 ")
        self.assertRegex(err, r"  #\d+ execve: not run \(contained: a new program image cannot be emulated\); the "
                              r"replay ends there\n")
        self.assertRegex(err, r'  #\d+ read\(3</?.*/wd/in.txt>, \.\.\.\) buffer differs at byte 0: "data\\n" vs '
                              r'"DATA\\n" \[UNEXPECTED_MEMORY_CONTENT\]\n')

    def test_missing_workdir_is_one_line(self):
        self.record_into_log()
        os.rename(self.wd, self.wd + ".moved")
        p = self.replay(cwd=self.tmp)
        err = p.stderr.decode()
        self.assertIn("sperrips: setting: the recorded working directory %s cannot be used here (No such file or "
                      "directory): the program starts in this one\n" % self.wd, err)
        # It did start here, and that is what the verdict finds (sh asks
        # where it is first).
        self.assertEqual(p.returncode, 1, err)
        self.assertRegex(err, r'  #\d+ getcwd\(0x[0-9a-f]+, \.\.\.\) buffer differs at byte \d+: \.\.\."%s\\0" vs '
                              r'\.\.\."%s\\0" ' % (self.wd[-11:], self.tmp[-8:]))

    def test_date_appended_to_a_log(self):
        # `date >> log`: date stats its standard output (the log, with
        # earlier lines); replayed into a fresh file, and a pipe here.
        log = self.tmpfile("log", b"earlier lines\n")
        with open(log, "ab") as out:
            n = self.record_as_user(["date"], self.wd, out)
        with open(log, "rb") as f:
            line = f.read()[len(b"earlier lines\n"):]
        self.assertRegex(line.decode(), r"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \w+ \d{4}\n$")
        for _ in range(3):
            p = self.replay()
            err = p.stderr.decode()
            self.assertEqual(p.returncode, 0, err)
            self.assertEqual(p.stdout, line)  # the recorded clock, written back
            rest = verdict_line(err, "date", n, "equivalent: ")
            # The log's blocks: it was appended to (block allocation).
            self.assertRegex(rest, r"\bstandard output setting [1-9]\d*(, block allocation \d+)?\)$")

    def test_null_and_pipe_restored(self):
        p = run(["record", "-o", self.rec, "--", "/bin/sh", "-c", "echo out; echo err >&2"], stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = self.tmpfile("out", b"")
        with open(out, "wb") as f:
            r = self.replay(["-v"], stdout=f)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 0, err)
        self.assertIn("sperrips: setting: standard output restored as recorded: /dev/null (it is a regular file "
                      "here)\n", err)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"")
        # Recorded with stdout a pipe, replayed with a file: a pipe drained into it.
        rec2 = os.path.join(self.tmp, "p.bin")
        p = run(["record", "-o", rec2, "--", "/bin/sh", "-c", "echo out"])
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "wb") as f:
            r = self.replay(["-v"], rec=rec2, stdout=f)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 0, err)
        self.assertIn("sperrips: setting: standard output restored as recorded: a pipe, drained to this one (it is "
                      "a regular file here)\n", err)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"out\n")

    def test_explicit_stdout_of_another_kind_is_one_line(self):
        p = run(["record", "-o", self.rec, "--", "/bin/sh", "-c", "echo out"])
        self.assertEqual(p.returncode, 0, p.stderr)
        r = self.replay(["--stdout", os.path.join(self.tmp, "o")])
        self.assertIn("sperrips: setting: standard output is a regular file here (--stdout), the recording's was "
                      "a pipe: calls that look at it will differ\n", r.stderr.decode())

    def test_sigint_ignored(self):
        # As under nohup or a shell's background job: SIGINT ignored. The
        # tracer's own SIGINT handler must not hide it from the program.
        def ignore():
            default_signals()
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, {signal.SIGUSR2})
        out = os.path.join(self.tmp, "o1")
        p = subprocess.run([SPERRIPS, "record", "-o", self.rec, "--stdout", out, "--", tracee("sigstate")],
                           preexec_fn=ignore, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"ignored: 2\nblocked: 12\n")
        lines, _ = show_text(self.rec)
        self.assertTrue(any(l.startswith("# setting: ") and l.endswith("; signals ignored INT, blocked USR2")
                            for l in lines), lines)
        n = read_pb(self.rec).metadata.number_of_syscalls
        # Replayed with every signal at its default: restored, the program
        # sees what it saw.
        o2 = os.path.join(self.tmp, "o2")
        r = self.replay(["-v", "--stdout", o2])
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 0, err)
        self.assertIn("sperrips: setting: signal dispositions restored as recorded: ignored INT, blocked USR2 "
                      "(here: ignored none, blocked none)\n", err)
        self.assertEqual(verdict_line(err, "sigstate", n, "equivalent: "), "1 acceptable difference replayed (pids 1)")
        with open(o2, "rb") as f:
            self.assertEqual(f.read(), b"ignored: 2\nblocked: 12\n")

    def test_python_with_sigint_ignored(self):
        # A real program that asks: python3 reads SIGINT's disposition at
        # start (rt_sigaction) and keeps it ignored.
        out = self.tmpfile("log", b"")
        with open(out, "ab") as f:
            n = self.record_as_user(["/usr/bin/python3", "-I", "-c",
                                     "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"], self.wd, f,
                                    preexec_fn=lambda: (default_signals(), signal.signal(signal.SIGINT,
                                                                                         signal.SIG_IGN)))
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"True\n")
        for _ in range(2):
            p = self.replay()
            err = p.stderr.decode()
            self.assertEqual(p.returncode, 0, err)
            self.assertEqual(p.stdout, b"True\n")
            verdict_line(err, "python3", n, "equivalent: ")

    def test_older_recording_without_setting(self):
        # A recording without the setting fields (older, or the
        # prototype's) replays as before, and show says what it lacks.
        p = run(["record", "-o", self.rec, "--stdout", os.path.join(self.tmp, "o"), "--", "/bin/true"])
        self.assertEqual(p.returncode, 0, p.stderr)

        def strip(calls):
            return calls
        old = os.path.join(self.tmp, "old.bin")
        rewrite(self.rec, old, strip)
        r = read_pb(old)
        for f in ("setting_recorded", "signals_ignored", "signals_blocked", "stdout_flags", "stderr_flags",
                  "stdout_kind", "stderr_kind"):
            r.metadata.ClearField(f)
        r.metadata.command.ClearField("workdir")
        with open(old, "wb") as f:
            f.write(r.SerializeToString())
        lines, _ = show_text(old)
        self.assertIn("# setting: working directory (not recorded); stdout (not recorded); stderr (not recorded); "
                      "root the host; signals (not recorded)", lines)
        q = self.replay(["--stdout", os.path.join(self.tmp, "o2")], rec=old)
        self.assertEqual(q.returncode, 0, q.stderr)
        self.assertNotIn(b"setting:", q.stderr)


from test_container_replay import ReplayCase  # noqa: E402  (skips itself without a root)


class ReplayContainerSetting(ReplayCase):
    """The container is part of the setting: its root is used when none is
    given, and --net=none is kept."""

    NET_DEV = ["/bin/cat", "/proc/net/dev"]  # a network namespace of its own has only lo, all zeros

    def replay_bare(self, rec, opts=()):
        env = dict(os.environ, TMPDIR=self.tmp)
        d = os.path.join(self.tmp, "d.bin")
        return run(["replay", "-i", rec, "-o", d, "--stdout", os.path.join(self.tmp, "o")] + list(opts), env=env,
                   preexec_fn=default_signals)

    def test_net_none_is_restored(self):
        p, path, _ = self.rec(self.NET_DEV, ["--net=none"], preexec_fn=default_signals)
        self.assertOk(p)
        lines, _ = show_text(path)
        self.assertIn('# setting: working directory "/"; stdout a regular file; stderr a pipe; root a container '
                      'over "%s", no network; signals ignored none, blocked none' % self.root, lines)
        n = read_pb(path).metadata.number_of_syscalls
        # Neither --rootfs nor --net=none given: both restored.
        p = self.replay_bare(path, ["-v"])
        err = p.stderr.decode(errors="replace")
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("sperrips: setting: root: a container over %s, as recorded (--rootfs %s)\n"
                      % (self.root, self.root), err)
        self.assertIn("sperrips: setting: network: none, as recorded (--net=none)\n", err)
        verdict_line(err, "cat", n, "equivalent: ")
        with open(os.path.join(self.tmp, "o"), "rb") as f:
            self.assertRegex(f.read().decode(), r"\n +lo: +0 +0 +0 ")
        self.assertEqual(self.leftovers(), [])
        # --rootfs given, --net=none not: kept.
        p, _ = self.replay(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        verdict_line(p.stderr.decode(), "cat", n, "equivalent: ")

    def test_net_none_tampered_is_different(self):
        path = self.record_ok(self.NET_DEV, ["--net=none"])

        def edit(calls):
            hit = [c for c in calls if c.type == 0 and b"lo:" in c.args_on_exit.args[1].buffer]
            self.assertEqual(len(hit), 1)
            buf = hit[0].args_on_exit.args[1].buffer
            hit[0].args_on_exit.args[1].buffer = buf.replace(b"lo:       0", b"lo:       7", 1)
            return calls
        bad = os.path.join(self.tmp, "bad.bin")
        rewrite(path, bad, edit)
        n = read_pb(bad).metadata.number_of_syscalls
        p = self.replay_bare(bad)
        err = p.stderr.decode(errors="replace")
        self.assertEqual(p.returncode, 1, err)
        # The read, and cat's write of what the recording says it read.
        verdict_line(err, "cat", n, "DIFFERENT: 2 unacceptable differences, ")
        self.assertRegex(err, r'  #\d+ read\(3</proc/\d+/net/dev>, \.\.\.\) buffer differs at byte \d+: '
                              r'\.\.\.":       7       0    0  "\.\.\. vs \.\.\.":       0       0    0  "\.\.\. '
                              r'\[UNEXPECTED_MEMORY_CONTENT\]\n')

    def test_host_network_kept_with_net_none_given_is_one_line(self):
        path = self.record_ok(["/bin/true"])
        p = self.replay_bare(path, ["--rootfs", self.root, "--net=none"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("sperrips: setting: network: none here (--net=none), the recording had the host's: calls "
                      "that use it will differ\n", p.stderr.decode())
