"""The container as a sandbox (issue 8): the probe set of
tests/tracees/sandbox_probe.c fails inside --rootfs as root, as root with
--seccomp, with --net-raw and as an ordinary user (nobody), each probe with
the exact errno expected, with the tracer's controlling terminal as the
program's stderr; afterwards the host process lives and the lower layer is
unchanged. Capabilities only on request (--cap), the tracee dies with its
tracer, a killed tracer's temporary folders go at the next start, and
setuid programs that lose their privileges are named."""
import fcntl
import os
import shutil
import signal
import subprocess
import termios
import time
import unittest

from helpers import SPERRIPS, pid_alive, tracee
from test_container import ContainerCase

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def nobody_ok():
    """Root, setpriv, and a kernel that gives nobody a user namespace."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return False
    return subprocess.run(NOBODY + ["unshare", "-U", "-r", "true"], stderr=subprocess.DEVNULL).returncode == 0


def expected(caps="0000000000000000", seccomp=False, nobody=False):
    """The probe's lines, in order.

    mknod of a block device, mount and remounts: EPERM, no CAP_MKNOD or
    CAP_SYS_ADMIN (and no block device in a user namespace anyway); umount
    of /proc: EPERM likewise. /proc is a read-only proc instance of its
    own, so its superblock refuses any write first (EROFS). /sys: where root
    inside is the host's uid 0 (the caller is root) the owner check passes
    and the read-only mount refuses (EROFS); for nobody the files' owner is
    not mapped (EACCES). TIOCSTI on the caller's terminal: EPERM, it is no
    longer the program's controlling terminal (own session); no /dev/tty in
    the minimal /dev. (A kernel without CONFIG_MAGIC_SYSRQ has no
    /proc/sysrq-trigger: ENOENT.) Host paths do not exist after pivot_root (ENOENT);
    the tracer's and the host process's pids do not exist in the PID
    namespace (ESRCH), but --seccomp refuses ptrace before any lookup
    (EPERM). keyctl works unless --seccomp. Nested: a user namespace of its
    own is allowed, but the mounts it copies are locked (umount EINVAL,
    remount EPERM), /proc stays read-only; --seccomp refuses the mount calls
    themselves (EPERM)."""
    sys_errno = "EACCES" if nobody else "EROFS"
    lines = [
        "CapEff:\t" + caps, "CapBnd:\t" + caps, "NoNewPrivs:\t1", "Seccomp:\t%d" % (2 if seccomp else 0),
        "mknod-block: EPERM", "mount-tmpfs: EPERM", "remount-root-rw: EPERM", "umount-proc: EPERM",
        "remount-sys-rw: EPERM", "write-sys: " + sys_errno, "write-proc-sys: EROFS",
        "write-sysrq-trigger: " + ("EROFS" if os.path.exists("/proc/sysrq-trigger") else "ENOENT"), "tiocsti: EPERM", "open-dev-tty: ENOENT", "read-host-file: ENOENT",
        "read-host-via-tracer: ENOENT", "write-lower-dir: ENOENT", "write-root-file: ok",
        "ptrace-tracer: " + ("EPERM" if seccomp else "ESRCH"), "kill-host-process: ESRCH",
        "keyctl: " + ("EPERM" if seccomp else "ok"), "nested-unshare: ok",
        "nested-umount-proc: " + ("EPERM" if seccomp else "EINVAL"), "nested-remount-sys-rw: EPERM",
        "nested-remount-proc-rw: EPERM", "nested-write-proc-sys: EROFS",
    ]
    return "".join(line + "\n" for line in lines)


class TestSandboxProbes(ContainerCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root (to be root, and to become nobody)")

    def probe(self, pre=(), opts=()):
        """Run the probe in the container, its stderr the tracer's
        controlling terminal; returns the probe's stdout."""
        os.chmod(self.tmp, 0o777)
        up, wk = os.path.join(self.tmp, "up"), os.path.join(self.tmp, "wk")
        os.makedirs(os.path.join(up, "probe"))
        os.mkdir(wk)
        shutil.copy(tracee("sandbox_probe"), os.path.join(up, "probe", "sandbox_probe"))
        secret = self.tmpfile("host-secret", b"host only\n")
        if pre:
            for d in (up, wk, os.path.join(up, "probe")):
                os.chown(d, 65534, 65534)
        victim = subprocess.Popen(["sleep", "60"])
        self.addCleanup(victim.wait)
        self.addCleanup(victim.kill)
        master, slave = os.openpty()
        self.addCleanup(os.close, master)

        def ctty():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        out = os.path.join(self.tmp, "out")
        # exec: the shell's $$ becomes the tracer's pid.
        cmd = list(pre) + ["/bin/sh", "-c", 'exec "$@" "$$" %d' % victim.pid, "sh", SPERRIPS, "record",
                           "-o", os.path.join(self.tmp, "r.bin"), "--stdout", out, "--rootfs", self.root,
                           "--upper", up, "--work", wk] + list(opts) + \
            ["--", "/probe/sandbox_probe", secret, self.root]
        p = subprocess.run(cmd, stdin=slave, stdout=subprocess.PIPE, stderr=slave, preexec_fn=ctty, timeout=60,
                           env=dict(os.environ, TMPDIR=self.tmp))
        os.close(slave)
        os.set_blocking(master, False)
        try:
            term = os.read(master, 65536).decode(errors="replace")
        except OSError:
            term = ""
        self.assertEqual(p.returncode, 0, term)
        self.assertIn("(exited with 0)", term)
        self.assertTrue(pid_alive(victim.pid), "the probe killed a host process")
        self.assertFalse(os.path.exists(os.path.join(self.root, "probe-escape")))
        self.assertFalse(os.path.exists(os.path.join(self.root, "probe-upper")))
        self.assertTrue(os.path.isfile(os.path.join(up, "probe-upper")))
        self.assertEqual(self.leftovers(), [])
        with open(out) as f:
            return f.read()

    def test_root(self):
        self.assertEqual(self.probe(), expected())

    def test_root_seccomp(self):
        self.assertEqual(self.probe(opts=["--seccomp"]), expected(seccomp=True))

    def test_root_net_none(self):
        # CAP_NET_RAW (bit 13) of the container's own network.
        self.assertEqual(self.probe(opts=["--net=none"]), expected(caps="0000000000002000"))

    def test_root_net_raw(self):
        # No user namespace: the host's root with CAP_NET_RAW alone.
        self.assertEqual(self.probe(opts=["--net-raw"]), expected(caps="0000000000002000"))

    @unittest.skipUnless(nobody_ok(), "needs root, setpriv and user namespaces for nobody")
    def test_nobody(self):
        self.assertEqual(self.probe(pre=NOBODY), expected(nobody=True))

    @unittest.skipUnless(nobody_ok(), "needs root, setpriv and user namespaces for nobody")
    def test_nobody_seccomp(self):
        self.assertEqual(self.probe(pre=NOBODY, opts=["--seccomp"]), expected(seccomp=True, nobody=True))


