#include "verify/policy.h"

#include <fnmatch.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "syscalls/table.h"
#include "base/util.h"

#define R POLICY_RET
#define ANY POLICY_ANY

/* Benign nondeterminism, replayed by default. Everything else must match:
 * file contents, paths, readlink results, execve targets, mapped bytes. */
static const struct policy_rule builtin[] = {
	{ "getrandom", 0, "buffer", PC_ACCEPT, "random bytes", 0 },
	{ "clock_gettime", 1, "*", PC_ACCEPT, "clock values", 0 },
	{ "gettimeofday", 0, "*", PC_ACCEPT, "clock values", 0 },
	{ "gettimeofday", 1, "*", PC_ACCEPT, "clock values", 0 },
	{ "time", R, "value", PC_ACCEPT, "clock values", 0 },
	{ "time", 0, "*", PC_ACCEPT, "clock values", 0 },
	{ "times", R, "value", PC_ACCEPT, "clock values", 0 },
	{ "times", 0, "*", PC_ACCEPT, "clock values", 0 },
	{ "clock_nanosleep", 3, "*", PC_ACCEPT, "clock values", 0 },
	{ "nanosleep", 1, "*", PC_ACCEPT, "clock values", 0 },
	{ "getitimer", 1, "*", PC_ACCEPT, "clock values", 0 },
	/* Time the kernel writes back: what is left of a timeout or a timer. */
	{ "select", 4, "*", PC_ACCEPT, "clock values", 0 },
	{ "pselect6", 4, "*", PC_ACCEPT, "clock values", 0 },
	{ "ppoll", 2, "*", PC_ACCEPT, "clock values", 0 },
	{ "timer_gettime", 1, "*", PC_ACCEPT, "clock values", 0 },
	{ "timer_settime", 3, "*", PC_ACCEPT, "clock values", 0 },
	{ "timerfd_settime", 3, "*", PC_ACCEPT, "clock values", 0 },
	{ "setitimer", 2, "*", PC_ACCEPT, "clock values", 0 },
	{ "timerfd_gettime", 1, "*", PC_ACCEPT, "clock values", 0 },
	{ "getpid", R, "value", PC_ACCEPT, "pids", 0 },
	{ "gettid", R, "value", PC_ACCEPT, "pids", 0 },
	{ "getppid", R, "value", PC_ACCEPT, "pids", 0 },
	{ "getpgrp", R, "value", PC_ACCEPT, "pids", 0 },
	{ "getpgid", R, "value", PC_ACCEPT, "pids", 0 },
	{ "getsid", R, "value", PC_ACCEPT, "pids", 0 },
	{ "set_tid_address", R, "value", PC_ACCEPT, "pids", 0 },
	{ "fork", R, "value", PC_ACCEPT, "pids", 0 },
	{ "vfork", R, "value", PC_ACCEPT, "pids", 0 },
	{ "clone", R, "value", PC_ACCEPT, "pids", 0 },
	{ "clone3", R, "value", PC_ACCEPT, "pids", 0 },
	{ "wait4", R, "value", PC_ACCEPT, "pids", 0 },
	{ "wait4", 3, "*", PC_ACCEPT, "resource usage", 0 },
	{ "getrusage", 1, "*", PC_ACCEPT, "resource usage", 0 },
	{ "*", ANY, "st_dev", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "st_ino", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "st_atime", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "st_atime_nsec", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "st_mtime", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "st_mtime_nsec", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "st_ctime", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "st_ctime_nsec", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_ino", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_dev_major", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_dev_minor", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_mnt_id", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_atime", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_btime", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_ctime", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "stx_mtime", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "getsockname", 1, "sin_port", PC_ACCEPT, "local ports", 0 },
	{ "*", ANY, "ip_id", PC_ACCEPT, "packet identifiers", 0 },
	{ "*", ANY, "ip_sum", PC_ACCEPT, "packet identifiers", 0 },
	{ "*", ANY, "cmsg_timestamp", PC_ACCEPT, "clock values", 0 },
	{ "sysinfo", 0, "uptime", PC_ACCEPT, "system state", 0 },
	{ "sysinfo", 0, "loads", PC_ACCEPT, "system state", 0 },
	{ "sysinfo", 0, "freeram", PC_ACCEPT, "system state", 0 },
	{ "sysinfo", 0, "sharedram", PC_ACCEPT, "system state", 0 },
	{ "sysinfo", 0, "bufferram", PC_ACCEPT, "system state", 0 },
	{ "sysinfo", 0, "freeswap", PC_ACCEPT, "system state", 0 },
	{ "sysinfo", 0, "freehigh", PC_ACCEPT, "system state", 0 },
	{ "sysinfo", 0, "procs", PC_ACCEPT, "system state", 0 },
	/* A file's blocks are its allocation on disk, not its contents (whose
	 * size and bytes are compared): delayed allocation and preallocation
	 * make a file written just before (xz's input, by seq) report more or
	 * fewer of them from one run to the next. */
	{ "*", ANY, "st_blocks", PC_ACCEPT, "block allocation", 0 },
	{ "*", ANY, "stx_blocks", PC_ACCEPT, "block allocation", 0 },
	/* Free space and free inodes: every file written anywhere changes them. */
	{ "*", ANY, "f_bfree", PC_ACCEPT, "system state", 0 },
	{ "*", ANY, "f_bavail", PC_ACCEPT, "system state", 0 },
	{ "*", ANY, "f_ffree", PC_ACCEPT, "system state", 0 },
	{ "*", ANY, "f_fsid", PC_ACCEPT, "inode numbers and timestamps", 0 },
	/* A directory's size, blocks and links, and where an entry sits in it,
	 * follow the file system's history (entries added and removed), like st_ino;
	 * the names and types in it are compared (compare.c). */
	{ "*", ANY, "dir_st_size", PC_ACCEPT, "directory sizes", 0 },
	{ "*", ANY, "dir_st_blocks", PC_ACCEPT, "directory sizes", 0 },
	{ "*", ANY, "dir_stx_size", PC_ACCEPT, "directory sizes", 0 },
	{ "*", ANY, "dir_stx_blocks", PC_ACCEPT, "directory sizes", 0 },
	{ "*", ANY, "dir_st_nlink", PC_ACCEPT, "directory sizes", 0 },
	{ "*", ANY, "dir_stx_nlink", PC_ACCEPT, "directory sizes", 0 },
	{ "*", ANY, "d_ino", PC_ACCEPT, "inode numbers and timestamps", 0 },
	{ "*", ANY, "dirent_order", PC_ACCEPT, "directory order", 0 },
	/* F_GETLK: the pid holding the lock. */
	{ "fcntl", ANY, "l_pid", PC_ACCEPT, "pids", 0 },
	{ "uname", 0, "*", PC_ACCEPT, "uname", RF_UNAME_DIFFERENT },
	/* Which CPU the pinned tracee got is the tracer's choice, not the program's. */
	{ "sched_getaffinity", 2, "buffer", PC_ACCEPT, "CPU affinity", 0 },
	{ "getcpu", ANY, "*", PC_ACCEPT, "CPU numbers", 0 },
};

/* A name or "*". Looked up for every difference replay finds, against
 * every rule: the first byte settles most rules without a strcmp. */
static bool match_name(const char *pattern, const char *name)
{
	if (pattern[0] == '*' && !pattern[1])
		return true;
	return pattern[0] == name[0] && !strcmp(pattern, name);
}

static bool match_rule(const struct policy_rule *r, const char *name, int arg, const char *field)
{
	return (r->arg == ANY || r->arg == arg) && match_name(r->syscall, name) && match_name(r->field, field);
}

const struct policy_rule *policy_lookup_user(const struct policy *p, const char *name, int arg, const char *field)
{
	for (size_t i = 0; p && i < p->n_rules; i++)
		if (match_rule(&p->rules[i], name, arg, field))
			return &p->rules[i];
	return NULL;
}

const struct policy_rule *policy_lookup(const struct policy *p, const char *name, int arg, const char *field)
{
	const struct policy_rule *r = policy_lookup_user(p, name, arg, field);
	if (r)
		return r;
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (match_rule(&builtin[i], name, arg, field))
			return &builtin[i];
	return NULL;
}

const struct policy_rule *policy_source_rule(int source)
{
	static const struct policy_rule random = { "*", ANY, "*", PC_ACCEPT, "random bytes", 0 };
	static const struct policy_rule state = { "*", ANY, "*", PC_ACCEPT, "system state", 0 };
	static const struct policy_rule mounts = { "*", ANY, "*", PC_ACCEPT, "mount ids and folders", 0 };
	if (source == PS_RANDOM)
		return &random;
	if (source == PS_SYSTEM_STATE)
		return &state;
	if (source == PS_MOUNTS)
		return &mounts;
	return NULL;
}

const struct policy_rule *policy_chunking_rule(void)
{
	static const struct policy_rule chunks = { "*", ANY, "*", PC_ACCEPT, "pipe chunking", 0 };
	return &chunks;
}

/* Files of /proc and /sys that show the machine's live state: counters of
 * memory, load, time, scheduling, I/O and the pids in them. Configuration
 * (sysctl values, mounts, version) and what a process is (exe, cmdline,
 * maps, environ, auxv) are not here: they must match. */
static const char *const system_state_paths[] = {
	"/proc", "/proc/meminfo", "/proc/loadavg", "/proc/stat", "/proc/uptime", "/proc/vmstat",
	"/proc/zoneinfo", "/proc/buddyinfo", "/proc/pagetypeinfo", "/proc/slabinfo", "/proc/diskstats",
	"/proc/interrupts", "/proc/softirqs", "/proc/schedstat", "/proc/cpuinfo", "/proc/locks",
	"/proc/pressure/*", "/proc/net/dev", "/proc/net/snmp", "/proc/net/snmp6", "/proc/net/netstat",
	"/proc/net/sockstat", "/proc/net/sockstat6", "/proc/sys/fs/file-nr", "/proc/sys/fs/inode-nr",
	"/proc/sys/fs/dentry-state", "/proc/sys/kernel/random/entropy_avail", "/proc/sys/kernel/random/uuid",
	"/proc/sys/kernel/random/boot_id",
	"/proc/[0-9]*/stat", "/proc/[0-9]*/statm", "/proc/[0-9]*/status", "/proc/[0-9]*/io",
	"/proc/[0-9]*/schedstat", "/proc/[0-9]*/sched",
	"/proc/[0-9]*/task/[0-9]*/stat", "/proc/[0-9]*/task/[0-9]*/statm", "/proc/[0-9]*/task/[0-9]*/status",
	"/proc/[0-9]*/task/[0-9]*/io", "/proc/[0-9]*/task/[0-9]*/schedstat", "/proc/[0-9]*/task/[0-9]*/sched",
	"/sys/fs/cgroup/*.stat", "/sys/fs/cgroup/*/*.stat", "/sys/fs/cgroup/*/*/*.stat",
	"/sys/fs/cgroup/*.current", "/sys/fs/cgroup/*/*.current", "/sys/fs/cgroup/*/*/*.current",
	"/sys/fs/cgroup/*.pressure", "/sys/fs/cgroup/*/*.pressure", "/sys/fs/cgroup/*/*/*.pressure",
	"/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_cur_freq", "/sys/devices/system/node/node[0-9]*/meminfo",
	"/sys/devices/system/node/node[0-9]*/numastat", "/sys/devices/system/node/node[0-9]*/vmstat",
	"/sys/class/net/*/statistics/*", "/sys/block/*/stat", "/sys/class/thermal/*/temp",
	"/sys/class/power_supply/*/*",
};

/* Mount tables: under --rootfs they name the overlay's lower, upper and
 * work folders, host paths that differ from run to run (a fresh upper
 * folder each time) and from machine to machine. */
static const char *const mount_table_paths[] = {
	"/proc/[0-9]*/mounts", "/proc/[0-9]*/mountinfo", "/proc/[0-9]*/task/[0-9]*/mounts",
	"/proc/[0-9]*/task/[0-9]*/mountinfo",
};

static bool match_any(const char *const *patterns, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(patterns[i], path, FNM_PATHNAME) == 0)
			return true;
	return false;
}

