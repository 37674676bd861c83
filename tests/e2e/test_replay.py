"""Replay (issue 3): record, change the world, replay, check the exact
verdict, result flags and differing pair, and the exit status."""
import json
import os
import subprocess

from helpers import (ENOENT, SPERRIPS, TmpTestCase, arg_bytes, record, rewrite, run,
                     shared_fixtures, show_json, sperrips_pb2, tracee)

CONTENT = b"Hello, world\n"
FLAG = {"WRONG_INTEGER": 1024, "UNEXPECTED_MEMORY_CONTENT": 32, "DIFFERENT_SYSCALLS_ENCOUNTERED": 8,
        "STAT_DIFFERS": 2048}


def replay(tmp, rec, opts=(), name="d.bin", stdout_name="replayed.out", **kw):
    """sperrips replay of `rec` with the tracee's stdout in a file.
    Returns (proc, differences path, the program's output)."""
    diff = os.path.join(tmp, name)
    out = os.path.join(tmp, stdout_name)
    p = run(["replay", "-i", rec, "-o", diff, "--stdout", out] + list(opts), **kw)
    data = None
    if os.path.exists(out):
        with open(out, "rb") as f:
            data = f.read()
    return p, diff, data


def read(path):
    with open(path, "rb") as f:
        return f.read()


def pairs(diff_path):
    """The differences file: (metadata, list of (recorded, replayed) dicts)."""
    p = run(["show", "--json", diff_path])
    lines = p.stdout.decode().splitlines()
    assert p.returncode == 0, p.stderr
    meta = json.loads(lines[0])
    return meta, [json.loads(line) for line in lines[1:]]


def verdict_line(proc):
    return [line for line in proc.stderr.decode().splitlines() if "replay of job" in line][0]


class ReplaySameMachine(TmpTestCase):
    """Same machine, same files: identical or equivalent, exit 0, and the
    program prints byte for byte what it printed when recorded."""

    def check_same(self, argv, stdin=None):
        rec_out = os.path.join(self.tmp, "recorded.out")
        opts = ["--stdout", rec_out]
        if stdin is not None:
            opts += ["--stdin", stdin]
        p, rec = record(self.tmp, argv, opts)
        self.assertEqual(p.returncode, 0, p.stderr)
        r, diff, out = replay(self.tmp, rec)
        self.assertEqual(r.returncode, 0, r.stderr)
        line = verdict_line(r)
        self.assertRegex(line, r": (identical|equivalent)")
        self.assertEqual(out, read(rec_out))
        meta, ps = pairs(diff)
        self.assertEqual(meta["kind"], "differences")
        self.assertIn(meta["verdict"], ("identical", "equivalent"))
        self.assertEqual(meta["result_flags"], 0)
        for pair in ps:
            for d in pair["replayed"].get("differences", []):
                self.assertEqual(d["class"], 1, "only acceptable differences: %r" % pair["replayed"]["text"])
        return line, ps, out

    def test_cat_file(self):
        path = self.tmpfile("in.txt", CONTENT)
        self.check_same(["/bin/cat", path])

    def test_cat_stdin(self):
        _, _, out = self.check_same(["/bin/cat"], stdin="from stdin\n")
        self.assertEqual(out, b"from stdin\n")

    def test_echo(self):
        _, _, out = self.check_same(["/bin/echo", "Hello world!"])
        self.assertEqual(out, b"Hello world!\n")

    def test_hostname(self):
        _, _, out = self.check_same(["/usr/bin/hostname"])
        self.assertEqual(out, os.uname().nodename.encode() + b"\n")

    def test_nondeterministic_values_reach_the_program(self):
        # getrandom bytes, the time, the pid and an mmap address: all replayed
        # (or mapped), so the replay prints exactly what the recording did.
        line, ps, out = self.check_same([tracee("nondet")])
        self.assertIn("equivalent", line)
        self.assertRegex(line, r"random bytes \d")
        self.assertIn("clock values", line)
        self.assertIn("pids", line)
        names = {p["recorded"]["name"] for p in ps}
        self.assertIn("getrandom", names)
        self.assertIn("clock_gettime", names)
        for p in ps:
            if p["recorded"]["name"] == "getrandom":
                ds = p["replayed"]["differences"]
                self.assertEqual([(d["arg"], d["field"], d["class"], d["replayed"]) for d in ds],
                                 [(1, "buffer", 1, True)])