class TestSandboxCaps(ContainerCase):
    PING = ["/usr/bin/ping", "-c", "1", "127.0.0.1"]
    CAPS = ["/bin/sh", "-c", "grep -E '^Cap(Eff|Bnd)' /proc/self/status; cat /proc/self/uid_map"]

    def test_cap_net_raw_is_net_raw(self):
        if os.geteuid() != 0:
            self.skipTest("NET_RAW on the host's network needs root")
        for opts in (["--cap", "NET_RAW"], ["--cap", "cap_net_raw"], ["--net-raw"]):
            with self.subTest(opts=opts):
                p, path, out = self.rec(self.PING, opts)
                self.assertOk(p)
                self.assertIn(b"1 packets transmitted, 1 received", out)
                p, path, out = self.rec(self.CAPS, opts, out_name="caps.bin")
                self.assertOk(p)
                # The host's root (no user namespace) with CAP_NET_RAW alone.
                self.assertEqual(out.split(), [b"CapEff:", b"0000000000002000", b"CapBnd:", b"0000000000002000",
                                               b"0", b"0", b"4294967295"])

    def test_cap_in_user_namespace(self):
        # SYS_TIME (25) and KILL (5) of the container's user namespace:
        # what root inside holds, nothing of the host's.
        p, path, out = self.rec(self.CAPS, ["--cap", "SYS_TIME,kill"])
        self.assertOk(p)
        self.assertEqual(out.split(), [b"CapEff:", b"0000000002000020", b"CapBnd:", b"0000000002000020",
                                       b"0", str(os.geteuid()).encode(), b"1"])
        p, path, out = self.rec(["/bin/date", "-s", "@0"], ["--cap", "SYS_TIME"], out_name="date.bin")
        self.assertIn(b"Operation not permitted", p.stderr)
        self.assertGreater(time.time(), 1e9, "the container set the host's clock")

    def test_unknown_cap(self):
        p, path, out = self.rec(["/bin/true"], ["--cap", "NET_RAWX"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.decode(), 'sperrips: --cap NET_RAWX: unknown capability "NET_RAWX" (names as '
                         'in capabilities(7), e.g. NET_RAW) (see sperrips --help)\n')

    def test_other_caps_with_host_net_raw_refused(self):
        if os.geteuid() != 0:
            self.skipTest("NET_RAW on the host's network needs root")
        p, path, out = self.rec(["/bin/true"], ["--cap", "NET_RAW,SYS_ADMIN,kill"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.decode(), "sperrips: --cap KILL,SYS_ADMIN with NET_RAW on the host's network: the "
                         "program then runs without a user namespace, where every capability is the host's; only "
                         "NET_RAW can be given\n")
        self.assertEqual(self.leftovers(), [])

    @unittest.skipUnless(nobody_ok(), "needs root, setpriv and user namespaces for nobody")
    def test_nobody_cap_net_raw_refused(self):
        os.chmod(self.tmp, 0o777)
        p = subprocess.run(NOBODY + [SPERRIPS, "record", "-o", os.path.join(self.tmp, "r.bin"), "--rootfs",
                                     self.root, "--cap", "NET_RAW", "--"] + self.PING,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, TMPDIR=self.tmp))
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.decode(), "sperrips: --cap NET_RAW needs root: a raw socket on the host's network "
                         "needs CAP_NET_RAW on the host (--net=none gives the program a network of its own)\n")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "r.bin")))

    def test_seccomp_leaves_ordinary_work(self):
        p, path, out = self.rec(self.PING, ["--net=none", "--seccomp"])
        self.assertOk(p)
        self.assertIn(b"1 packets transmitted, 1 received", out)
        p, path, out = self.rec(["/bin/cat", "/data/hello.txt"], ["--seccomp"], out_name="cat.bin")
        self.assertOk(p)
        self.assertEqual(out, b"hello from the lower layer\n")


