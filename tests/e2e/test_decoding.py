"""Issue 11: `show` decodes each argument strace-style. Two tracees with
exactly known calls (tests/tracees/narrow.c: truncated integer arguments,
partial reads, named constants, an interrupted nanosleep; families.c: one
call or two of each family that used to be untyped) and the exact lines
`show` prints for them. Pointers, descriptors, pids and kernel-assigned
numbers are the only parts matched by pattern: {ADDR}, {N}."""
import os
import re
import subprocess

from helpers import TmpTestCase, record, show_json, show_text, tracee

PLACEHOLDERS = {
    "{ADDR}": r"0x[0-9a-f]+",
    "{N}": r"-?[0-9]+",
    # a call that may be refused on another kernel or without privileges
    "{RET}": r"(-?[0-9]+|-1 E[A-Z0-9]+ \([^)]*\))",
    # io_uring features beyond the first two: the running kernel's
    "{FEAT}": r"[A-Za-z0-9_|]+",
}


def pattern(line):
    parts = re.split(r"(\{ADDR\}|\{N\}|\{RET\}|\{FEAT\})", line)
    return re.compile("".join(PLACEHOLDERS.get(p, re.escape(p)) for p in parts) + "$")


def check_lines(test, got, expected):
    """Each expected line, in order, among the lines `show` printed."""
    at = 0
    for want in expected:
        rx = pattern(want)
        for i in range(at, len(got)):
            if rx.match(got[i]):
                at = i + 1
                break
        else:
            near = [g for g in got if g.split("(")[0] == want.split("(")[0]]
            test.fail("no line like\n  %s\nafter line %d; lines of that syscall:\n  %s" %
                      (want, at, "\n  ".join(near) or "(none)"))


NARROW = [
    'memfd_create("narrow", MFD_CLOEXEC) = {N}',
    'inotify_init1(IN_CLOEXEC) = {N}',
    'mkdir("/nonexistent/narrow", 0755) = -1 ENOENT (No such file or directory)',
    'socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = {N}',
    'setsockopt({N}, SOL_SOCKET, SO_REUSEADDR, {ADDR}, 3) = -1 EINVAL (Invalid argument)',
    'connect({N}, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
    'chdir({ADDR}) = -1 EFAULT (Bad address)',
    'nanosleep({ADDR}, NULL) = -1 EFAULT (Bad address)',
    'epoll_create1(EPOLL_CLOEXEC) = {N}',
    'pipe2([{N}, {N}], O_NONBLOCK|O_CLOEXEC) = 0',
    'epoll_ctl({N}, EPOLL_CTL_ADD, {N}, {events=EPOLLIN|EPOLLET, data={u32=7, u64=7}}) = 0',
    'dup3({N}, 100, O_CLOEXEC) = 100',
    'timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = {N}',
    'msync({ADDR}, 4096, MS_SYNC) = 0',
    'openat(AT_FDCWD, "/nonexistent/narrow", O_RDWR|O_CREAT|O_SYNC, 0600) = -1 ENOENT (No such file or directory)',
    'openat(AT_FDCWD, "/nonexistent", O_RDWR|O_TMPFILE, 0600) = -1 ENOENT (No such file or directory)',
    'prctl(PR_SET_NAME, "narrow") = 0',
    'nanosleep({tv_sec=30, tv_nsec=0}, {tv_sec={N}, tv_nsec={N}}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
    'wait4({N}, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = {N}',
]