int policy_path_source(const char *path)
{
	if (match_any(system_state_paths, sizeof(system_state_paths) / sizeof(system_state_paths[0]), path))
		return PS_SYSTEM_STATE;
	if (match_any(mount_table_paths, sizeof(mount_table_paths) / sizeof(mount_table_paths[0]), path))
		return PS_MOUNTS;
	return PS_NONE;
}

static int parse_class(const char *s)
{
	if (!strcmp(s, "must") || !strcmp(s, "must_match"))
		return PC_MUST;
	if (!strcmp(s, "accept") || !strcmp(s, "acceptable") || !strcmp(s, "replay"))
		return PC_ACCEPT;
	if (!strcmp(s, "ignore"))
		return PC_IGNORE;
	return -1;
}

/* {"mode": "lax"|"strict", "rules": [{"syscall": "read", "arg": 2 | "ret" | "*",
 *   "field": "buffer", "class": "accept"|"must"|"ignore", "label": "..."}]} */
static int load_file(struct policy *p, const char *path, char *err, size_t errlen)
{
	json_object *root = json_object_from_file(path);
	if (!root) {
		/* our words, not json-c's ("json_tokener_parse_ex failed ...") */
		if (access(path, R_OK) < 0)
			snprintf(err, errlen, "policy %s: %s", path, strerror(errno));
		else
			snprintf(err, errlen, "policy %s: not valid JSON", path);
		return -1;
	}
	p->owned = root;
	json_object *v;
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "policy %s: must be a JSON object", path);
		return -1;
	}
	if (json_object_object_get_ex(root, "mode", &v)) {
		const char *m = json_object_get_string(v);
		if (!json_object_is_type(v, json_type_string) || (strcmp(m, "lax") && strcmp(m, "strict"))) {
			snprintf(err, errlen, "policy %s: \"mode\" must be \"lax\" or \"strict\"", path);
			return -1;
		}
		p->strict = !strcmp(m, "strict");
	}
	if (!json_object_object_get_ex(root, "rules", &v))
		return 0;
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(err, errlen, "policy %s: \"rules\" must be an array", path);
		return -1;
	}
	size_t n = json_object_array_length(v);
	p->rules = xcalloc(n, sizeof(*p->rules));
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(v, i), *x;
		struct policy_rule *rule = &p->rules[i];
		if (!json_object_is_type(r, json_type_object)) {
			snprintf(err, errlen, "policy %s: rules[%zu] must be an object", path, i);
			return -1;
		}
		rule->syscall = "*";
		rule->arg = ANY;
		rule->field = "*";
		rule->label = "policy file";
		if (json_object_object_get_ex(r, "syscall", &x)) {
			rule->syscall = json_object_get_string(x);
			if (strcmp(rule->syscall, "*") && sc_number(rule->syscall) < 0) {
				snprintf(err, errlen, "policy %s: rules[%zu]: unknown syscall \"%s\"", path, i, rule->syscall);
				return -1;
			}
		}
		if (json_object_object_get_ex(r, "arg", &x)) {
			/* 1-based as in the verdict ("argument 2" is read's buffer). */
			if (json_object_is_type(x, json_type_int) && json_object_get_int(x) >= 1 &&
			    json_object_get_int(x) <= 6) {
				rule->arg = (uint8_t)(json_object_get_int(x) - 1);
			} else if (json_object_is_type(x, json_type_string) && !strcmp(json_object_get_string(x), "ret")) {
				rule->arg = R;
			} else if (json_object_is_type(x, json_type_string) && !strcmp(json_object_get_string(x), "*")) {
				rule->arg = ANY;
			} else {
				snprintf(err, errlen, "policy %s: rules[%zu]: \"arg\" must be 1 to 6, \"ret\" or \"*\"", path, i);
				return -1;
			}
		}
		if (json_object_object_get_ex(r, "field", &x))
			rule->field = json_object_get_string(x);
		if (json_object_object_get_ex(r, "label", &x))
			rule->label = json_object_get_string(x);
		int k = json_object_object_get_ex(r, "class", &x) ? parse_class(json_object_get_string(x)) : -1;
		if (k < 0) {
			snprintf(err, errlen, "policy %s: rules[%zu]: \"class\" must be \"must\", \"accept\" or \"ignore\"", path, i);
			return -1;
		}
		rule->klass = (uint8_t)k;
		p->n_rules++;
	}
	return 0;
}

