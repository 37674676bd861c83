"""Values handed back to the kernel (issue 11, issue 9 item 4): a program
that gives the kernel back an identifier or a time replay wrote into it
replays equivalent, again and again, and none hangs; a tampered input is
still DIFFERENT. The tracees are tests/tracees/handback.c and deadline.c."""
import os
import re
import subprocess
import time

from helpers import TmpTestCase, record, run, tracee

PAYLOAD = b"hello-payload\n"
TAMPERED = b"HELLO-payload\n"
RUNS = 5
TIMEOUT = 30   # seconds for one replay: a hang fails the test, it does not stop it


def read(path):
    with open(path, "rb") as f:
        return f.read()


class HandBack(TmpTestCase):
    """handback MODE FILE: an identifier the kernel gave, handed back to it."""

    def record_mode(self, mode):
        data = self.tmpfile("data", PAYLOAD)
        out = os.path.join(self.tmp, "recorded.out")
        p, rec = record(self.tmp, [tracee("handback"), mode, data], ["--stdout", out, "--stderr", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b": " + PAYLOAD, read(out))
        return data, rec, read(out)

    def replay(self, rec, n):
        out = os.path.join(self.tmp, "replayed%d.out" % n)
        p = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d%d.bin" % n), "--stdout", out,
                 "--stderr", "/dev/null"], timeout=TIMEOUT)
        verdict = [line for line in p.stderr.decode().splitlines() if "replay of job" in line]
        self.assertEqual(len(verdict), 1, p.stderr)
        return p, verdict[0], read(out) if os.path.exists(out) else None

    def check(self, mode, labels):
        data, rec, printed = self.record_mode(mode)
        for n in range(RUNS):
            p, verdict, out = self.replay(rec, n)
            self.assertEqual(p.returncode, 0, "run %d: %s" % (n, p.stderr.decode()))
            self.assertIn(": equivalent: ", verdict)
            for label in labels:
                self.assertRegex(verdict, r"(\(|, )%s \d+" % label)
            self.assertEqual(out, printed)
        # Tampered: the bytes moved through the object are not the recorded ones.
        with open(data, "wb") as f:
            f.write(TAMPERED)
        p, verdict, out = self.replay(rec, RUNS)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(": DIFFERENT: ", verdict)
        self.assertRegex(p.stderr.decode(), r'#\d+ read\(3</\S*/data>, \.\.\.\) buffer differs at byte 0: '
                                            r'"hello-payload\\n" vs "HELLO-payload\\n" \[UNEXPECTED_MEMORY_CONTENT\]')

    def test_own_pid(self):
        """sched_*, getpriority, kill, tgkill, prlimit64, getpgid, getsid,
        ioprio_get, kcmp, F_SETOWN(_EX), rt_sigqueueinfo, waitid, process_vm_readv."""
        self.check("pid", ["pids"])

    def test_pidfd(self):
        self.check("pidfd", ["pids"])

    def test_ipc_id(self):
        self.check("ipc", ["IPC ids"])

    def test_key_serial(self):
        self.check("key", ["key serials"])

    def test_timer_id(self):
        self.check("timer", [])

    def test_socket_inode(self):
        self.check("inode", ["socket inodes"])

    def test_file_handle(self):
        self.check("handle", [])

    def test_file_handle_of_a_new_file(self):
        """A new inode each run: another handle (translated once the
        row of name_to_handle_at captures it; today the program keeps its own)."""
        self.check("handle-new", [])

    def test_credentials(self):
        """SO_PEERCRED's pid, and SCM_CREDENTIALS with its own pid handed
        back through sendmsg (ESRCH, then a recvmsg waiting for ever, if not
        translated)."""
        self.check("cred", ["pids"])

    def test_own_socket_address(self):
        """getsockname's port written back, then sendto/connect to it: the
        port is translated, or recvfrom would wait for ever."""
        self.check("sockaddr", ["local ports"])

    def test_recorded_port_mapping_shows_in_differences(self):
        data, rec, printed = self.record_mode("sockaddr")
        p, verdict, out = self.replay(rec, 0)
        self.assertEqual(p.returncode, 0, p.stderr)
        # getsockname, recvfrom and recvmsg each see the replay's own port.
        self.assertRegex(verdict, r"local ports 3\b")


class Deadline(TmpTestCase):
    """deadline MODE: an absolute deadline computed from a replayed clock
    value is moved to this run's clock; without that the wait ends at once
    and the pipe the child writes to after 100 ms is still empty."""

    def check(self, mode, runs):
        rec_out = os.path.join(self.tmp, "recorded.out")
        p, rec = record(self.tmp, [tracee("deadline"), mode], ["--stdout", rec_out, "--stderr", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(read(rec_out), b"ready 1\n")
        time.sleep(0.5)  # the recorded deadline (400 ms ahead) is now past
        for n in range(runs):
            out = os.path.join(self.tmp, "replayed.out")
            r = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", out,
                     "--stderr", "/dev/null"], timeout=TIMEOUT)
            self.assertEqual(r.returncode, 0, "run %d: %s" % (n, r.stderr.decode()))
            self.assertRegex(r.stderr.decode(), r": equivalent: .*clock values \d+")
            self.assertEqual(read(out), b"ready 1\n")

    def test_clock_nanosleep_abstime(self):
        self.check("nanosleep", 2)

    def test_futex_wait_bitset_monotonic(self):
        self.check("futex", RUNS)

    def test_futex_wait_bitset_realtime(self):
        self.check("futex-rt", 2)

    def test_timerfd_abstime(self):
        self.check("timerfd", 2)

    def test_ppoll_time_left_is_a_clock_value(self):
        self.check("ppoll", 2)


class PartialStruct(TmpTestCase):
    """A struct read only in part shows the bytes compared, not 0 vs 0."""

    def test_clock_settime_cut_at_page_end(self):
        src = self.tmpfile("cut.c", b"""
#define _GNU_SOURCE
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
int main(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p + 4096, 4096);
	char *ts = p + 4096 - 12;   /* tv_sec and the low half of tv_nsec */
	memset(ts, 0, 12);
	memcpy(ts + 8, (void *)getauxval(AT_RANDOM), 4);  /* differs from run to run */
	return syscall(SYS_clock_settime, CLOCK_REALTIME, ts) == -1 ? 0 : 1;
}
""")
        exe = os.path.join(self.tmp, "cut")
        subprocess.run(["cc", "-o", exe, src], check=True)
        p, rec = record(self.tmp, [exe], ["--stdout", "/dev/null", "--stderr", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        r = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", "/dev/null",
                 "--stderr", "/dev/null"], timeout=TIMEOUT)
        line = [x for x in r.stderr.decode().splitlines() if "clock_settime" in x]
        self.assertEqual(len(line), 1, r.stderr)
        m = re.search(r"tv_nsec differs: (\d+) vs (\d+) \(4 vs 4 of its 8 bytes readable\)", line[0])
        self.assertIsNotNone(m, line[0])
        self.assertNotEqual(m.group(1), m.group(2))
