"""What record, replay and show do for a person at a terminal (issue 13):
the progress line and colour, tested through a pseudo-terminal with the
exact bytes written, and shown to be absent when the output is a pipe;
-v and -vv; the verdict's wording (symbolic st_mode, signal names,
singular counts)."""
import hashlib
import os
import pty
import re
import fcntl
import signal
import struct
import subprocess
import termios
import time
import tty

from helpers import ORIGIN_NOTE, SPERRIPS, TmpTestCase, record, rewrite, run, show_json, tracee

RT_SIGACTION = 13  # x86_64; the recording stores numbers

ERASE = b"\r\x1b[K"
BOLD, RED, YELLOW, DIM, GREEN_BOLD, RED_BOLD, OFF = (b"\x1b[1m", b"\x1b[31m", b"\x1b[33m", b"\x1b[2m",
                                                      b"\x1b[1;32m", b"\x1b[1;31m", b"\x1b[0m")


def run_pty(args, tty_out=True, tty_err=True, env=None, timeout=120, after=None, cols=0):
    """Run sperrips with standard output and/or error on a pseudo-terminal
    in raw mode (no \\n -> \\r\\n translation: the bytes are sperrips' own).
    Returns (returncode, bytes read from the terminal, stdout, stderr), the
    last two from pipes where they are not the terminal. `after(proc)` is
    called once the process runs."""
    master, slave = os.openpty()
    tty.setraw(slave)
    if cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env["TERM"] = "xterm"
    full_env.update(env or {})
    proc = subprocess.Popen([SPERRIPS] + list(args), stdin=slave,
                            stdout=slave if tty_out else subprocess.PIPE,
                            stderr=slave if tty_err else subprocess.PIPE, env=full_env)
    os.close(slave)
    if after:
        after(proc)
    got = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every copy of the terminal's other side is closed
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, got, out, err


PROGRESS = rb"\r\x1b\[Ksperrips: %s: (\d+)%s syscalls, \d+(?:\.\d)? (?:B|KiB|MiB|GiB), \d+\.\d s"


def progress_counts(text, phase, total=b""):
    """The syscall counts of the progress lines in `text`."""
    return [int(n) for n in re.findall(PROGRESS % (phase, total), text)]