class ReplayDetects(TmpTestCase):
    def setUp(self):
        super().setUp()
        self.input = self.tmpfile("in.txt", CONTENT)
        self.rec_out = os.path.join(self.tmp, "recorded.out")
        p, self.rec = record(self.tmp, [tracee("files"), self.input], ["--stdout", self.rec_out])
        self.assertEqual(p.returncode, 0, p.stderr)

    def read_pairs(self, ps):
        return [p for p in ps if p["recorded"]["name"] == "read" and p["replayed"].get("differences")
                and any(d["class"] == 0 for d in p["replayed"]["differences"])]

    def test_changed_content_same_length(self):
        with open(self.input, "wb") as f:
            f.write(b"Evil!, world\n")
        r, diff, out = replay(self.tmp, self.rec)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        self.assertIn(": DIFFERENT: 1 unacceptable difference", err)
        # The descriptor is named by what it is on this machine, as strace -y does.
        self.assertIn(('read(3<%s>, ...) buffer differs at byte 0: "Hello, world\\n" vs "Evil!, world\\n" '
                       '[UNEXPECTED_MEMORY_CONTENT]') % self.input, err)
        self.assertIn("flags: UNEXPECTED_MEMORY_CONTENT", err)
        meta, ps = pairs(diff)
        self.assertEqual(meta["verdict"], "DIFFERENT")
        self.assertEqual(meta["result_flags"], FLAG["UNEXPECTED_MEMORY_CONTENT"])
        bad = self.read_pairs(ps)
        self.assertEqual(len(bad), 1)
        rec, rep = bad[0]["recorded"], bad[0]["replayed"]
        self.assertEqual(arg_bytes(rec["exit"][1]), CONTENT)
        self.assertEqual(arg_bytes(rep["exit"][1]), b"Evil!, world\n")
        self.assertEqual([(d["arg"], d["field"], d["flag"], d["class"], d["at_exit"]) for d in rep["differences"]],
                         [(2, "buffer", 32, 0, True)])
        # lax: the recorded bytes were written back, the program went on as recorded
        self.assertEqual(out, CONTENT)
        self.assertTrue(rep["differences"][0]["replayed"])

    def test_strict_stops_at_the_first(self):
        with open(self.input, "wb") as f:
            f.write(b"Evil!, world\n")
        r, diff, out = replay(self.tmp, self.rec, ["--policy", "strict"])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("[UNEXPECTED_MEMORY_CONTENT]", r.stderr.decode())
        meta, ps = pairs(diff)
        self.assertEqual(meta["verdict"], "DIFFERENT")
        bad = self.read_pairs(ps)
        self.assertEqual(len(bad), 1)
        self.assertFalse(bad[0]["replayed"]["differences"][0]["replayed"])
        # stopped there: the tracee never wrote the (evil) bytes
        self.assertEqual(out, b"")
        self.assertEqual(ps[-1]["recorded"]["name"], "read")

    def test_missing_file(self):
        os.unlink(self.input)
        r, diff, out = replay(self.tmp, self.rec)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        self.assertIn('openat(AT_FDCWD, "%s", ...) return value differs: 3 vs -1 ENOENT (No such file or directory) '
                      "[WRONG_INTEGER]" % self.input, err)
        meta, ps = pairs(diff)
        first = [p for p in ps if any(d["class"] == 0 for d in p["replayed"].get("differences", []))][0]
        self.assertEqual(first["recorded"]["name"], "openat")
        self.assertEqual(first["recorded"]["retval"], 3)
        self.assertEqual(first["replayed"]["retval"], -ENOENT)
        self.assertEqual([(d["arg"], d["field"], d["flag"]) for d in first["replayed"]["differences"]],
                         [(0, "value", FLAG["WRONG_INTEGER"])])
        self.assertTrue(meta["result_flags"] & FLAG["WRONG_INTEGER"])

    def test_policy_file_accepts_a_difference(self):
        with open(self.input, "wb") as f:
            f.write(b"Evil!, world\n")
        pol = self.tmpfile("policy.json", json.dumps({"rules": [
            {"syscall": "read", "arg": 2, "field": "buffer", "class": "accept", "label": "log file"}]}).encode())
        r, diff, out = replay(self.tmp, self.rec, ["--policy", pol])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("equivalent", verdict_line(r))
        self.assertIn("log file 1", verdict_line(r))
        self.assertEqual(out, CONTENT)

    def test_bad_policy_file(self):
        pol = self.tmpfile("policy.json", b'{"rules": [{"syscall": "read", "class": "maybe"}]}')
        r, _, _ = replay(self.tmp, self.rec, ["--policy", pol])
        self.assertEqual(r.returncode, 2)
        self.assertOneLineError(r, '"class" must be')
        r, _, _ = replay(self.tmp, self.rec, ["--policy", os.path.join(self.tmp, "nope.json")])
        self.assertEqual(r.returncode, 2)
        self.assertOneLineError(r, "nope.json")