FAMILIES = [
    'add_key("user", "sperrips:test", "payload", 7, KEY_SPEC_PROCESS_KEYRING) = {RET}',
    'keyctl(KEYCTL_READ, {N}, "payload", 16) = 7',
    'keyctl(KEYCTL_REVOKE, {N}) = 0',
    'request_key("user", "sperrips:none", NULL, KEY_SPEC_PROCESS_KEYRING) = -1 ENOKEY (Required key not available)',
    'fanotify_init(FAN_CLASS_NOTIF|FAN_CLOEXEC, O_RDONLY) = {RET}',
    'fanotify_mark({N}, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "{DIR}") = {RET}',
    'io_uring_setup(4, {flags=0, sq_thread_cpu=0, sq_thread_idle=0, sq_entries=4, cq_entries=8, '
    'features=IORING_FEAT_SINGLE_MMAP|IORING_FEAT_NODROP|{FEAT}, sq_off={head=0, tail=4, ring_mask=16, '
    'ring_entries=24, flags=36, dropped=32, array={N}}, cq_off={head=8, tail=12, ring_mask=20, ring_entries=28, '
    'overflow=44, cqes=64, flags=40}}) = {N}',
    'io_uring_register({N}, IORING_REGISTER_PROBE, NULL, 0) = -1 EINVAL (Invalid argument)',
    'landlock_create_ruleset({handled_access_fs=LANDLOCK_ACCESS_FS_READ_FILE}, 8, 0) = {RET}',
    'landlock_add_rule({N}, LANDLOCK_RULE_PATH_BENEATH, {allowed_access=LANDLOCK_ACCESS_FS_READ_FILE, parent_fd=-1}, 0) '
    '= -1 EBADF (Bad file descriptor)',
    'setxattrat(AT_FDCWD, "{DIR}", 0, "user.sperrips", {value={ADDR}, size=1, flags=0}, 16) = {RET}',
    'getxattrat(AT_FDCWD, "{DIR}", 0, "user.sperrips", {value={ADDR}, size=8, flags=0}, 16) = {RET}',
    'listxattrat(AT_FDCWD, "/nonexistent", 0, {ADDR}, 64) = -1 ENOENT (No such file or directory)',
    'removexattrat(AT_FDCWD, "{DIR}", 0, "user.sperrips") = {RET}',
    'futex_wake({ADDR}, 0xffffffff, 1, FUTEX2_SIZE_U32|FUTEX2_PRIVATE) = 0',
    'futex_wait({ADDR}, 0x1, 0xffffffff, FUTEX2_SIZE_U32|FUTEX2_PRIVATE, NULL, CLOCK_MONOTONIC) = '
    '-1 EAGAIN (Resource temporarily unavailable)',
    'listmount({size=24, spare=0, mnt_id=18446744073709551615, param=0}, [{N}, {N}, {N}, {N}], 4, 0) = 4',
    'statmount({size=24, spare=0, mnt_id={N}, param=1}, {size=512, mnt_opts=0, mask=1, sb_dev_major={N}, '
    'sb_dev_minor={N}, sb_magic={N}, sb_flags={N}, fs_type=0, mnt_id=0, mnt_parent_id=0, mnt_id_old=0, '
    'mnt_parent_id_old=0, mnt_attr=0, mnt_propagation=0, mnt_peer_group=0, mnt_master=0, propagate_from=0, '
    'mnt_root=0, mnt_point=0, mnt_ns_id=0}, 4096, 0) = 0',
    'set_mempolicy(MPOL_DEFAULT, NULL, 0) = 0',
    'get_mempolicy([MPOL_DEFAULT], NULL, 0, NULL, 0) = 0',
    'mbind({ADDR}, 4096, MPOL_BIND, [1], 64, 0) = {RET}',
    'pkey_alloc(0, PKEY_DISABLE_WRITE) = {RET}',
    'pkey_free({N}) = {RET}',
    'perf_event_open({type=PERF_TYPE_SOFTWARE, size=128, config=1, sample_period=0, sample_type=0, read_format=0, flags=1, '
    'wakeup_events=0, bp_type=0, config1=0, config2=0, branch_sample_type=0, sample_regs_user=0, '
    'sample_stack_user=0, clockid=0, sample_regs_intr=0, aux_watermark=0, sample_max_stack=0, '
    'aux_sample_size=0, sig_data=0}, 0, -1, -1, PERF_FLAG_FD_CLOEXEC) = {RET}',
    'bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_ARRAY, key_size=4, value_size=8, max_entries=2, map_flags=0, '
    'inner_map_fd=0, map_name="", map_ifindex=0, btf_fd=0, btf_key_type_id=0, btf_value_type_id=0, '
    'btf_vmlinux_value_type_id=0, map_extra=0}, 72) = {RET}',
]


class Decoding(TmpTestCase):
    def lines(self, argv):
        p, path = record(self.tmp, argv, stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        got, _ = show_text(path)
        return [g for g in got if not g.startswith("#")], path

    def test_narrow_arguments_and_named_constants(self):
        got, path = self.lines([tracee("narrow")])
        check_lines(self, got, NARROW)
        # What was captured, not only how it is shown.
        _, events, _ = show_json(path)
        by = {}
        for e in events:
            by.setdefault(e["name"], []).append(e)
        self.assertEqual(by["memfd_create"][0]["entry"][1]["value"], 1)   # MFD_CLOEXEC, not 0xfacefeed00000001
        self.assertEqual(by["mkdir"][0]["entry"][1]["value"], 0o755)
        opt = by["setsockopt"][0]["entry"][3]
        self.assertEqual(opt["hex"], "010000")                           # 3 bytes, as optlen says
        self.assertEqual(by["connect"][0]["entry"][2]["value"], 16)
        self.assertEqual(len(by["connect"][0]["entry"][1]["hex"]), 32)   # 16 bytes, not 0xfacefeed00000010
        self.assertTrue(by["chdir"][0]["entry"][0].get("unreadable"))    # the path runs into an unmapped page
        rem = [e for e in by["nanosleep"] if e["retval"] == -516][0]
        self.assertEqual(len(rem["exit"][1]["hex"]), 32)                 # the time left was captured

    def test_families(self):
        d = os.path.join(self.tmp, "dir")
        os.mkdir(d)
        got, _ = self.lines([tracee("families"), d])
        check_lines(self, got, [line.replace("{DIR}", d) for line in FAMILIES])
        for g in got:
            self.assertFalse(g.startswith("syscall_"), g)

    def test_i386_calls_are_not_decoded_as_x86_64(self):
        got, path = self.lines([tracee("i386")])
        i386 = [g for g in got if g.startswith("syscall_i386_")]
        self.assertEqual(len(i386), 2, got)
        self.assertRegex(i386[0], r"^syscall_i386_20\((0x[0-9a-f]+|0)(, (0x[0-9a-f]+|0)){5}\) = [0-9]+$")
        self.assertRegex(i386[1], r"^syscall_i386_4\(0x1, 0x[0-9a-f]+, 0x5(, (0x[0-9a-f]+|0)){3}\) = 5$")
        self.assertFalse([g for g in got if g.startswith(("stat(", "write(1, \"i386"))], got)
        _, events, _ = show_json(path)
        odd = [e for e in events if e.get("abi") == "i386"]
        self.assertEqual([e["nr"] & 0x7fffffff for e in odd], [20, 4])
        for e in odd:
            self.assertTrue(all(a["type"] == "RAW" for a in e["entry"]))