class ProgressLine(TmpTestCase):
    def test_record_on_a_terminal(self):
        out = os.path.join(self.tmp, "r.bin")
        rc, got, _, _ = run_pty(["record", "-o", out, "--", tracee("busy"), "1200"], tty_out=False)
        self.assertEqual(rc, 0, got)
        meta, events, _ = show_json(out)
        total = meta["number_of_syscalls"]
        final = ("sperrips: recorded %d syscalls of %s (exited with 0) into %s\n" % (total, tracee("busy"), out)).encode()
        # progress lines, erased before the program's "done" goes to the same
        # terminal, perhaps redrawn, erased for good, then the last line
        line = PROGRESS % (b"recording", b"")
        m = re.fullmatch(rb"((?:%s)+)%sdone\n((?:%s)+%s)?%s" % (line, re.escape(ERASE), line, re.escape(ERASE),
                                                           re.escape(final)), got)
        self.assertIsNotNone(m, got[-400:])
        counts = progress_counts(got, b"recording")
        self.assertGreaterEqual(len(counts), 2, got[-400:])  # 1.2 s: drawn at 0.5 s, redrawn every 0.25 s
        self.assertEqual(counts, sorted(counts))
        self.assertLess(counts[-1], total)
        self.assertGreater(counts[0], 0)

    def test_cut_to_the_terminal_width(self):
        out = os.path.join(self.tmp, "r.bin")
        rc, got, _, _ = run_pty(["record", "-o", out, "--", tracee("busy"), "1000"], tty_out=False, cols=30)
        self.assertEqual(rc, 0, got)
        # what was drawn after each \r ESC[K (and the program's "done")
        drawn = [x for x in re.findall(rb"\r\x1b\[K([^\r\n]*)", got) if x]
        self.assertEqual(drawn.count(b"done"), 1, got)
        drawn.remove(b"done")
        self.assertTrue(drawn, got)
        for x in drawn:
            # 29 columns of "sperrips: recording: N syscalls, ..."
            self.assertEqual(len(x), 29, x)
            n = int(re.match(rb"sperrips: recording: (\d+)", x).group(1))
            self.assertTrue((b"sperrips: recording: %d syscalls, " % n).startswith(x), x)

    def test_record_into_a_pipe_has_none(self):
        p, out = record(self.tmp, [tracee("busy"), "700"], stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0)
        meta, _, _ = show_json(out)
        self.assertEqual(p.stderr, ("done\nsperrips: recorded %d syscalls of %s (exited with 0) into %s\n"
                                    % (meta["number_of_syscalls"], tracee("busy"), out)).encode())

    def test_replay_on_a_terminal_and_into_a_pipe(self):
        prog_err = os.path.join(self.tmp, "prog.err")
        p, out = record(self.tmp, [tracee("busy"), "1200"], ["--stderr", prog_err])
        self.assertEqual(p.returncode, 0, p.stderr)
        total = show_json(out)[0]["number_of_syscalls"]
        diff = os.path.join(self.tmp, "d.bin")
        args = ["replay", "-i", out, "-o", diff, "--stderr", prog_err]
        piped = run(args)
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertNotIn(b"\x1b", piped.stderr)
        self.assertNotIn(b"\r", piped.stderr)
        note, command, verdict = piped.stderr.splitlines(True)[:3]
        self.assertEqual(note, ORIGIN_NOTE.encode() + b"\n")
        # always said, terminal or not: what runs comes from the file
        self.assertEqual(command, b"sperrips: replaying %s 1200 (working directory %s, root this host's /)\n"
                         % (tracee("busy").encode(), os.getcwd().encode()))
        self.assertTrue(verdict.startswith(b'sperrips: replay of job "busy" (%d of %d recorded syscalls compared): '
                                           b"equivalent: " % (total, total)), piped.stderr)
        rc, got, _, _ = run_pty(args, tty_out=False)
        self.assertEqual(rc, 0, got)
        note, first, rest = got.split(b"\n", 2)
        self.assertEqual(note, ORIGIN_NOTE.encode())
        # then, as into a pipe, what it runs
        self.assertEqual(first + b"\n", command)
        line = PROGRESS % (b"replaying", b" of %d" % total)
        # (erased when the program writes to its fd 2, perhaps redrawn, erased at the end)
        m = re.fullmatch(rb"(?:(?:%s)+%s)+(?P<after>[^\r].*)" % (line, re.escape(ERASE)), rest, re.S)
        self.assertIsNotNone(m, rest[:400])
        counts = progress_counts(rest, b"replaying", b" of %d" % total)
        self.assertEqual(counts, sorted(counts))
        self.assertLess(counts[-1], total)
        # what follows is the piped verdict, its word in bold green
        self.assertEqual(m.group("after"), verdict.replace(b": equivalent: ", b": %sequivalent%s: " % (GREEN_BOLD, OFF), 1)
                         + b"".join(piped.stderr.splitlines(True)[3:]))


def counts_out(verdict):
    """The verdict with its counts of acceptable differences and of pairs
    written replaced by N."""
    return re.sub(rb"(, )\d+( acceptable)|(  )\d+( differing syscalls? written)", rb"\1\3N\2\4", verdict)


