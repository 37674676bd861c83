"""The container (issue 4): record in new namespaces over an overlay, the
root's lower layer untouched, no mount left behind, one-line errors.

The small root file systems the tests run in:

busybox_root() builds one offline with tests/container/mkroot (busybox-static
plus the host's cat, echo, hostname and ping with their libraries), cached
under BUILD/container/root and rebuilt when the script changes.
debootstrap_root() builds a Debian bookworm minbase with iputils-ping through
`sperrips rootfs`, cached under BUILD/container/bookworm (slow; network)."""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import unittest

from helpers import BUILD, REPO, SPERRIPS, TmpTestCase, read_pb, record, run

MKROOT = os.path.join(REPO, "tests", "container", "mkroot")


def _stamp():
    h = hashlib.sha256()
    with open(MKROOT, "rb") as f:
        h.update(f.read())
    for prog in ("/usr/bin/busybox", "/bin/cat", "/bin/echo", "/usr/bin/hostname", "/usr/bin/ping"):
        try:
            st = os.stat(prog)
            h.update(("%s %d %d" % (prog, st.st_size, st.st_mtime)).encode())
        except FileNotFoundError:
            h.update(prog.encode())
    return h.hexdigest()


def why_no_busybox_root():
    """None if the busybox root can be built here, else the reason."""
    if not shutil.which("busybox"):
        return "busybox not installed (apt-get install busybox-static)"
    for prog in ("/bin/cat", "/bin/echo", "/usr/bin/hostname", "/usr/bin/ping"):
        if not os.path.exists(prog):
            return "%s missing on the host (the test root copies it)" % prog
    return None


def busybox_root():
    """The path of the cached busybox root, built if missing or stale."""
    root = os.path.join(BUILD, "container", "root")
    stamp_path = os.path.join(BUILD, "container", "root.stamp")
    stamp = _stamp()
    try:
        with open(stamp_path) as f:
            if f.read() == stamp and os.path.isdir(os.path.join(root, "proc")):
                return root
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(root), exist_ok=True)
    subprocess.run([MKROOT, root], check=True, stdout=subprocess.DEVNULL)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return root


