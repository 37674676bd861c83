/* families: one or two calls of each syscall family issue 11 found untyped,
 * made with raw syscall() and fixed arguments so that `show` can be checked
 * line by line: keys, fanotify, io_uring setup/register, landlock, the
 * *xattrat calls, futex2, statmount/listmount, mempolicy, pkeys,
 * perf_event_open with a software event and bpf with a trivial map. Each
 * call may fail (an old kernel, no permission): the line shows it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/landlock.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Newer than Debian bookworm's headers (Linux 6.1). */
#define NR_futex_wake 454
#define NR_futex_wait 455
#define NR_statmount 457
#define NR_listmount 458
#define NR_setxattrat 463
#define NR_getxattrat 464
#define NR_listxattrat 465
#define NR_removexattrat 466

struct xattr_args {
	uint64_t value;
	uint32_t size, flags;
};

struct mnt_id_req {
	uint32_t size, spare;
	uint64_t mnt_id, param;
};

static uint32_t futex_word;
static char statbuf[4096];
static uint64_t mnt_ids[4];

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	/* keys */
	long key = syscall(SYS_add_key, "user", "sperrips:test", "payload", 7, -2 /* KEY_SPEC_PROCESS_KEYRING */);
	char kbuf[16];
	syscall(SYS_keyctl, 11 /* KEYCTL_READ */, key, kbuf, sizeof(kbuf));
	syscall(SYS_keyctl, 3 /* KEYCTL_REVOKE */, key);
	syscall(SYS_request_key, "user", "sperrips:none", NULL, -2);
	/* fanotify */
	long fan = syscall(SYS_fanotify_init, 1 /* FAN_CLOEXEC */, O_RDONLY);
	syscall(SYS_fanotify_mark, fan, 1 /* FAN_MARK_ADD */, 0x20ull /* FAN_OPEN */, AT_FDCWD, dir);
	/* io_uring */
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	long ring = syscall(SYS_io_uring_setup, 4, &p);
	syscall(SYS_io_uring_register, ring, 8 /* IORING_REGISTER_PROBE */, NULL, 0);
	/* landlock */
	struct landlock_ruleset_attr ra = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
	long rs = syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	struct landlock_path_beneath_attr pb = { .allowed_access = LANDLOCK_ACCESS_FS_READ_FILE, .parent_fd = -1 };
	syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	/* xattrat */
	struct xattr_args xa = { .value = (uintptr_t)"v", .size = 1, .flags = 0 };
	syscall(NR_setxattrat, AT_FDCWD, dir, 0, "user.sperrips", &xa, sizeof(xa));
	char xbuf[8];
	struct xattr_args xg = { .value = (uintptr_t)xbuf, .size = sizeof(xbuf), .flags = 0 };
	syscall(NR_getxattrat, AT_FDCWD, dir, 0, "user.sperrips", &xg, sizeof(xg));
	char lbuf[64];
	syscall(NR_listxattrat, AT_FDCWD, "/nonexistent", 0, lbuf, sizeof(lbuf));
	syscall(NR_removexattrat, AT_FDCWD, dir, 0, "user.sperrips");
	/* futex2 */
	syscall(NR_futex_wake, &futex_word, 0xffffffffull, 1, 2 | 128 /* FUTEX2_SIZE_U32|FUTEX2_PRIVATE */);
	syscall(NR_futex_wait, &futex_word, 1, 0xffffffffull, 2 | 128, NULL, 1 /* CLOCK_MONOTONIC */);
	/* statmount / listmount of the root mount (LSMT_ROOT) */
	struct mnt_id_req req = { .size = sizeof(req), .mnt_id = 0xffffffffffffffffull, .param = 0 };
	syscall(NR_listmount, &req, mnt_ids, 4, 0);
	struct mnt_id_req sreq = { .size = sizeof(sreq), .mnt_id = mnt_ids[0], .param = 1 /* STATMOUNT_SB_BASIC */ };
	syscall(NR_statmount, &sreq, statbuf, sizeof(statbuf), 0);
	/* mempolicy */
	unsigned long nodes = 1;
	syscall(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 0);
	int mode = -1;
	syscall(SYS_get_mempolicy, &mode, NULL, 0, NULL, 0);
	syscall(SYS_mbind, statbuf, 4096, 2 /* MPOL_BIND */, &nodes, 64, 0);
	/* pkeys */
	long pkey = syscall(SYS_pkey_alloc, 0, 2 /* PKEY_DISABLE_WRITE */);
	syscall(SYS_pkey_free, pkey);
	/* perf_event_open: a software event on ourselves */
	struct perf_event_attr pe;
	memset(&pe, 0, sizeof(pe));
	pe.type = PERF_TYPE_SOFTWARE;
	pe.size = sizeof(pe);
	pe.config = PERF_COUNT_SW_TASK_CLOCK;
	pe.disabled = 1;
	syscall(SYS_perf_event_open, &pe, 0, -1, -1, 8 /* PERF_FLAG_FD_CLOEXEC */);
	/* bpf: a trivial array map */
	union bpf_attr ba;
	memset(&ba, 0, sizeof(ba));
	ba.map_type = BPF_MAP_TYPE_ARRAY;
	ba.key_size = 4;
	ba.value_size = 8;
	ba.max_entries = 2;
	syscall(SYS_bpf, BPF_MAP_CREATE, &ba, 72);
	return 0;
}