class ReplayDivergence(TmpTestCase):
    """The executions diverge: DIFFERENT_SYSCALLS_ENCOUNTERED, with context."""

    def setUp(self):
        super().setUp()
        p, self.rec = record(self.tmp, [tracee("loop"), "2"], ["--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_other_syscall(self):
        # The recording says getpid where the program calls getppid.
        edited = os.path.join(self.tmp, "edited.bin")

        def edit(calls):
            for c in calls:
                if c.type == 110:  # getppid
                    c.type = 39    # getpid
                    break
            return calls
        rewrite(self.rec, edited, edit)
        r, diff, _ = replay(self.tmp, edited)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        # One process: the position in the recording is the count that matched before it.
        self.assertRegex(err, r"the executions diverged at recorded syscall #(\d+), after \1 matching syscalls "
                              r"\(process \d+ of the recording\)")
        self.assertRegex(err, r"    matched   \w+\(")
        self.assertRegex(err, r"    expected  getpid\(\) = \d+")
        self.assertIn("    actual    getppid()", err)
        self.assertIn("flags: DIFFERENT_SYSCALLS_ENCOUNTERED", err)
        meta, _ = pairs(diff)
        self.assertEqual(meta["verdict"], "DIFFERENT")
        self.assertTrue(meta["result_flags"] & FLAG["DIFFERENT_SYSCALLS_ENCOUNTERED"])

    def test_recording_longer_than_the_run(self):
        edited = os.path.join(self.tmp, "longer.bin")

        def edit(calls):
            extra = sperrips_pb2.Syscall()
            extra.CopyFrom(calls[-2])
            return calls[:-1] + [extra] + calls[-1:]
        rewrite(self.rec, edited, edit)
        r, _, _ = replay(self.tmp, edited)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        self.assertIn("the executions diverged", err)
        self.assertIn("    actual    exit_group(0)", err)

    def test_recording_shorter_than_the_run(self):
        edited = os.path.join(self.tmp, "shorter.bin")
        rewrite(self.rec, edited, lambda calls: calls[:-1])
        r, _, _ = replay(self.tmp, edited)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        self.assertRegex(err, r"the executions diverged after \d+ matching syscalls: the recording ends there")
        self.assertIn("    expected  (end of the recording)", err)


class ReplayBadInput(TmpTestCase):
    def test_garbage(self):
        path = self.tmpfile("garbage.bin", b"\xff\xfe this is not protobuf \x00" * 10)
        r, _, _ = replay(self.tmp, path)
        self.assertEqual(r.returncode, 3)
        self.assertOneLineError(r, "garbage.bin")

    def test_missing_file(self):
        r, _, _ = replay(self.tmp, os.path.join(self.tmp, "none.bin"))
        self.assertEqual(r.returncode, 3)
        self.assertOneLineError(r, "No such file")

    def test_truncated(self):
        p, rec = record(self.tmp, ["/bin/echo", "hi"], ["--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0)
        data = read(rec)
        cut = self.tmpfile("cut.bin", data[: len(data) // 2])
        r, _, _ = replay(self.tmp, cut)
        self.assertEqual(r.returncode, 3)
        self.assertOneLineError(r, "incomplete")
        self.assertNoSignal(r)

    def test_differences_file_is_not_a_recording(self):
        p, rec = record(self.tmp, ["/bin/echo", "hi"], ["--stdout", os.path.join(self.tmp, "o")])
        r, diff, _ = replay(self.tmp, rec)
        self.assertEqual(r.returncode, 0, r.stderr)
        r2, _, _ = replay(self.tmp, diff, name="d2.bin")
        self.assertEqual(r2.returncode, 3)
        self.assertOneLineError(r2, "differences file")

    def test_other_job_in_seed_mode(self):
        work = os.path.join(self.tmp, "work")
        os.mkdir(work)
        cfg = {"recording": True, "command": "say", "lax_policy": True, "workdir": work,
               "stdout_file": os.path.join(self.tmp, "out.txt"),
               "commands": {"say": {"args": ["/bin/echo", "hi"]}, "other": {"args": ["/bin/echo", "ho"]}}}
        path = self.tmpfile("config.json", json.dumps(cfg).encode())
        p = run(["--recording", "-c", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode().strip(), os.path.join(work, "recording.bin"))
        cfg["recording"] = False
        self.tmpfile("config.json", json.dumps(cfg).encode())
        p = run(["--replaying", "-c", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode().strip(), os.path.join(work, "differences.bin"))
        cfg["command"] = "other"
        self.tmpfile("config.json", json.dumps(cfg).encode())
        p = run(["--replaying", "-c", path])
        self.assertEqual(p.returncode, 3)
        self.assertOneLineError(p, "COMPARING_DIFFERENT_JOBS")

    def test_prototype_fixtures_fail_cleanly(self):
        d = shared_fixtures()
        if not d:
            self.skipTest("../shared/fixtures/seed-eval2 is absent")
        for job in ("cat", "echo", "hostname"):
            r, _, _ = replay(self.tmp, os.path.join(d, "recording.bin." + job), name="d-%s.bin" % job)
            self.assertNoSignal(r)
            self.assertIn(r.returncode, (1, 4), r.stderr)
            if r.returncode == 4:
                self.assertOneLineError(r, "/root/" + job)


class ReplayNeverWritesPastTheBuffer(TmpTestCase):
    def test_recorded_read_longer_than_the_buffer(self):
        # loop reads 64 bytes into a 64-byte buffer; the edited recording says
        # the kernel returned 80: writing them back would overflow the buffer.
        p, rec = record(self.tmp, [tracee("loop"), "1"], ["--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        edited = os.path.join(self.tmp, "edited.bin")

        def edit(calls):
            for c in calls:
                if c.type == 0 and c.return_value.int64 == 64:  # read
                    c.args_on_exit.args[1].buffer = b"y" * 80
                    c.args_on_exit.args[1].same_as_entry = False
                    break
            return calls
        rewrite(rec, edited, edit)
        r, diff, _ = replay(self.tmp, edited, stdout_name="o")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertNoSignal(r)
        err = r.stderr.decode()
        self.assertIn("POTENTIAL_MEMORY_CORRUPTION", err)
        meta, ps = pairs(diff)
        self.assertTrue(meta["result_flags"] & 4)
        bad = [p for p in ps if p["recorded"]["name"] == "read"][0]
        d = [d for d in bad["replayed"]["differences"] if d["flag"] & 4][0]
        self.assertFalse(d["replayed"])
        self.assertEqual(d["class"], 0)


class ReplayDescriptors(TmpTestCase):
    def test_inherited_descriptors_do_not_reach_the_program(self):
        # A descriptor the caller left open (here 7) must not shift the
        # program's: both runs see only 0, 1 and 2.
        extra = os.open(self.tmpfile("extra", b"x"), os.O_RDONLY)
        os.dup2(extra, 7)
        os.set_inheritable(7, True)
        try:
            out = os.path.join(self.tmp, "fds.txt")
            p = subprocess.run([SPERRIPS, "record",
                                "-o", os.path.join(self.tmp, "r.bin"), "--stdout", out, "--stderr", out, "--",
                                "/bin/ls", "/proc/self/fd"], pass_fds=(7,), capture_output=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out) as f:
                self.assertEqual(f.read().split(), ["0", "1", "2", "3"])  # 3: ls's own directory
        finally:
            os.close(7)
            os.close(extra)

    def test_descriptor_numbers_that_differ_stop_the_replay(self):
        p, rec = record(self.tmp, [tracee("loop"), "2"], ["--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        edited = os.path.join(self.tmp, "edited.bin")

        def edit(calls):
            for c in calls:
                if c.type in (22, 293):  # pipe, pipe2
                    c.args_on_exit.args[0].buffer = bytes([5, 0, 0, 0, 6, 0, 0, 0])
                    c.args_on_exit.args[0].same_as_entry = False
                    break
            return calls
        rewrite(rec, edited, edit)
        r, diff, _ = replay(self.tmp, edited, stdout_name="o")
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        self.assertIn("[UNDEFINED_SYSTEM_STATE]", err)
        self.assertIn("the replay cannot go on", err)
        meta, ps = pairs(diff)
        self.assertTrue(meta["result_flags"] & 8192)
        # It stopped there: the pipe2 pair is the last one.
        self.assertIn(ps[-1]["recorded"]["name"], ("pipe", "pipe2"))


class ReplayProcessTree(TmpTestCase):
    """A parent and two children: each process is matched with its own
    recorded syscalls, and the pids the program was given are translated
    back when it hands them to the kernel (wait4)."""

    def setUp(self):
        super().setUp()
        self.input = self.tmpfile("in.txt", CONTENT)
        self.rec_out = os.path.join(self.tmp, "recorded.out")
        p, self.rec = record(self.tmp, [tracee("forker"), self.input], ["--stdout", self.rec_out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(read(self.rec_out), b"child 1 read 13 bytes\nparent: child 1 exited with 0\n"
                                             b"child 2 read 13 bytes\nparent: child 2 exited with 0\n")

    def test_same(self):
        meta, events, _ = show_json(self.rec)
        self.assertEqual(len({e["tid"] for e in events}), 3)
        r, diff, out = replay(self.tmp, self.rec)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(verdict_line(r), r": (identical|equivalent)")
        self.assertEqual(out, read(self.rec_out))

    def test_a_child_reads_other_bytes(self):
        with open(self.input, "wb") as f:
            f.write(b"Evil!, world\n")
        r, diff, out = replay(self.tmp, self.rec)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        self.assertEqual(err.count('read(3<%s>, ...) buffer differs at byte 0: "Hello, world\\n" vs "Evil!, world\\n"'
                                   % self.input), 2)
        self.assertNotIn("diverged", err)


class ReplayNotesOutputKind(TmpTestCase):
    def test_stdout_of_another_kind_is_noted(self):
        p, rec = record(self.tmp, ["/bin/echo", "hi"], ["--stdout", os.path.join(self.tmp, "o")])
        self.assertEqual(p.returncode, 0, p.stderr)
        meta, _, _ = show_json(rec)
        r = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", "/dev/null"])
        self.assertIn("sperrips: setting: standard output is /dev/null here (--stdout), the recording's was a "
                      "regular file: calls that look at it will differ\n", r.stderr.decode())
        r, _, _ = replay(self.tmp, rec)
        self.assertNotIn("setting: standard output", r.stderr.decode())
        self.assertEqual(r.returncode, 0, r.stderr)