def debootstrap_root():
    """The cached debootstrap root (bookworm, minbase, iputils-ping, and
    xz-utils and sqlite3 for the false-alarm tests)."""
    # One cache for the plain and the sanitizer test runs: building it takes a minute.
    root = os.path.join(REPO, "build", "cache", "bookworm")
    if all(os.path.isfile(os.path.join(root, "usr", "bin", b)) for b in ("ping", "xz", "sqlite3")):
        return root
    if os.path.isdir(root):
        shutil.rmtree(root)
    p = subprocess.run([SPERRIPS, "rootfs", root, "--suite", "bookworm", "--include", "iputils-ping,xz-utils,sqlite3"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1800)
    if p.returncode != 0:
        # debootstrap needs Debian's archive: without it there is nothing to test here.
        shutil.rmtree(root, ignore_errors=True)
        raise unittest.SkipTest("sperrips rootfs failed (%d): %s" % (p.returncode,
                                p.stdout.decode(errors="replace").strip().splitlines()[-1:]))
    return root


def copy_root(src, dst):
    """A private copy of a root to change (cp -a keeps links and modes)."""
    subprocess.run(["cp", "-a", src, dst], check=True)
    return dst


def tree(path):
    """{relative path: (kind, mode, size, content digest or link target or rdev)}
    for everything below `path`, without following links."""
    out = {}
    for top, dirs, files in os.walk(path):
        for name in dirs + files:
            full = os.path.join(top, name)
            rel = os.path.relpath(full, path)
            st = os.lstat(full)
            if os.path.islink(full):
                out[rel] = ("link", os.readlink(full))
            elif os.path.isdir(full):
                out[rel] = ("dir", st.st_mode)
            elif os.path.isfile(full):
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    h.update(f.read())
                out[rel] = ("file", st.st_mode, st.st_size, h.hexdigest())
            else:
                out[rel] = ("other", st.st_mode, st.st_rdev)
    return out


def mountinfo():
    """The host's mounts, as sets of (mount point, source, type)."""
    with open("/proc/self/mountinfo") as f:
        rows = set()
        for line in f:
            left, right = line.split(" - ", 1)
            rows.add((left.split()[4], right.split()[1], right.split()[0]))
        return rows


def why_no_container():
    """None if containers can run here, else the reason to skip."""
    why = why_no_busybox_root()
    if why:
        return why
    with open("/proc/filesystems") as f:
        if "overlay" not in f.read() and not os.path.isdir("/lib/modules/%s/kernel/fs/overlayfs" % os.uname().release):
            return "no overlayfs in this kernel"
    if os.geteuid() != 0:
        p = subprocess.run(["unshare", "-U", "-r", "true"], stderr=subprocess.DEVNULL)
        if p.returncode != 0:
            return "not root and no unprivileged user namespaces"
    return None


SKIP = why_no_container()


class ContainerCase(TmpTestCase):
    """Builds the root once; checks after every test that the host's mounts
    are as before and the lower layer is unchanged."""

    @classmethod
    def setUpClass(cls):
        if SKIP:
            raise unittest.SkipTest(SKIP)
        cls.root = busybox_root()
        cls.root_tree = tree(cls.root)

    def setUp(self):
        super().setUp()
        self.mounts = mountinfo()
        self.addCleanup(self.check_host_clean)

    def check_host_clean(self):
        self.assertEqual(mountinfo() - self.mounts, set(), "mounts left behind on the host")
        self.assertEqual(tree(self.root), self.root_tree, "the lower layer changed")

    def rec(self, argv, opts=(), root=None, out_name="r.bin", **kw):
        """Record argv in the container; stdout into TMP/out_name.out."""
        stdout = os.path.join(self.tmp, out_name + ".out")
        opts = ["--rootfs", root or self.root, "--stdout", stdout] + list(opts)
        env = dict(os.environ, TMPDIR=self.tmp)
        p, path = record(self.tmp, argv, opts, out_name=out_name, env=env, **kw)
        with open(stdout, "rb") if os.path.exists(stdout) else open(os.devnull, "rb") as f:
            out = f.read()
        return p, path, out

    def assertOk(self, p):
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))

    def leftovers(self):
        """sperrips' temporary folders left in TMPDIR (our self.tmp)."""
        return [n for n in os.listdir(self.tmp) if n.startswith("sperrips-")]


