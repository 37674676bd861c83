/* Taking privileges away from the program in the container. The program
 * runs as root of its user namespace (or, for NET_RAW on the host's
 * network, as root of the host): what it may do is what its capability
 * sets hold, so they are cut down to what the job asked for. */
#include "sandbox/confine.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
	"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
	"LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
	"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
#define N_CAPS ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

const char *confine_cap_name(int bit)
{
	return bit >= 0 && bit < N_CAPS ? cap_names[bit] : NULL;
}

int confine_parse_caps(const char *list, uint64_t *mask, char *err, size_t errlen)
{
	const char *p = list;
	while (*p) {
		size_t whole = strcspn(p, ","), len = whole;
		const char *name = p;
		if (len > 4 && !strncasecmp(name, "CAP_", 4)) {
			name += 4;
			len -= 4;
		}
		int bit = -1;
		for (int i = 0; i < N_CAPS && bit < 0; i++)
			if (strlen(cap_names[i]) == len && !strncasecmp(cap_names[i], name, len))
				bit = i;
		if (bit < 0) {
			snprintf(err, errlen, "--cap %s: unknown capability \"%.*s\" (names as in capabilities(7), e.g. NET_RAW)",
				 list, (int)len, name);
			return -1;
		}
		*mask |= 1ULL << bit;
		p += whole + (p[whole] == ',');
	}
	return 0;
}

int confine_drop(uint64_t keep, char *err, size_t errlen)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (keep & (1ULL << cap))
			continue;
		/* EINVAL: past the kernel's last capability. */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
			snprintf(err, errlen, "cannot drop capability %d from the bounding set: %s", cap,
				 strerror(errno));
			return -1;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		snprintf(err, errlen, "cannot clear the ambient capabilities: %s", strerror(errno));
		return -1;
	}
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -1;
	}
	d[0].inheritable = d[1].inheritable = 0;
	if (syscall(SYS_capset, &h, d) < 0) {
		snprintf(err, errlen, "cannot clear the inheritable capabilities: %s", strerror(errno));
		return -1;
	}
	/* No setuid or file-capability program can give more back. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The denied syscalls, by number (x86_64). */
static const unsigned int denied[] = {
	SYS_mount, SYS_umount2, SYS_pivot_root, SYS_kexec_load, SYS_kexec_file_load, SYS_init_module,
	SYS_finit_module, SYS_delete_module, SYS_bpf, SYS_perf_event_open, SYS_keyctl, SYS_add_key,
	SYS_request_key, SYS_open_by_handle_at, SYS_name_to_handle_at,
#ifdef SYS_fsopen
	SYS_fsopen, SYS_fsmount, SYS_move_mount, SYS_open_tree, SYS_mount_setattr,
#endif
};
#define N_DENIED (sizeof(denied) / sizeof(denied[0]))

int confine_seccomp(char *err, size_t errlen)
{
	/* A plain classic-BPF program: arch check, a compare per denied
	 * number, ptrace allowed only for PTRACE_TRACEME (a child asking its
	 * own parent to trace it; attaching to others is denied). */
	struct sock_filter f[8 + 2 * N_DENIED + 8];
	size_t n = 0;
#define STMT(c, k) (f[n++] = (struct sock_filter)BPF_STMT(c, k))
#define JUMP(c, k, jt, jf) (f[n++] = (struct sock_filter)BPF_JUMP(c, k, jt, jf))
	STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	/* x32 syscalls carry bit 30 */
	JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	for (size_t i = 0; i < N_DENIED; i++) {
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, denied[i], 0, 1);
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	}
	JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ptrace, 0, 4);
	STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
	JUMP(BPF_JMP | BPF_JEQ | BPF_K, PTRACE_TRACEME, 0, 1);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
#undef STMT
#undef JUMP
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
		snprintf(err, errlen, "cannot install the seccomp filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}