class Colour(TmpTestCase):
    def setUp(self):
        super().setUp()
        p, self.rec = record(self.tmp, ["/bin/sh", "-c", "cd /nonexistent-dir; kill -TERM $$"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.plain = run(["show", self.rec]).stdout

    def test_show_on_a_terminal(self):
        rc, got, _, err = run_pty(["show", self.rec], tty_err=False)
        self.assertEqual(rc, 0, err)
        self.assertNotEqual(got, self.plain)
        lines = got.split(b"\n")
        self.assertEqual(lines[0], DIM + b'# recording of job "sh", written by sperrips ' +
                         self.plain.split(b"sperrips ", 1)[1].split(b"\n")[0] + OFF)
        self.assertIn(BOLD + b'chdir' + OFF + b'("/nonexistent-dir") = ' + RED +
                      b"-1 ENOENT (No such file or directory)" + OFF, lines)
        self.assertIn(BOLD + b"getpid" + OFF + b"() = " + self.plain.split(b"\ngetpid() = ")[1].split(b"\n")[0], lines)
        self.assertIn(YELLOW + b"+++ killed by SIGTERM +++" + OFF, lines)
        sig = [x for x in self.plain.split(b"\n") if x.startswith(b"--- SIGTERM ")]
        self.assertEqual(len(sig), 1)
        self.assertIn(YELLOW + sig[0] + OFF, lines)
        # every line is the plain one with escapes added, nothing else
        self.assertEqual(re.sub(rb"\x1b\[[0-9;]*m", b"", got), self.plain)

    def test_always_never_and_no_color(self):
        colour = run_pty(["show", self.rec], tty_err=False)[1]
        self.assertEqual(run(["show", "--color=always", self.rec]).stdout, colour)
        self.assertEqual(run(["show", "--color", self.rec]).stdout, colour)
        self.assertEqual(run(["show", "--color=auto", self.rec]).stdout, self.plain)
        self.assertEqual(run_pty(["show", "--color=never", self.rec], tty_err=False)[1], self.plain)
        self.assertEqual(run_pty(["show", self.rec], tty_err=False, env={"NO_COLOR": "1"})[1], self.plain)
        self.assertEqual(run_pty(["show", self.rec], tty_err=False, env={"TERM": "dumb"})[1], self.plain)
        # an empty NO_COLOR does not count (no-color.org)
        self.assertEqual(run_pty(["show", self.rec], tty_err=False, env={"NO_COLOR": ""})[1], colour)
        # --json and -c stay plain on a terminal: they are for programs
        self.assertEqual(run_pty(["show", "--json", self.rec], tty_err=False)[1], run(["show", "--json", self.rec]).stdout)
        self.assertEqual(run_pty(["show", "-c", self.rec], tty_err=False)[1], run(["show", "-c", self.rec]).stdout)

    def test_bad_color_value(self):
        p = run(["show", "--color=sometimes", self.rec])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p),
                         "sperrips: --color=sometimes: expected auto, never or always (see sperrips --help)")

    def test_different_verdict_in_red(self):
        data = os.path.join(self.tmp, "data.txt")
        with open(data, "w") as f:
            f.write("the demo machine\n")
        outf, errf = os.path.join(self.tmp, "out.txt"), os.path.join(self.tmp, "err.txt")
        p, rec = record(self.tmp, ["/bin/cat", data], ["--stdout", outf, "--stderr", errf], out_name="cat.bin")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(data, "w") as f:
            f.write("the evil machine\n")
        args = ["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", outf, "--stderr", errf]
        piped = run(args)
        self.assertEqual(piped.returncode, 1, piped.stderr)
        rc, got, _, _ = run_pty(args, tty_out=False)
        self.assertEqual(rc, 1)
        note, first, rest = got.split(b"\n", 2)
        self.assertEqual(note, ORIGIN_NOTE.encode())
        self.assertTrue(first.startswith(b"sperrips: replaying /bin/cat " + data.encode()), first)
        # after the same note and command line as into a pipe
        self.assertEqual(piped.stderr.split(b"\n", 2)[:2], [note, first])
        expect = piped.stderr.split(b"\n", 2)[2]
        expect = expect.replace(b": DIFFERENT: ", b": " + RED_BOLD + b"DIFFERENT" + OFF + b": ", 1)
        expect = expect.replace(b"  flags: UNEXPECTED_MEMORY_CONTENT",
                                b"  flags: " + RED + b"UNEXPECTED_MEMORY_CONTENT", 1)
        flags_end = expect.index(b"\n", expect.index(b"  flags: "))
        expect = expect[:flags_end] + OFF + expect[flags_end:]
        # how many timestamps differ acceptably depends on the second each
        # run falls in: those counts are left out of the comparison
        self.assertEqual(counts_out(rest), counts_out(expect))
        self.assertEqual(counts_out(run(args + ["--color=never"]).stderr), counts_out(piped.stderr))