class TestContainerRecord(ContainerCase):
    def test_cat(self):
        p, path, out = self.rec(["/bin/cat", "/data/hello.txt"])
        self.assertOk(p)
        self.assertEqual(out, b"hello from the lower layer\n")
        meta = read_pb(path).metadata
        self.assertEqual(meta.container_root, self.root)
        self.assertFalse(meta.net_none)
        self.assertEqual(self.leftovers(), [], "temporary upper/work not removed")

    def test_echo_found_in_root_path(self):
        # No slash: looked up inside the root, not on the host.
        p, path, out = self.rec(["echo", "hello", "container"])
        self.assertOk(p)
        self.assertEqual(out, b"hello container\n")

    def test_hostname(self):
        p, path, out = self.rec(["hostname"])
        self.assertOk(p)
        self.assertEqual(out, b"sperrips\n")

    def test_pid_namespace(self):
        # PID 1 is sperrips' init; the program is its child, PID 2.
        p, path, out = self.rec(["/bin/sh", "-c", "echo $$ $PPID; cat /proc/1/comm; ls /proc | grep -c '^[0-9]'"])
        self.assertOk(p)
        pid, ppid, init, nprocs = out.split()
        self.assertEqual((pid, ppid, init), (b"2", b"1", b"sperrips-init"))
        self.assertLessEqual(int(nprocs), 4, "host processes visible in /proc")

    def test_minimal_dev_and_sys(self):
        p, path, out = self.rec(["/bin/sh", "-c", "echo x > /dev/null && head -c 4 /dev/zero | wc -c && ls /sys/kernel >/dev/null && echo ok"])
        self.assertOk(p)
        self.assertEqual(out.split(), [b"4", b"ok"])

    def test_workdir_inside(self):
        p, path, out = self.rec(["cat", "hello.txt"], ["--workdir", "/data"])
        self.assertOk(p)
        self.assertEqual(out, b"hello from the lower layer\n")

    def test_net_none(self):
        p, path, out = self.rec(["/bin/sh", "-c", "ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags"], ["--net=none"])
        self.assertOk(p)
        lines = out.decode().split()
        self.assertEqual(lines[0], "lo", "only loopback expected: %r" % lines)
        self.assertEqual(len(lines), 3, lines)
        self.assertTrue(int(lines[2], 16) & 1, "lo is not up")
        self.assertTrue(read_pb(path).metadata.net_none)

    def test_ping_net_none(self):
        p, path, out = self.rec(["/usr/bin/ping", "-c", "1", "127.0.0.1"], ["--net=none"])
        self.assertOk(p)
        self.assertIn(b"1 received", out)
        self.assertIn(b"(exited with 0)", p.stderr)

    def test_ping_host_network_without_net_raw(self):
        # Root inside a user namespace holds no CAP_NET_RAW on the host's
        # network: ping gets an ICMP datagram socket only where
        # net.ipv4.ping_group_range admits gid 0, else nothing.
        with open("/proc/sys/net/ipv4/ping_group_range") as f:
            lo, hi = map(int, f.read().split())
        p, path, out = self.rec(["/usr/bin/ping", "-c", "1", "127.0.0.1"])
        self.assertOk(p)
        if lo <= 0 <= hi:
            self.assertIn(b"1 received", out)
        else:
            self.assertEqual(out, b"")
            self.assertIn(b"/usr/bin/ping: socktype: SOCK_RAW\n/usr/bin/ping: socket: Operation not permitted\n"
                          b"sperrips: recorded ", p.stderr)
            self.assertIn(b"(exited with 2)", p.stderr)

    def test_ping_net_raw(self):
        if os.geteuid() != 0:
            self.skipTest("--net-raw needs root")
        p, path, out = self.rec(["/usr/bin/ping", "-c", "1", "127.0.0.1"], ["--net-raw"])
        self.assertOk(p)
        self.assertIn(b"1 packets transmitted, 1 received", out)

    def test_capabilities_inside(self):
        # Root inside, mapped to the caller; no capability at all unless
        # asked for; no new privileges; --net=none: CAP_NET_RAW of its own
        # network; --net-raw: CAP_NET_RAW alone, without a user namespace.
        cmd = ["/bin/sh", "-c", "grep -E '^(CapBnd|CapEff|CapAmb|NoNewPrivs)' /proc/self/status; cat /proc/self/uid_map"]
        p, path, out = self.rec(cmd)
        self.assertOk(p)
        self.assertEqual(out.decode().split(), ["CapEff:", "0000000000000000", "CapBnd:", "0000000000000000",
                                                "CapAmb:", "0000000000000000", "NoNewPrivs:", "1",
                                                "0", str(os.geteuid()), "1"])
        p, path, out = self.rec(cmd, ["--net=none"], out_name="none.bin")
        self.assertOk(p)
        self.assertEqual(out.decode().split(), ["CapEff:", "0000000000002000", "CapBnd:", "0000000000002000",
                                                "CapAmb:", "0000000000000000", "NoNewPrivs:", "1",
                                                "0", str(os.geteuid()), "1"])
        if os.geteuid() == 0:
            p, path, out = self.rec(cmd, ["--net-raw"], out_name="raw.bin")
            self.assertOk(p)
            self.assertEqual(out.decode().split(), ["CapEff:", "0000000000002000", "CapBnd:", "0000000000002000",
                                                    "CapAmb:", "0000000000000000", "NoNewPrivs:", "1",
                                                    "0", "0", "4294967295"])

    def test_upper_holds_exactly_the_changes(self):
        upper, work = os.path.join(self.tmp, "up"), os.path.join(self.tmp, "wk")
        script = "echo new > /data/new.txt; echo more >> /data/hello.txt; rm /etc/hosts; mkdir /made; cat /data/new.txt"
        p, path, out = self.rec(["/bin/sh", "-c", script], ["--upper", upper, "--work", work])
        self.assertOk(p)
        self.assertEqual(out, b"new\n")
        t = tree(upper)
        self.assertEqual(sorted(t), ["data", "data/hello.txt", "data/new.txt", "etc", "etc/hosts", "made"])
        with open(os.path.join(upper, "data", "new.txt"), "rb") as f:
            self.assertEqual(f.read(), b"new\n")
        with open(os.path.join(upper, "data", "hello.txt"), "rb") as f:
            self.assertEqual(f.read(), b"hello from the lower layer\nmore\n")
        kind, mode, rdev = t["etc/hosts"]
        self.assertEqual((kind, rdev), ("other", 0), "etc/hosts should be a whiteout")
        self.assertEqual(self.leftovers(), [])

    def test_read_only_run_changes_nothing(self):
        upper, work = os.path.join(self.tmp, "up"), os.path.join(self.tmp, "wk")
        p, path, out = self.rec(["/bin/cat", "/data/hello.txt", "/etc/passwd"], ["--upper", upper, "--work", work])
        self.assertOk(p)
        self.assertEqual(tree(upper), {})

    def test_keep_upper(self):
        p, path, out = self.rec(["/bin/sh", "-c", "echo kept > /tmp/kept.txt"], ["--keep-upper"])
        self.assertOk(p)
        err = p.stderr.decode()
        self.assertIn("upper layer kept at ", err)
        upper = err.split("upper layer kept at ", 1)[1].split()[0]
        self.assertTrue(upper.startswith(self.tmp), upper)
        with open(os.path.join(upper, "tmp", "kept.txt"), "rb") as f:
            self.assertEqual(f.read(), b"kept\n")
        # Only the upper layer is kept, not work or the mount point.
        self.assertEqual(sorted(os.listdir(os.path.dirname(upper))), ["upper"])

    def test_interrupted_run_leaves_nothing(self):
        stdout = os.path.join(self.tmp, "out")
        env = dict(os.environ, TMPDIR=self.tmp)
        proc = subprocess.Popen([SPERRIPS, "record", "-o", os.path.join(self.tmp, "r.bin"), "--rootfs", self.root,
                                 "--stdout", stdout, "--", "/bin/sh", "-c", "echo started; exec sleep 30"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (os.path.exists(stdout) and os.path.getsize(stdout)):
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 128 + signal.SIGINT, err)
        self.assertEqual(self.leftovers(), [])

    def test_second_run_sees_first_runs_upper(self):
        upper, work = os.path.join(self.tmp, "up"), os.path.join(self.tmp, "wk")
        opts = ["--upper", upper, "--work", work]
        p, _, _ = self.rec(["/bin/sh", "-c", "echo one > /data/state"], opts, out_name="a.bin")
        self.assertOk(p)
        p, _, out = self.rec(["/bin/cat", "/data/state"], opts, out_name="b.bin")
        self.assertOk(p)
        self.assertEqual(out, b"one\n")


class TestContainerErrors(ContainerCase):
    """Bad input: one line naming the path, the right exit status, nothing
    mounted or left behind (checked after each test)."""

    def expect(self, p, status, text):
        self.assertEqual(p.returncode, status, p.stderr.decode(errors="replace"))
        self.assertOneLineError(p, text)
        self.assertEqual(self.leftovers(), [])

    def test_lower_missing(self):
        missing = os.path.join(self.tmp, "nothing")
        p, path, _ = self.rec(["/bin/cat"], root=missing)
        self.expect(p, 2, "lower layer %s: No such file or directory" % missing)
        self.assertFalse(os.path.exists(path))

    def test_lower_not_a_directory(self):
        f = self.tmpfile("plain", b"x")
        p, _, _ = self.rec(["/bin/cat"], root=f)
        self.expect(p, 2, "lower layer %s: not a directory" % f)

    def test_root_without_proc(self):
        bare = os.path.join(self.tmp, "bare")
        os.mkdir(bare)
        p, _, _ = self.rec(["/bin/cat"], root=bare)
        self.expect(p, 2, "root %s has no /proc mount point" % bare)

    def test_upper_and_work_on_different_file_systems(self):
        if os.stat(self.tmp).st_dev == os.stat("/dev/shm").st_dev:
            self.skipTest("%s and /dev/shm are on the same file system" % self.tmp)
        upper = os.path.join(self.tmp, "up")
        work = "/dev/shm/sperrips-e2e-work-%d" % os.getpid()
        self.addCleanup(shutil.rmtree, work, True)
        p, _, _ = self.rec(["/bin/cat"], ["--upper", upper, "--work", work])
        self.expect(p, 2, "upper %s and work %s are on different file systems" % (upper, work))
        self.assertFalse(os.path.exists(work), "a work folder we created was left behind")

    def test_program_missing_inside_root(self):
        # /bin/bash exists on the host but not in the busybox root.
        self.assertFalse(os.path.exists(os.path.join(self.root, "bin", "bash")))
        p, path, _ = self.rec(["/bin/bash", "-c", "true"])
        self.expect(p, 4, "/bin/bash: no such file inside the container root %s" % self.root)
        self.assertFalse(os.path.exists(path))

    def test_program_not_found_in_root_path(self):
        p, _, _ = self.rec(["bash"])
        self.expect(p, 4, "bash: program not found inside the container root")

    def test_container_options_need_rootfs(self):
        p = run(["record", "-o", os.path.join(self.tmp, "r.bin"), "--upper", self.tmp, "--", "/bin/true"])
        self.expect(p, 2, "need --rootfs")

    def test_net_raw_with_net_none(self):
        p, _, _ = self.rec(["/bin/cat"], ["--net=none", "--net-raw"])
        self.expect(p, 2, "--net-raw is for the host's network; with --net=none the program has raw sockets")

    def test_only_net_none(self):
        p, _, _ = self.rec(["/bin/cat"], ["--net=host"])
        self.expect(p, 2, "--net=host: only --net=none is supported")

    def test_mount_point_missing_in_config(self):
        missing = os.path.join(self.tmp, "no-mount-point")
        cfg = {
            "recording": True, "command": "cat", "lax_policy": True,
            "commands": {"cat": {"args": ["/bin/cat", "/data/hello.txt"], "stdin": "", "is_hex": False}},
            "container": {"enable_container": True, "mount_point": missing, "ol_lowerdir": self.root,
                          "ol_upperdir": os.path.join(self.tmp, "up"), "ol_workdir": os.path.join(self.tmp, "wk")},
            "workdir": "/", "stdout_file": os.path.join(self.tmp, "out"), "stderr_file": os.path.join(self.tmp, "out"),
            "verbosity": 0,
        }
        path = self.tmpfile("config.json", json.dumps(cfg).encode())
        p = run(["--recording", "-c", path], cwd=self.tmp)
        self.expect(p, 2, "mount point %s: No such file or directory" % missing)


class TestContainerConfig(ContainerCase):
    """The prototype's config.json with enable_container: the files go into
    `workdir` inside the upper layer, printed as host paths."""

    def config(self, recording):
        up = os.path.join(self.tmp, "up")
        cfg = {
            "recording": recording, "command": "cat", "lax_policy": True,
            "commands": {"cat": {"args": ["/bin/cat", "/data/hello.txt"], "stdin": "", "is_hex": False}},
            "container": {"enable_container": True, "mount_point": self.tmp, "ol_lowerdir": self.root,
                          "ol_upperdir": up, "ol_workdir": os.path.join(self.tmp, "wk")},
            "workdir": "/work", "stdout_file": os.path.join(self.tmp, "out"),
            "stderr_file": os.path.join(self.tmp, "out"), "verbosity": 0,
        }
        return self.tmpfile("config.json", json.dumps(cfg).encode()), up

    def test_recording_in_upper(self):
        path, up = self.config(True)
        p = run(["--recording", "-c", path], cwd=self.tmp)
        self.assertOk(p)
        rec = os.path.join(up, "work", "recording.bin")
        self.assertEqual(p.stdout.decode().strip(), rec)
        self.assertEqual(read_pb(rec).metadata.container_root, self.root)
        with open(os.path.join(self.tmp, "out"), "rb") as f:
            self.assertEqual(f.read(), b"hello from the lower layer\n")


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

# The prototype's four container jobs, and what each prints.
JOBS = {
    "cat": (["/bin/cat", "/data/hello.txt"], b"hello from the lower layer\n"),
    "echo": (["/bin/echo", "hello", "container"], b"hello container\n"),
    "hostname": (["/bin/hostname"], b"sperrips\n"),
    # One packet: on loopback a raw socket also receives ping's own echo
    # requests, and whether a MSG_DONTWAIT recvmsg between two packets
    # finds one is timing, which replay counts as a difference.
    "ping": (["/usr/bin/ping", "-c", "1", "127.0.0.1"], None),
}


def ping_group_admits(gid):
    """Does net.ipv4.ping_group_range give `gid` an ICMP datagram socket?"""
    with open("/proc/sys/net/ipv4/ping_group_range") as f:
        lo, hi = map(int, f.read().split())
    return lo <= gid <= hi


class TestContainerConfigJobs(ContainerCase):
    """config.json's container jobs record and replay equivalent, root and
    unprivileged. config.json has no word for capabilities: its container
    keeps CAP_NET_RAW for ping on the host's network where root can give
    it, and runs without it for an ordinary user."""

    def run_job(self, name, recording, pre=()):
        cfg = {
            "recording": recording, "command": name, "lax_policy": True,
            "commands": {n: {"args": a, "stdin": "", "is_hex": False} for n, (a, _) in JOBS.items()},
            "container": {"enable_container": True, "mount_point": "", "ol_lowerdir": self.root,
                          "ol_upperdir": os.path.join(self.tmp, name, "up"),
                          "ol_workdir": os.path.join(self.tmp, name, "wk")},
            "workdir": "/work", "stdout_file": os.path.join(self.tmp, name, "out"),
            "stderr_file": os.path.join(self.tmp, name, "err"), "verbosity": 0,
        }
        os.makedirs(os.path.join(self.tmp, name), exist_ok=True)
        path = self.tmpfile(name + ".json", json.dumps(cfg).encode())
        if pre:
            os.chmod(self.tmp, 0o777)
            for top, dirs, files in os.walk(self.tmp):
                for n in dirs + files:
                    os.lchown(os.path.join(top, n), 65534, 65534)
        p = subprocess.run(list(pre) + [SPERRIPS, "--recording" if recording else "--replaying", "-c", path],
                           cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                           env=dict(os.environ, TMPDIR=self.tmp))
        with open(os.path.join(self.tmp, name, "out"), "rb") as f:
            return p, f.read()

    def jobs(self, pre=(), ping_works=True):
        for name, (argv, expect) in JOBS.items():
            with self.subTest(job=name):
                p, out = self.run_job(name, True, pre)
                self.assertOk(p)
                self.assertEqual(p.stdout.decode().strip(), os.path.join(self.tmp, name, "up", "work",
                                                                         "recording.bin"))
                self.assertIn(b"(exited with %d)" % (2 if name == "ping" and not ping_works else 0), p.stderr)
                if name == "ping" and ping_works:
                    self.assertIn(b"1 packets transmitted, 1 received", out)
                elif name == "ping":
                    with open(os.path.join(self.tmp, name, "err"), "rb") as f:
                        self.assertEqual(f.read(), b"/usr/bin/ping: socktype: SOCK_RAW\n"
                                         b"/usr/bin/ping: socket: Operation not permitted\n")
                else:
                    self.assertEqual(out, expect)
                p, out = self.run_job(name, False, pre)
                self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
                self.assertIn(b'replay of job "%s" (' % name.encode(), p.stderr)
                self.assertIn(b" recorded syscalls compared): equivalent", p.stderr)
        self.assertEqual(self.leftovers(), [])

    def test_root(self):
        if os.geteuid() != 0:
            self.skipTest("needs root")
        self.jobs()

    def test_nobody(self):
        if os.geteuid() != 0 or not shutil.which("setpriv") or \
                subprocess.run(NOBODY + ["unshare", "-U", "-r", "true"], stderr=subprocess.DEVNULL).returncode:
            self.skipTest("needs root, setpriv and user namespaces for nobody")
        # Without root no raw socket on the host's network: ping runs and
        # fails the same way on both sides, unless ping_group_range admits
        # nobody's group (mapped to 0 inside, 65534 outside).
        self.jobs(NOBODY, ping_works=ping_group_admits(65534))


class TestContainerUnprivileged(ContainerCase):
    """As an ordinary user (nobody): a user namespace maps it to root."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if os.geteuid() != 0 or not shutil.which("setpriv"):
            raise unittest.SkipTest("needs root and setpriv to become nobody")
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "unshare", "-U", "-r", "true"],
                           stderr=subprocess.DEVNULL)
        if p.returncode != 0:
            raise unittest.SkipTest("the kernel gives nobody no user namespace")
        for d in [SPERRIPS, cls.root]:
            while d != "/":
                if not os.stat(d).st_mode & 0o001:
                    raise unittest.SkipTest("%s is not accessible to nobody" % d)
                d = os.path.dirname(d)

    def nobody(self, argv, opts=()):
        os.chmod(self.tmp, 0o777)
        out = os.path.join(self.tmp, "out")
        env = dict(os.environ, TMPDIR=self.tmp)
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SPERRIPS, "record",
                            "-o", os.path.join(self.tmp, "r.bin"), "--rootfs", self.root, "--stdout", out]
                           + list(opts) + ["--"] + argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        with open(out, "rb") if os.path.exists(out) else open(os.devnull, "rb") as f:
            return p, f.read()

    def test_hostname_and_root_inside(self):
        p, out = self.nobody(["/bin/sh", "-c", "hostname; id -u; echo $$"])
        self.assertOk(p)
        self.assertEqual(out.split(), [b"sperrips", b"0", b"2"])
        self.assertEqual(self.leftovers(), [])

    def test_cat_and_net_none(self):
        p, out = self.nobody(["/bin/cat", "/data/hello.txt"], ["--net=none"])
        self.assertOk(p)
        self.assertEqual(out, b"hello from the lower layer\n")

    def test_net_raw_needs_root(self):
        p, out = self.nobody(["/bin/cat", "/data/hello.txt"], ["--net-raw"])
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stderr.decode(), "sperrips: --net-raw needs root: a raw socket on the host's network "
                         "needs CAP_NET_RAW on the host (--net=none gives the program a network of its own)\n")
        self.assertEqual(self.leftovers(), [])

    def test_upper_owned_by_caller(self):
        upper, work = os.path.join(self.tmp, "up"), os.path.join(self.tmp, "wk")
        # The layers belong to the caller: the host's root is not mapped.
        p, out = self.nobody(["/bin/cat", "/data/hello.txt"], ["--upper", upper, "--work", work])
        self.assertOk(p)
        self.assertEqual(os.stat(upper).st_uid, 65534)


@unittest.skipUnless(os.environ.get("SPERRIPS_SLOW") == "1", "set SPERRIPS_SLOW=1 for the debootstrap root")
class TestContainerDebootstrap(ContainerCase):
    """The prototype's setup: a Debian minbase root from `sperrips rootfs`."""

    @classmethod
    def setUpClass(cls):
        if SKIP:
            raise unittest.SkipTest(SKIP)
        if os.geteuid() != 0 or not shutil.which("debootstrap", path="/usr/sbin:/usr/bin:/sbin:/bin"):
            raise unittest.SkipTest("needs root and debootstrap")
        cls.root = debootstrap_root()
        cls.root_tree = tree(cls.root)

    def test_jobs(self):
        for argv, expect in [(["/bin/cat", "/etc/debian_version"], None), (["/bin/echo", "hi"], b"hi\n"),
                             (["/bin/hostname"], b"sperrips\n"), (["/usr/bin/ping", "-c", "2", "127.0.0.1"], None)]:
            with self.subTest(argv=argv):
                # ping on the host's network: a raw socket needs --net-raw.
                opts = ["--net-raw"] if "ping" in argv[0] else []
                p, path, out = self.rec(argv, opts, out_name=os.path.basename(argv[0]) + ".bin")
                self.assertOk(p)
                self.assertIn(b"(exited with 0)", p.stderr)
                if expect is not None:
                    self.assertEqual(out, expect)
                if "ping" in argv[0]:
                    self.assertIn(b"2 packets transmitted, 2 received", out)


if __name__ == "__main__":
    unittest.main()