int policy_load(struct policy *p, const char *spec, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	if (!spec || !strcmp(spec, "lax"))
		return 0;
	if (!strcmp(spec, "strict")) {
		p->strict = true;
		return 0;
	}
	if (load_file(p, spec, err, errlen) < 0) {
		str_one_line(err); /* it quotes names from the file */
		policy_free(p);
		return -1;
	}
	return 0;
}

void policy_free(struct policy *p)
{
	free(p->rules);
	if (p->owned)
		json_object_put(p->owned);
	memset(p, 0, sizeof(*p));
}

const char *policy_flag_names(uint32_t flags, char *buf, size_t len)
{
	static const char *const names[] = {
		"FAILED_PARSING_RECFILE", "COMPARING_DIFFERENT_JOBS", "POTENTIAL_MEMORY_CORRUPTION",
		"DIFFERENT_SYSCALLS_ENCOUNTERED", "WRONG_POINTER", "UNEXPECTED_MEMORY_CONTENT",
		"UNEXPECTED_ARGUMENT", "UNEXPECTED_ARGUMENT_VALUE", "UNKNOWN_PARAMETER_TYPE",
		"ERROR_WRITING_TO_CHILD", "WRONG_INTEGER", "STAT_DIFFERS", "UNIMPLEMENTED_SYSCALL",
		"UNDEFINED_SYSTEM_STATE", "UNAME_DIFFERENT",
	};
	size_t at = 0;
	buf[0] = 0;
	if (!flags) {
		snprintf(buf, len, "CORRECT");
		return buf;
	}
	for (int i = 0; i < 15; i++)
		if (flags & (1u << i))
			at += (size_t)snprintf(buf + (at < len ? at : len), at < len ? len - at : 0, "%s%s",
					       at ? "|" : "", names[i]);
	return buf;
}