class Verbose(TmpTestCase):
    def test_record_v_one_line_per_phase_and_process(self):
        out = os.path.join(self.tmp, "r.bin")
        p = run(["record", "-v", "-o", out, "--", "/bin/sh", "-c", "/bin/true; exit 3"])
        self.assertEqual(p.returncode, 0, p.stderr)
        meta, events, _ = show_json(out, signals=True)
        calls = [e for e in events if "name" in e]
        per_tid = {}
        for e in calls:
            per_tid[e["tid"]] = per_tid.get(e["tid"], 0) + 1
        # signals and thread ends are written as signal records
        signals = len([x for x in run(["show", out]).stdout.decode().splitlines() if x[:4] in ("--- ", "+++ ")])
        self.assertEqual(signals, 3)  # SIGCHLD and the two exits
        lines = p.stderr.decode().splitlines()
        self.assertEqual(lines[0], "sperrips: record: writing %s; 0 environment variables, ASLR off, vDSO hidden, "
                                   "pinned to one CPU" % out)
        m = re.fullmatch(r"sperrips: record: pid (\d+): started /bin/sh", lines[1])
        self.assertIsNotNone(m, lines)
        sh = int(m.group(1))
        m = re.fullmatch(r"sperrips: record: pid (\d+): forked by pid %d" % sh, lines[2])
        self.assertIsNotNone(m, lines)
        child = int(m.group(1))
        self.assertEqual(sorted(per_tid), sorted([sh, child]))
        self.assertEqual(lines[3:], [
            "sperrips: record: pid %d: exec'd /bin/true" % child,
            "sperrips: record: pid %d: exited with 0 after %d syscalls" % (child, per_tid[child]),
            "sperrips: record: pid %d: exited with 3 after %d syscalls" % (sh, per_tid[sh]),
            "sperrips: record: %d syscalls and %d signals written in %s s" % (
                len(calls), signals, lines[-2].rsplit(" ", 2)[1]),
            "sperrips: recorded %d syscalls of /bin/sh (exited with 3) into %s" % (len(calls), out),
        ])
        self.assertRegex(lines[-2], r" written in \d+\.\d\d s$")
        # without -v: the last line only
        p = run(["record", "-o", out, "--", "/bin/sh", "-c", "/bin/true; exit 3"])
        self.assertEqual(p.stderr.decode().splitlines(), [lines[-1].replace(str(len(calls)), "%d" % show_json(out)[0]["number_of_syscalls"])])

    def test_record_vv_threads(self):
        p, out = record(self.tmp, [tracee("threads_read"), "/etc/hostname", "/etc/passwd"], ["-vv"],
                        stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        _, events, _ = show_json(out)
        per_tid = {}
        for e in events:
            per_tid[e["tid"]] = per_tid.get(e["tid"], 0) + 1
        self.assertEqual(len(per_tid), 3)
        lines = p.stderr.decode().splitlines()
        pid = int(re.fullmatch(r"sperrips: record: pid (\d+): started .*/threads_read", lines[1]).group(1))
        threads = sorted(t for t in per_tid if t != pid)
        started = sorted(int(m.group(1)) for m in (re.fullmatch(r"sperrips: record: thread (\d+): started by %d" % pid, x)
                                                   for x in lines) if m)
        self.assertEqual(started, threads)
        for t in threads:
            self.assertIn("sperrips: record: thread %d: ended after %d syscalls" % (t, per_tid[t]), lines)
        # the process's count is its threads' too
        self.assertIn("sperrips: record: pid %d: exited with 0 after %d syscalls" % (pid, len(events)), lines)
        # -v alone names no thread
        p, _ = record(self.tmp, [tracee("threads_read"), "/etc/hostname"], ["-v"], stdout=subprocess.DEVNULL)
        self.assertNotIn(b"record: thread ", p.stderr)
        self.assertIn(b"record: pid ", p.stderr)

    def test_killed_program_is_named_by_its_signal(self):
        p, out = record(self.tmp, ["/bin/sh", "-c", "kill -SEGV $$"], ["-v"])
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stderr.decode().splitlines()
        self.assertRegex(lines[-3], r"^sperrips: record: pid \d+: killed by SIGSEGV after \d+ syscalls$")
        self.assertTrue(lines[-1].startswith("sperrips: recorded "), lines)
        self.assertTrue(lines[-1].endswith(" of /bin/sh (killed by SIGSEGV) into %s" % out), lines)

    def test_replay_vv_says_each_difference_as_found(self):
        data = os.path.join(self.tmp, "data.txt")
        with open(data, "w") as f:
            f.write("the demo machine\n")
        outf = os.path.join(self.tmp, "out.txt")
        p, rec = record(self.tmp, ["/bin/cat", data], ["--stdout", outf])
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(data, "w") as f:
            f.write("the evil machine\n")
        diff = os.path.join(self.tmp, "d.bin")
        p = run(["replay", "-vv", "-i", rec, "-o", diff, "--stdout", outf])
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stderr.decode().splitlines()
        verdict = [i for i, x in enumerate(lines) if x.startswith('sperrips: replay of job "cat"')]
        self.assertEqual(len(verdict), 1, lines)
        during = lines[:verdict[0]]
        reported = [x for x in lines[verdict[0]:] if x.startswith("  #")]
        self.assertEqual(len(reported), 2, lines)
        # the unacceptable ones, said as found with the verdict's words
        for line in reported:
            self.assertIn("sperrips: replay: unacceptable: " + line[2:], during)
        # cat's fstat of the file: its contents are not the recorded ones
        self.assertRegex(reported[0], r"^  #\d+ newfstatat\(3</.*/data.txt>, \.\.\.\) the file's contents are not the "
                                      r"recorded ones: sha256 %s\.\.\. vs %s\.\.\. "
                                      % (hashlib.sha256(b"the demo machine\n").hexdigest()[:16],
                                         hashlib.sha256(b"the evil machine\n").hexdigest()[:16]))
        # cat copies with copy_file_range: the bytes the kernel moved
        self.assertRegex(reported[1], r"^  #\d+ copy_file_range\(3</.*/data.txt>, \.\.\.\) moved bytes differ at byte 4: "
                                      r'"the demo machine\\n" vs "the evil machine\\n" \[UNEXPECTED_MEMORY_CONTENT\]$')
        accepted = [x for x in during if x.startswith("sperrips: replay: acceptable (pids): #")]
        self.assertTrue(accepted, during)
        self.assertRegex(accepted[0], r"^sperrips: replay: acceptable \(pids\): #\d+ set_tid_address\(0x[0-9a-f]+\) "
                                      r"return value differs: \d+ vs \d+ \[WRONG_INTEGER\]$")
        self.assertEqual(during[0], ORIGIN_NOTE)
        self.assertRegex(during[1], r"^sperrips: replaying /bin/cat ")
        self.assertEqual(during[2], 'sperrips: replay: %s: job "cat", %d syscalls recorded on %s; policy lax; writing %s'
                         % (rec, show_json(rec)[0]["number_of_syscalls"], os.uname().nodename, diff))
        self.assertRegex(during[3], r"^sperrips: replay: pid \d+: started /bin/cat$")
        self.assertRegex(during[-2], r"^sperrips: replay: pid \d+: exited with 0 after \d+ syscalls$")
        self.assertRegex(during[-1], r"^sperrips: replay: \d+ syscalls compared in \d+\.\d\d s$")
        # -v alone: no difference lines
        p = run(["replay", "-v", "-i", rec, "-o", diff, "--stdout", outf])
        self.assertFalse([x for x in p.stderr.decode().splitlines() if "acceptable" in x and "replay: " in x])


class VerdictWords(TmpTestCase):
    def test_st_mode_symbolic(self):
        data = os.path.join(self.tmp, "data.txt")
        with open(data, "w") as f:
            f.write("same bytes\n")
        os.chmod(data, 0o600)
        outf = os.path.join(self.tmp, "out.txt")
        p, rec = record(self.tmp, ["/bin/cat", data], ["--stdout", outf])
        self.assertEqual(p.returncode, 0, p.stderr)
        os.chmod(data, 0o644)
        p = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", outf])
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = [x for x in p.stderr.decode().splitlines() if x.startswith("  #")]
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertRegex(lines[0], r"^  #\d+ newfstatat\(3</.*/data.txt>, \.\.\.\) st_mode differs: "
                                   r"S_IFREG\|0600 vs S_IFREG\|0644 \[STAT_DIFFERS\]$")

    def test_handler_named(self):
        # dash reads SIGQUIT's disposition at start. Replay restores the
        # recorded dispositions, so the recording is edited to say SIGQUIT
        # was ignored: the handlers are named, not shown as addresses.
        outf, errf = os.path.join(self.tmp, "out"), os.path.join(self.tmp, "err")
        p, rec = record(self.tmp, ["/bin/sh", "-c", "true"], ["--stdout", outf, "--stderr", errf])
        self.assertEqual(p.returncode, 0, p.stderr)
        edited = os.path.join(self.tmp, "edited.bin")

        def edit(calls):
            for c in calls:
                if c.type == RT_SIGACTION and c.args_on_entry.args[0].int64 == signal.SIGQUIT:
                    old = bytearray(c.args_on_exit.args[2].buffer)
                    self.assertEqual(old[:8], bytes(8))
                    old[:8] = (1).to_bytes(8, "little")
                    c.args_on_exit.args[2].buffer = bytes(old)
                    return calls
            self.fail("sh read no SIGQUIT disposition")
        rewrite(rec, edited, edit)
        p = run(["replay", "-i", edited, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", outf, "--stderr", errf])
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = [x for x in p.stderr.decode().splitlines() if x.startswith("  #")]
        self.assertRegex(lines[0], r"^  #\d+ rt_sigaction\(SIGQUIT, \.\.\.\) sa_handler differs: SIG_IGN vs SIG_DFL "
                                   r"\[WRONG_POINTER\]$")

    def test_one_differing_syscall_is_singular(self):
        p, rec = record(self.tmp, ["/bin/true"])
        self.assertEqual(p.returncode, 0)
        diff = os.path.join(self.tmp, "d.bin")
        p = run(["replay", "-i", rec, "-o", diff])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.decode().splitlines()[-1], "  1 differing syscall written to %s" % diff)

    def test_replay_interrupted_names_the_signal(self):
        # replay really sleeps the recorded second and a half
        p, rec = record(self.tmp, ["/bin/sleep", "1.5"])
        self.assertEqual(p.returncode, 0, p.stderr)
        diff = os.path.join(self.tmp, "d.bin")
        q = subprocess.Popen([SPERRIPS, "replay", "-i", rec, "-o", diff],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.5)
        q.send_signal(signal.SIGTERM)
        _, err = q.communicate(timeout=60)
        self.assertEqual(q.returncode, 128 + signal.SIGTERM, err)
        self.assertEqual(err.decode().splitlines()[-1],
                         "sperrips: interrupted by SIGTERM: the tracee was killed; %s is finished and marked "
                         "interrupted" % diff)