class TestSandboxTracerKilled(ContainerCase):
    def test_tracee_dies_and_tmp_cleaned_next_run(self):
        env = dict(os.environ, TMPDIR=self.tmp)
        p = subprocess.Popen([SPERRIPS, "record", "-o", os.path.join(self.tmp, "r.bin"), "--rootfs", self.root,
                              "--", "/bin/sh", "-c", "echo started; exec sleep 30"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.assertEqual(p.stdout.readline(), b"started\n")
        kids = subprocess.run(["pgrep", "-P", str(p.pid)], stdout=subprocess.PIPE).stdout.split()
        self.assertEqual(len(kids), 1)
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        deadline = time.monotonic() + 10
        while pid_alive(int(kids[0])) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(pid_alive(int(kids[0])), "the tracee outlived its tracer")
        stale = self.leftovers()
        self.assertEqual(stale, ["sperrips-%d-%s" % (p.pid, stale[0][-6:])])
        # Another's live folder and a non-matching name stay.
        live = os.path.join(self.tmp, "sperrips-%d-abcdef" % os.getpid())
        other = os.path.join(self.tmp, "sperrips-notapid")
        os.mkdir(live)
        os.mkdir(other)
        q, path, out = self.rec(["/bin/true"])
        self.assertOk(q)
        self.assertEqual(sorted(self.leftovers()), sorted([os.path.basename(live), os.path.basename(other)]))


class TestContainerInit(ContainerCase):
    """PID 1 is sperrips' init, the program its child: SIGTERM and SIGINT
    to PID 1 reach the program (a PID 1 without a handler would ignore
    them), and orphans are reaped."""

    def test_sigterm_to_pid1_reaches_program(self):
        p, path, out = self.rec(["/bin/sh", "-c", "kill -TERM 1; sleep 5; echo survived"])
        self.assertOk(p)
        self.assertEqual(out, b"")
        self.assertIn(b"syscalls of /bin/sh (killed by SIGTERM) into", p.stderr)

    def test_sigint_from_host_to_init_reaches_program(self):
        out = os.path.join(self.tmp, "out")
        p = subprocess.Popen([SPERRIPS, "record", "-o", os.path.join(self.tmp, "r.bin"), "--rootfs", self.root,
                              "--stdout", out, "--", "/bin/sh", "-c", "echo started; exec sleep 30"],
                             env=dict(os.environ, TMPDIR=self.tmp), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (os.path.exists(out) and os.path.getsize(out)):
            time.sleep(0.05)
        init = subprocess.run(["pgrep", "-P", str(p.pid)], stdout=subprocess.PIPE).stdout.split()
        self.assertEqual(len(init), 1)
        with open("/proc/%d/comm" % int(init[0])) as f:
            self.assertEqual(f.read(), "sperrips-init\n")
        os.kill(int(init[0]), signal.SIGINT)
        _, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 0, err)
        self.assertIn(b"syscalls of /bin/sh (killed by SIGINT) into", err)
        self.assertEqual(self.leftovers(), [])

    def test_orphan_reaped(self):
        up, wk = os.path.join(self.tmp, "up"), os.path.join(self.tmp, "wk")
        os.makedirs(os.path.join(up, "t"))
        shutil.copy(tracee("orphan"), os.path.join(up, "t", "orphan"))
        p, path, out = self.rec(["/t/orphan"], ["--upper", up, "--work", wk])
        self.assertOk(p)
        self.assertEqual(out, b"orphan: reaped\n")


class TestPrivilegedProgramNote(ContainerCase):
    def test_setuid_in_container_named(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to make a setuid file of another owner")
        up, wk = os.path.join(self.tmp, "up"), os.path.join(self.tmp, "wk")
        os.makedirs(os.path.join(up, "probe"))
        prog = os.path.join(up, "probe", "suid")
        shutil.copy("/bin/true", prog)
        os.chown(prog, 1000, 1000)
        os.chmod(prog, 0o4755)
        p, path, out = self.rec(["/probe/suid"], ["--upper", up, "--work", wk])
        self.assertOk(p)
        self.assertEqual(p.stderr.decode().splitlines()[0],
                         "sperrips: note: /probe/suid is a setuid program; traced, it runs without those privileges")
        # setuid root gives root inside nothing it lacks: no note.
        os.chown(prog, 0, 0)
        os.chmod(prog, 0o4755)
        p, path, out = self.rec(["/probe/suid"], ["--upper", up, "--work", wk], out_name="root.bin")
        self.assertOk(p)
        self.assertNotIn(b"note:", p.stderr)

    @unittest.skipUnless(nobody_ok(), "needs root and setpriv")
    def test_setuid_on_host_named_for_nobody(self):
        prog = os.path.join(self.tmp, "suid")
        shutil.copy("/bin/true", prog)
        os.chmod(prog, 0o4755)
        os.chmod(self.tmp, 0o777)
        p = subprocess.run(NOBODY + [SPERRIPS, "record", "-o", os.path.join(self.tmp, "r.bin"), "--", prog],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.decode().splitlines()[0],
                         "sperrips: note: %s is a setuid program; traced, it runs without those privileges" % prog)


if __name__ == "__main__":
    unittest.main()
