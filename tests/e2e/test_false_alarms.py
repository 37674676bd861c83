"""False alarms of issue 9 that live in the comparison: real programs,
recorded and replayed five times in a row on this machine with nothing
changed, must come back identical or equivalent (with the acceptable kind
named); a tampered variant of each must still come back DIFFERENT with a
line naming the cause and the descriptor (strace -y style)."""
import os
import re
import shutil
import signal
import subprocess
import time
import unittest

from helpers import TmpTestCase, record, rewrite, run, show_json, show_text, tracee
from test_container import SKIP, ContainerCase, copy_root, debootstrap_root, tree

REPLAYS = 5
VERDICT = re.compile(r'replay of job "[^"]*" \((\d+) of (\d+) recorded syscalls compared\): (\w+)')


def syscall_nr(name):
    """The x86_64 number of `name` (the recording stores numbers)."""
    return {"read": 0, "statfs": 137, "getdents64": 217}[name]


class FalseAlarms(TmpTestCase):
    def record(self, argv, opts=(), name="r.bin"):
        p, path = record(self.tmp, argv, ["--stdout", "/dev/null", "--stderr", "/dev/null"] + list(opts),
                         out_name=name)
        self.assertEqual(p.returncode, 0, p.stderr)
        return path

    def replay(self, rec, opts=(), whole=True):
        """One replay: (exit status, stderr text, verdict word)."""
        diff = os.path.join(self.tmp, "d.bin")
        p = run(["replay", "-i", rec, "-o", diff, "--stdout", "/dev/null", "--stderr", "/dev/null"] + list(opts))
        err = p.stderr.decode(errors="replace")
        m = VERDICT.search(err)
        self.assertIsNotNone(m, err)
        # Every recorded syscall was compared: no divergence hides behind the verdict.
        if whole:
            self.assertEqual(m.group(1), m.group(2), err)
        return p.returncode, err, m.group(3)

    def replay_benign(self, rec, label, before=None, opts=()):
        """REPLAYS replays in a row, each identical or equivalent; `label`
        (an acceptable kind) must be named by at least one of them."""
        seen = False
        for _ in range(REPLAYS):
            if before:
                before()
            rc, err, verdict = self.replay(rec, opts)
            self.assertEqual(rc, 0, err)
            self.assertIn(verdict, ("identical", "equivalent"), err)
            self.assertNotIn("unacceptable", err)
            seen = seen or (label is None or re.search(r"[(,] ?%s \d+" % re.escape(label), err) is not None)
        if label:
            self.assertTrue(seen, "no replay named %r" % label)

    def replay_different(self, rec, opts=()):
        # A tampered run may go on otherwise after the difference: the
        # difference must be named, the rest need not be compared.
        rc, err, verdict = self.replay(rec, opts, whole=False)
        self.assertEqual(rc, 1, err)
        self.assertEqual(verdict, "DIFFERENT", err)
        return err

    # ---- 1: free space of a file system is system state ----

    def test_df(self):
        rec = self.record(["/usr/bin/df", "/", "/tmp"])
        self.replay_benign(rec, "system state")

    def test_df_inodes(self):
        rec = self.record(["/usr/bin/df", "-i", "/"])
        self.replay_benign(rec, None)

    def test_df_other_disk_size_is_different(self):
        rec = self.record(["/usr/bin/df", "/"])
        edited = os.path.join(self.tmp, "bigger.bin")

        def edit(calls):
            for c in calls:
                if c.type == syscall_nr("statfs"):
                    buf = bytearray(c.args_on_exit.args[1].buffer)
                    blocks = int.from_bytes(buf[16:24], "little")
                    buf[16:24] = (blocks + 1).to_bytes(8, "little")
                    c.args_on_exit.args[1].buffer = bytes(buf)
                    self.blocks = blocks
                    return calls
            self.fail("df made no statfs call")
        rewrite(rec, edited, edit)
        err = self.replay_different(edited)
        self.assertRegex(err, r'#\d+ statfs\("/", \.\.\.\) f_blocks differs: %d vs %d \[UNEXPECTED_MEMORY_CONTENT\]'
                         % (self.blocks + 1, self.blocks))

    # ---- 3: random devices by what they are ----

    def test_perl_hash_seed(self):
        rec = self.record(["/usr/bin/perl", "-e", 'my %h = map { $_ => 1 } 1..50; print join(",", keys %h), "\\n"'])
        self.replay_benign(rec, "random bytes")

    def test_sqlite3(self):
        if not shutil.which("sqlite3"):
            self.skipTest("sqlite3 is not installed (scripts/deps installs it)")
        db = os.path.join(self.tmp, "t.db")
        sql = "create table t(a); insert into t values (1), (2); select sum(a), random() is not null from t;"

        def fresh():
            for suffix in ("", "-journal", "-wal"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
        fresh()
        rec = self.record(["/usr/bin/sqlite3", db, sql])
        # Its locks are fcntl(F_SETLK) with a struct flock whose holes and
        # l_pid are stack garbage (issue 9, item 9): they must not differ.
        lines, _ = show_text(rec)
        self.assertTrue(any("F_SETLK" in line for line in lines))
        self.replay_benign(rec, "random bytes", before=fresh)

    def test_file_named_urandom_is_a_file(self):
        # A regular file called urandom is not random input: its bytes must match.
        path = os.path.join(self.tmp, "urandom")
        with open(path, "wb") as f:
            f.write(b"0123456789abcdef")
        rec = self.record(["/usr/bin/perl", "-e", 'open(F, "<", $ARGV[0]) or die; read(F, $b, 16); print $b', path])
        with open(path, "wb") as f:
            f.write(b"0123456789abcdeX")
        err = self.replay_different(rec)
        self.assertIn('read(3<%s>, ...) buffer differs at byte 15: ..."789abcdef" vs ..."789abcdeX" '
                      '[UNEXPECTED_MEMORY_CONTENT]' % path, err)

    # ---- 5: directory listings: names and types, not positions ----

    def make_tree(self, top, names):
        shutil.rmtree(top, True)
        os.makedirs(os.path.join(top, "a", "b"))
        for n in names:
            with open(os.path.join(top, "a", n), "w") as f:
                f.write(n)
        with open(os.path.join(top, "a", "b", "g"), "w") as f:
            f.write("g")

    def tree_root(self):
        # tmpfs lists a folder in reverse order of creation: a recreated
        # folder really lists otherwise there.
        base = "/dev/shm" if os.path.isdir("/dev/shm") else self.tmp
        top = os.path.join(base, "sperrips-find-%d" % os.getpid())
        self.addCleanup(shutil.rmtree, top, True)
        return top

    def test_find_over_recreated_folder(self):
        top = self.tree_root()
        names = ["f%d" % i for i in range(1, 8)]
        self.make_tree(top, names)
        rec = self.record(["/usr/bin/find", top, "-ls"])
        self.replay_benign(rec, "directory order" if top.startswith("/dev/shm") else None,
                           before=lambda: self.make_tree(top, list(reversed(names))))

    def test_find_with_another_file_is_different(self):
        top = self.tree_root()
        names = ["f%d" % i for i in range(1, 8)]
        self.make_tree(top, names)
        rec = self.record(["/usr/bin/find", top, "-ls"])
        self.make_tree(top, names + ["planted"])
        err = self.replay_different(rec)
        self.assertRegex(err, r'#\d+ getdents64\(\d+<%s>, \.\.\.\) the directory listing differs: 1 entry only '
                              r'replayed: "planted" \[UNEXPECTED_MEMORY_CONTENT\]' % re.escape(os.path.join(top, "a")))

    def big_tree(self, top, order):
        shutil.rmtree(top, True)
        os.makedirs(top)
        for i in order:
            with open(os.path.join(top, "entry-with-a-rather-long-name-number-%d" % i), "w"):
                pass

    def test_find_over_big_recreated_folder(self):
        # 2000 entries take several getdents64 calls; in reverse order each
        # call holds other entries than recorded, the listing the same ones.
        if not os.path.isdir("/dev/shm"):
            self.skipTest("no tmpfs at /dev/shm to list a folder in creation order")
        top = os.path.join("/dev/shm", "sperrips-big-%d" % os.getpid())
        self.addCleanup(shutil.rmtree, top, True)
        self.big_tree(top, range(1, 2001))
        rec = self.record(["/usr/bin/find", top])
        lines, _ = show_text(rec)
        self.assertGreaterEqual(sum(1 for line in lines if line.startswith("getdents64(")), 4)
        self.replay_benign(rec, "directory order", before=lambda: self.big_tree(top, range(2000, 0, -1)))
        # One entry replaced by another: named at the end of the listing.
        os.unlink(os.path.join(top, "entry-with-a-rather-long-name-number-77"))
        with open(os.path.join(top, "planted"), "w"):
            pass
        err = self.replay_different(rec)
        self.assertRegex(err, r'#\d+ getdents64\(\d+<%s>, \.\.\.\) the directory listing differs: 1 entry only '
                              r'recorded: "entry-with-a-rather-long-name-number-77"; 1 entry only replayed: "planted" '
                              r'\[UNEXPECTED_MEMORY_CONTENT\]' % re.escape(top))

    # ---- 7: /proc counters are system state; what a process is must match ----

    def test_proc_counters(self):
        rec = self.record(["/bin/cat", "/proc/meminfo", "/proc/loadavg", "/proc/uptime", "/proc/stat",
                           "/proc/self/stat"])
        self.replay_benign(rec, "system state")

    def test_proc_self_cmdline_must_match(self):
        rec = self.record(["/bin/cat", "/proc/self/cmdline", "/proc/meminfo"])
        edited = os.path.join(self.tmp, "cmdline.bin")

        def edit(calls):
            for c in calls:
                if c.type == syscall_nr("read") and c.args_on_exit.args[1].buffer.startswith(b"/bin/cat\0"):
                    c.args_on_exit.args[1].buffer = b"/bin/dog" + c.args_on_exit.args[1].buffer[8:]
                    return calls
            self.fail("cat did not read its command line")
        rewrite(rec, edited, edit)
        err = self.replay_different(edited)
        self.assertRegex(err, r'#\d+ read\(3</proc/\d+/cmdline>, \.\.\.\) buffer differs at byte 5: '
                              r'"/bin/dog\\0/proc/sel"\.\.\. vs "/bin/cat\\0/proc/sel"\.\.\. '
                              r'\(\d+ vs \d+ bytes\)|buffer differs at byte 5: "/bin/dog')

    # ---- 8: pipes between traced processes: the stream, not the chunks ----

    # seq | wc -c, started by a small launcher rather than sh: the shell's
    # SIGCHLD handler runs whenever a child exits, which replay does not
    # schedule yet (issue 9 item 8's other half). --serial starts wc once
    # seq (48,894 bytes, within the pipe's 64 KiB) has exited: without a
    # scheduler, a replayed reader that is handed the recorded chunks can
    # finish before a slower writer and leave it EPIPE. wc reads its
    # standard input into the same 16 KiB buffer every time, so a
    # recording's chunks can be changed without changing its next calls.
    PIPELINE = [tracee("pipeline"), "--serial", "/usr/bin/seq", "1", "10000", "--", "/usr/bin/wc", "-c"]

    def test_pipeline_concurrent(self):
        # Both at once; seq's 3,893 bytes are one write, so one chunk.
        rec = self.record([tracee("pipeline"), "/usr/bin/seq", "1", "1000", "--", "/usr/bin/wc", "-c"])
        self.replay_benign(rec, None)

    def reader_reads(self, calls):
        """Indexes of wc's reads from its standard input (the pipe)."""
        return [i for i, c in enumerate(calls)
                if c.type == syscall_nr("read") and c.args_on_entry.args[0].int64 == 0
                and c.return_value.int64 > 0]

    def test_pipeline(self):
        rec = self.record(self.PIPELINE)
        self.replay_benign(rec, None)

    def test_pipeline_other_chunks(self):
        # The recording's reader got the same bytes in other chunks: the end
        # of one read moves to the start of the next (as much as its buffer
        # has room for).
        rec = self.record(self.PIPELINE)
        edited = os.path.join(self.tmp, "chunks.bin")

        def edit(calls):
            reads = self.reader_reads(calls)
            for first, second in zip(reads, reads[1:]):
                a, b = calls[first], calls[second]
                data, more = a.args_on_exit.args[1].buffer, b.args_on_exit.args[1].buffer
                moved = min(len(data) // 2, b.args_on_entry.args[2].int64 - len(more))
                if moved > 0:
                    break
            else:
                self.fail("no two reads of wc to move bytes between")
            self.moved = moved
            b.args_on_exit.args[1].buffer = data[-moved:] + more
            b.return_value.int64 = b.args_on_exit.args[1].int64 = len(more) + moved
            a.args_on_exit.args[1].buffer = data[:-moved]
            a.return_value.int64 = a.args_on_exit.args[1].int64 = len(data) - moved
            return calls
        rewrite(rec, edited, edit)
        self.assertGreater(self.moved, 0)
        self.replay_benign(edited, "pipe chunking")

    def test_pipeline_changed_byte_is_different(self):
        rec = self.record(self.PIPELINE)
        edited = os.path.join(self.tmp, "byte.bin")

        def edit(calls):
            reads = self.reader_reads(calls)
            self.at = sum(calls[i].return_value.int64 for i in reads[:2]) + 3
            c = calls[reads[2]]
            buf = bytearray(c.args_on_exit.args[1].buffer)
            self.was = buf[3]
            buf[3] = ord("X")
            c.args_on_exit.args[1].buffer = bytes(buf)
            return calls
        rewrite(rec, edited, edit)
        err = self.replay_different(edited)
        self.assertRegex(err, r"#\d+ read\(0<pipe:\[\d+\]>, \.\.\.\) the pipe's byte stream differs at byte %d of "
                              r"the stream: \"X[^\"]*\" vs \"%s[^\"]*\" \[UNEXPECTED_MEMORY_CONTENT\]"
                         % (self.at, re.escape(chr(self.was))))

    # ---- also found: a partial recording says so ----

    def test_interrupted_recording_is_called_partial(self):
        path = os.path.join(self.tmp, "cut.bin")
        p = subprocess.Popen([os.path.join(os.path.dirname(tracee("loop")), "..", "sperrips"), "record", "-o", path,
                              "--stdout", "/dev/null", "--", tracee("loop"), "100000000"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.5)
        p.send_signal(signal.SIGTERM)
        p.communicate(timeout=60)
        self.assertEqual(p.returncode, 128 + signal.SIGTERM)
        diff = os.path.join(self.tmp, "d.bin")
        r = run(["replay", "-i", path, "-o", diff, "--stdout", "/dev/null"])
        err = r.stderr.decode(errors="replace")
        self.assertEqual(r.returncode, 0, err)
        self.assertRegex(err, r"\((\d+) of \1 recorded syscalls compared\): (identical|equivalent)")
        self.assertIn("  the recording is partial (its recorder was interrupted): compared up to where it ends, "
                      "then the program was stopped\n", err)


class ContainerFalseAlarms(ContainerCase):
    """The same under --rootfs (the busybox test root of tests/container/mkroot),
    replayed over the root itself and over a `cp -a` copy of it. Pipelines
    are not here: children are not paired with their recording under
    --rootfs yet (issue 9, item 2)."""

    def record_in(self, argv, root):
        env = dict(os.environ, TMPDIR=self.tmp)
        p, path = record(self.tmp, argv, ["--rootfs", root, "--stdout", "/dev/null"], env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return path

    def replay_in(self, rec, root, all_compared=True):
        env = dict(os.environ, TMPDIR=self.tmp)
        p = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--rootfs", root, "--stdout",
                 "/dev/null"], env=env)
        err = p.stderr.decode(errors="replace")
        m = VERDICT.search(err)
        self.assertIsNotNone(m, err)
        if all_compared:
            self.assertEqual(m.group(1), m.group(2), err)
        else:  # lock calls the replay did not make are not compared
            self.assertLessEqual(int(m.group(1)), int(m.group(2)), err)
        return p.returncode, err, m.group(3)

    def benign(self, argv, labels, prepare_copy=None, all_compared=True):
        """REPLAYS replays over the root and REPLAYS over a cp -a copy."""
        rec = self.record_in(argv, self.root)
        copy = copy_root(self.root, os.path.join(self.tmp, "copy"))
        if prepare_copy:
            prepare_copy(copy)
        seen = set()
        for root in [self.root] * REPLAYS + [copy] * REPLAYS:
            rc, err, verdict = self.replay_in(rec, root, all_compared)
            self.assertEqual(rc, 0, err)
            self.assertIn(verdict, ("identical", "equivalent"), err)
            seen |= {label for label in labels if re.search(r"[(,] ?%s \d+" % re.escape(label), err)}
        self.assertEqual(seen, set(labels))
        return rec, copy

    def test_df(self):
        # /proc/mounts names the overlay's host folders: a fresh upper each run.
        self.benign(["df", "/"], ["system state", "mount ids and folders"])

    def test_proc_counters(self):
        self.benign(["/bin/cat", "/proc/meminfo", "/proc/loadavg", "/proc/uptime"], ["system state"])

    def test_urandom(self):
        self.benign(["head", "-c", "32", "/dev/urandom"], ["random bytes"])

    def test_find_over_recreated_folder(self):
        names = ["f%d" % i for i in range(1, 8)]

        def tree(root, order):
            top = os.path.join(root, "data", "tree")
            shutil.rmtree(top, True)
            os.makedirs(os.path.join(top, "sub"))
            for n in order:
                with open(os.path.join(top, n), "w") as f:
                    f.write(n)
        base = os.path.join(self.tmp, "base")
        copy_root(self.root, base)
        tree(base, names)
        self.root_tree_base = base
        rec = self.record_in(["find", "/data/tree"], base)
        copy = copy_root(base, os.path.join(self.tmp, "recreated"))
        tree(copy, list(reversed(names)))
        for _ in range(REPLAYS):
            rc, err, verdict = self.replay_in(rec, copy)
            self.assertEqual(rc, 0, err)
            self.assertIn(verdict, ("identical", "equivalent"), err)
        # A planted file is named, with the folder it is in.
        with open(os.path.join(copy, "data", "tree", "planted"), "w") as f:
            f.write("x")
        rc, err, verdict = self.replay_in(rec, copy)
        self.assertEqual(rc, 1, err)
        self.assertRegex(err, r'#\d+ getdents64\(\d+</data/tree>, \.\.\.\) the directory listing differs: 1 entry only '
                              r'replayed: "planted" \[UNEXPECTED_MEMORY_CONTENT\]')

    def test_sh_id_date_and_a_pipeline(self):
        # Children paired by the pids the program sees in the container
        # (the same numbers each run there). Which acceptable kinds show
        # depends on the run (date may read the clock within the same
        # second as recorded at the coarse level it prints): none is asked.
        self.benign(["/bin/sh", "-c", "id; date +%s.%N; cat /proc/version | wc -c"], [])

    CHANGED = "/data/hello.txt"  # a file of the root that cat reads

    def test_changed_file_is_named(self):
        rec = self.record_in(["/bin/cat", "/proc/meminfo", self.CHANGED], self.root)
        copy = copy_root(self.root, os.path.join(self.tmp, "copy"))
        path = os.path.join(copy, self.CHANGED.lstrip("/"))
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(b"X" + data[1:])
        rc, err, verdict = self.replay_in(rec, copy)
        self.assertEqual(rc, 1, err)
        self.assertRegex(err, r'#\d+ read\(3<%s>, \.\.\.\) buffer differs at byte 0: "%s[^"]*"(\.\.\.)? vs '
                              r'"X[^"]*"(\.\.\.)? \[UNEXPECTED_MEMORY_CONTENT\]'
                         % (re.escape(self.CHANGED), re.escape(chr(data[0]))))


@unittest.skipUnless(os.environ.get("SPERRIPS_SLOW") == "1", "set SPERRIPS_SLOW=1 for the debootstrap root")
class DebootstrapFalseAlarms(ContainerFalseAlarms):
    """The same over a Debian minbase root (sperrips rootfs), which has
    perl (perl-base): its hash seed from /dev/urandom, in a container."""
    CHANGED = "/etc/debian_version"

    @classmethod
    def setUpClass(cls):
        if SKIP:
            raise unittest.SkipTest(SKIP)
        if os.geteuid() != 0 or not shutil.which("debootstrap", path="/usr/sbin:/usr/bin:/sbin:/bin"):
            raise unittest.SkipTest("needs root and debootstrap")
        cls.root = debootstrap_root()
        cls.root_tree = tree(cls.root)

    def test_perl_hash_seed(self):
        self.benign(["/usr/bin/perl", "-e", 'my %h = map { $_ => 1 } 1..50; print join(",", keys %h), "\\n"'],
                    ["random bytes"])

    def test_find_usr_share(self):
        self.benign(["/usr/bin/find", "/usr/share/doc", "-ls"], [])

    def test_sqlite3(self):
        self.benign(["/usr/bin/sqlite3", ":memory:", "create table t(a); insert into t values (1), (2); "
                     "select sum(a), random() from t;"], ["random bytes"])

    def test_xz_two_threads(self):
        # Issue 9: xz -T2 in a container. 11 MB in 3 MiB blocks: both
        # worker threads compress. (Reading a pipe, xz -T2 polls or reads
        # as its workers' progress in shared memory says: not replayable
        # at syscall granularity.) Known race: whether xz starts its second
        # worker depends on whether the first is still busy, read from
        # shared memory with no syscall between; 1 replay of 10 in a CI
        # run of 2026-11-28 diverged there (rt_sigprocmask of the thread
        # start expected, a read found), 16 of 16 passed by hand.
        if not os.environ.get("SPERRIPS_KNOWN_RACES"):
            self.skipTest("xz -T2 second worker start: known race (set SPERRIPS_KNOWN_RACES=1)")
        rec, _ = self.benign(["/bin/sh", "-c", "seq 1 1500000 > /tmp/in.txt; xz -T2 -1 -c /tmp/in.txt > /tmp/out.xz; "
                              "xz -t /tmp/out.xz && wc -c < /tmp/out.xz"], [], all_compared=False)
        _, events, _ = show_json(rec)
        # sh, seq, xz, wc and xz's two workers
        self.assertGreaterEqual(len({e["tid"] for e in events}), 6)
