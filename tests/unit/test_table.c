/* The syscall table (src/syscalls/table.h): our own numbers and names,
 * checked against the running kernel (tracefs) and the build headers, typed
 * rows, exact argument shapes, length references in range. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <asm/unistd_64.h>

#include "syscalls/structs.h"
#include "syscalls/table.h"

/* Every __NR_ the compiler's <asm/unistd_64.h> defines, as (number, name),
 * read at run time through the preprocessor (the same headers the build saw). */
struct nr_name {
	uint32_t nr;
	char name[64];
};

static struct nr_name kernel_nrs[1024];
static size_t n_kernel_nrs;

static void load_kernel_nrs(void)
{
	if (n_kernel_nrs)
		return;
	const char *cc = getenv("CC");
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "echo '#include <asm/unistd_64.h>' | %s -E -dM -x c -", cc && *cc ? cc : "cc");
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[512];
	while (fgets(line, sizeof(line), p)) {
		char name[128];
		unsigned nr;
		char rest;
		if (sscanf(line, "#define __NR_%127s %u %c", name, &nr, &rest) == 2 &&
		    n_kernel_nrs < sizeof(kernel_nrs) / sizeof(kernel_nrs[0]) && strlen(name) < 64) {
			kernel_nrs[n_kernel_nrs].nr = nr;
			strcpy(kernel_nrs[n_kernel_nrs].name, name);
			n_kernel_nrs++;
		}
	}
	assert_int_equal(pclose(p), 0);
}

static void every_kernel_number_has_its_name(void **state)
{
	(void)state;
	load_kernel_nrs();
	size_t n = n_kernel_nrs;
	assert_true(n > 300);
	for (size_t i = 0; i < n; i++) {
		const char *got = sc_name(kernel_nrs[i].nr);
		if (!got || strcmp(got, kernel_nrs[i].name) != 0)
			fail_msg("sc_name(%u) = %s, the kernel calls it %s", kernel_nrs[i].nr,
				 got ? got : "NULL", kernel_nrs[i].name);
		assert_true(kernel_nrs[i].nr < sc_count());
	}
}

static void sc_number_round_trip(void **state)
{
	(void)state;
	load_kernel_nrs();
	size_t n = n_kernel_nrs;
	assert_true(n > 300);
	for (size_t i = 0; i < n; i++) {
		int nr = sc_number(kernel_nrs[i].name);
		if (nr != (int)kernel_nrs[i].nr)
			fail_msg("sc_number(\"%s\") = %d, expected %u", kernel_nrs[i].name, nr, kernel_nrs[i].nr);
		assert_string_equal(sc_name((uint32_t)nr), kernel_nrs[i].name);
	}
	/* Every name the table has maps back to its own number. */
	for (uint32_t nr = 0; nr < sc_count(); nr++) {
		const char *name = sc_name(nr);
		if (name)
			assert_int_equal(sc_number(name), (int)nr);
	}
	assert_int_equal(sc_number("no_such_syscall"), -1);
	assert_int_equal(sc_number(""), -1);
	assert_null(sc_name(100000));
}

static void well_known_numbers(void **state)
{
	(void)state;
	assert_string_equal(sc_name(__NR_read), "read");
	assert_string_equal(sc_name(__NR_openat), "openat");
	assert_string_equal(sc_name(__NR_getrandom), "getrandom");
	assert_string_equal(sc_name(0), "read");
	assert_string_equal(sc_name(1), "write");
	assert_string_equal(sc_name(257), "openat");
	assert_string_equal(sc_name(318), "getrandom");
	assert_string_equal(sc_name(332), "statx");
	assert_string_equal(sc_name(334), "rseq");
	assert_string_equal(sc_name(231), "exit_group");
	assert_int_equal(sc_number("clone3"), 435);
	assert_int_equal(sc_number("close_range"), 436);
	assert_int_equal(sc_number("openat2"), 437);
	assert_int_equal(sc_number("faccessat2"), 439);
}

/* Issue 2: every syscall the prototype handled ... */
static const char *const prototype_list[] = {
	"access", "arch_prctl", "brk", "capget", "capset", "chdir", "chmod", "clock_gettime",
	"close", "connect", "exit_group", "fadvise64", "fchdir", "fchmod", "fcntl", "fstat",
	"fsync", "ftruncate", "getcwd", "getegid", "geteuid", "getgid", "getpid", "getrandom",
	"getsockname", "getsockopt", "gettimeofday", "getuid", "getxattr", "ioctl", "kill",
	"lseek", "lstat", "mkdir", "mmap", "mprotect", "munmap", "nanosleep", "openat", "poll",
	"prctl", "pread64", "prlimit64", "read", "readlink", "recvmsg", "rmdir", "rt_sigaction",
	"rt_sigprocmask", "sendto", "set_robust_list", "set_tid_address", "setitimer",
	"setsockopt", "setuid", "setxattr", "socket", "stat", "statfs", "sysinfo", "time",
	"umask", "uname", "unlink", "wait4", "write",
};

/* ... and every one that bookworm's cat, echo, hostname, ls -l, ping -c 1,
 * python3 -c pass and busybox sh -c 'echo hi' make (strace -f, plus the
 * time calls that become real syscalls with the vDSO hidden), plus the
 * ones the issue names. */
static const char *const program_list[] = {
	/* named in the issue */
	"newfstatat", "statx", "rseq", "readv", "writev", "pwrite64", "getdents64", "dup", "dup2",
	"dup3", "pipe2", "futex", "clock_nanosleep", "sendmsg", "recvfrom", "bind", "execve",
	"close_range", "faccessat2", "openat2", "getppid", "gettid", "sched_getaffinity",
	/* seen with strace -f on this Debian bookworm */
	"lgetxattr", "copy_file_range", "rt_sigreturn", "exit", "getcpu", "clock_getres",
	"getdents", "sysinfo", "lseek", "getpgrp", "getpgid", "setpgid", "wait4", "clone",
	"clone3", "vfork", "fork", "sigaltstack", "madvise", "mremap", "gettid", "tgkill",
};

static void check_typed(const char *const *list, size_t n)
{
	char missing[2048] = "";
	for (size_t i = 0; i < n; i++) {
		int nr = sc_number(list[i]);
		if (nr < 0)
			fail_msg("the table does not know %s", list[i]);
		if (!sc_is_typed((uint32_t)nr)) {
			strncat(missing, " ", sizeof(missing) - strlen(missing) - 1);
			strncat(missing, list[i], sizeof(missing) - strlen(missing) - 1);
		}
		const struct sc_desc *d = sc_lookup((uint32_t)nr);
		assert_non_null(d);
		assert_string_equal(d->name, list[i]);
	}
	if (missing[0])
		fail_msg("untyped syscalls:%s", missing);
}

static void prototype_syscalls_are_typed(void **state)
{
	(void)state;
	check_typed(prototype_list, sizeof(prototype_list) / sizeof(prototype_list[0]));
}

static void program_syscalls_are_typed(void **state)
{
	(void)state;
	check_typed(program_list, sizeof(program_list) / sizeof(program_list[0]));
}

static const struct sc_desc *row(const char *name)
{
	int nr = sc_number(name);
	assert_true(nr >= 0);
	const struct sc_desc *d = sc_lookup((uint32_t)nr);
	assert_non_null(d);
	assert_true(d->flags & SC_TYPED);
	return d;
}

static void argument_shapes(void **state)
{
	(void)state;
	const struct sc_desc *d = row("read");
	assert_int_equal(d->nargs, 3);
	assert_int_equal(d->args[0].kind, K_INT);
	assert_int_equal(d->args[0].fmt, F_FD);
	assert_int_equal(d->args[1].kind, K_OUT_BUFFER);
	assert_int_equal(d->args[1].dir, D_OUT);
	assert_int_equal(d->args[1].size, S_RET);
	assert_int_equal(d->args[1].ref, 2); /* at most the count argument */
	assert_int_equal(d->args[2].kind, K_SIZE_T);

	d = row("write");
	assert_int_equal(d->nargs, 3);
	assert_int_equal(d->args[1].dir, D_IN);
	assert_int_equal(d->args[1].size, S_ARG);
	assert_int_equal(d->args[1].ref, 2);
	assert_int_equal(d->args[1].kind, K_VOID_PTR_FOLLOW);

	d = row("openat");
	assert_int_equal(d->nargs, 4);
	assert_int_equal(d->args[0].fmt, F_DIRFD);
	assert_int_equal(d->args[1].kind, K_CHAR_PTR);
	assert_int_equal(d->args[1].dir, D_IN);
	assert_int_equal(d->args[1].size, S_STR);
	assert_int_equal(d->args[2].fmt, F_OPEN_FLAGS);
	assert_int_equal(d->args[3].kind, K_MODE_T);
	assert_int_equal(d->ret_fmt, F_FD);

	d = row("getrandom");
	assert_int_equal(d->args[0].kind, K_OUT_BUFFER);
	assert_int_equal(d->args[0].dir, D_OUT);
	assert_int_equal(d->args[0].size, S_RET);
	assert_int_equal(d->args[0].ref, 1);

	d = row("clock_gettime");
	assert_int_equal(d->args[0].fmt, F_CLOCK);
	assert_int_equal(d->args[1].kind, K_STRUCT_TIMESPEC);
	assert_int_equal(d->args[1].dir, D_OUT);
	assert_int_equal(d->args[1].size, S_FIXED);
	assert_int_equal(d->args[1].n, 16);

	d = row("uname");
	assert_int_equal(d->args[0].kind, K_STRUCT_UTSNAME);
	assert_int_equal(d->args[0].dir, D_OUT);
	assert_int_equal(d->args[0].n, 390);

	d = row("fstat");
	assert_int_equal(d->args[1].kind, K_STRUCT_STAT);
	assert_int_equal(d->args[1].n, 144);

	d = row("mmap");
	assert_int_equal(d->nargs, 6);
	assert_true(d->flags & SC_RET_PTR);
	assert_true(d->flags & SC_RET_MAP);

	d = row("brk");
	assert_true(d->flags & SC_RET_PTR);
	assert_false(d->flags & SC_RET_MAP);

	d = row("exit_group");
	assert_true(d->flags & SC_NORETURN);
	d = row("exit");
	assert_true(d->flags & SC_NORETURN);
	d = row("execve");
	assert_true(d->flags & SC_EXEC);
	assert_int_equal(d->args[0].kind, K_CHAR_PTR);
	assert_int_equal(d->args[1].kind, K_STRING_ARRAY);
	assert_int_equal(d->args[2].kind, K_STRING_ARRAY);

	d = row("recvmsg");
	assert_int_equal(d->args[1].kind, K_STRUCT_MSGHDR);
	d = row("writev");
	assert_int_equal(d->args[1].kind, K_IOVEC_ARRAY);
	assert_int_equal(d->args[1].size, S_IOV);
	d = row("readv");
	assert_int_equal(d->args[1].size, S_IOV_RET);
}

static void variants(void **state)
{
	(void)state;
	uint64_t a[6] = { 3, 5 /* F_GETLK */, 0x1000, 0, 0, 0 };
	const struct sc_desc *d = sc_resolve((uint32_t)sc_number("fcntl"), a);
	assert_string_equal(d->name, "fcntl");
	assert_int_equal(d->args[2].kind, K_STRUCT_FLOCK);
	a[1] = 10; /* F_SETSIG: the generic row */
	d = sc_resolve((uint32_t)sc_number("fcntl"), a);
	assert_ptr_equal(d, sc_lookup((uint32_t)sc_number("fcntl")));
	uint64_t io[6] = { 1, 0x5401 /* TCGETS */, 0x1000, 0, 0, 0 };
	d = sc_resolve((uint32_t)sc_number("ioctl"), io);
	assert_int_equal(d->args[2].kind, K_STRUCT_TERMIOS);
	assert_int_equal(d->args[2].dir, D_OUT);
	uint64_t pr[6] = { 15 /* PR_SET_NAME */, 0x1000, 0, 0, 0, 0 };
	d = sc_resolve((uint32_t)sc_number("prctl"), pr);
	assert_int_equal(d->args[1].kind, K_CHAR_PTR);
}

static void untyped_numbers_get_raw_rows(void **state)
{
	(void)state;
	int seen_untyped = 0;
	for (uint32_t nr = 0; nr < 600; nr++) {
		const struct sc_desc *d = sc_lookup(nr);
		assert_non_null(d);
		assert_non_null(d->name);
		if (sc_is_typed(nr))
			continue;
		seen_untyped++;
		assert_false(d->flags & SC_TYPED);
		assert_int_equal(d->nargs, 6);
		for (int i = 0; i < 6; i++)
			assert_int_equal(d->args[i].kind, K_RAW);
		if (sc_name(nr))
			assert_string_equal(d->name, sc_name(nr));
		uint64_t a[6] = { 1, 2, 3, 4, 5, 6 };
		assert_non_null(sc_resolve(nr, a));
	}
	assert_true(seen_untyped > 0);
	/* A number with no name at all: syscall_NNN, never NULL. */
	const struct sc_desc *d = sc_lookup(400);
	if (!sc_name(400))
		assert_string_equal(d->name, "syscall_400");
	/* Far beyond the table (x32 bit, garbage). */
	d = sc_lookup(0x40000000u | 1);
	assert_non_null(d);
	assert_non_null(d->name);
	assert_int_equal(d->nargs, 6);
	d = sc_lookup(UINT32_MAX);
	assert_non_null(d);
	assert_int_equal(d->args[0].kind, K_RAW);
}

/* Where the running kernel lists its syscalls: one sys_enter_NAME event per
 * syscall. Mounted at /sys/kernel/tracing (privately) if it is not yet; NULL if tracefs
 * is not available (not root, no CONFIG_FTRACE_SYSCALLS). */
static const char *tracefs_syscalls(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing/events/syscalls",
		"/sys/kernel/debug/tracing/events/syscalls",
	};
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			struct stat st;
			if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
				return dirs[i];
		}
		/* in a mount namespace of this test's own, so that nothing is
		 * left mounted on the host (a container's /sys would show it) */
		if (pass == 0 && (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
				  mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0))
			break;
	}
	return NULL;
}

/* Done-when 1 of issue 11: every syscall the running kernel has is in our
 * table (by its kernel entry name: newstat is stat). */
static void table_knows_every_kernel_syscall(void **state)
{
	(void)state;
	const char *dir = tracefs_syscalls();
	if (!dir) {
		printf("SKIP: tracefs with syscall events is not available (%s); "
		       "cannot compare the table with the running kernel\n", strerror(errno));
		skip();
	}
	DIR *d = opendir(dir);
	assert_non_null(d);
	char missing[4096] = "";
	int seen = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "sys_enter_", 10) != 0)
			continue;
		seen++;
		const char *k = e->d_name + 10;
		if (sc_number_kernel(k) < 0) {
			strncat(missing, " ", sizeof(missing) - strlen(missing) - 1);
			strncat(missing, k, sizeof(missing) - strlen(missing) - 1);
		}
	}
	closedir(d);
	printf("tracefs %s: %d syscalls, all in the table%s\n", dir, seen, missing[0] ? " but some" : "");
	if (missing[0])
		fail_msg("the running kernel has syscalls the table lacks:%s", missing);
	assert_true(seen > 300);
}

/* The numbers of the syscalls after the build headers (Linux 6.1). */
static void newest_numbers(void **state)
{
	(void)state;
	static const struct { uint32_t nr; const char *name; } want[] = {
		{ 335, "uretprobe" }, { 336, "uprobe" }, { 451, "cachestat" }, { 452, "fchmodat2" },
		{ 453, "map_shadow_stack" }, { 454, "futex_wake" }, { 455, "futex_wait" },
		{ 456, "futex_requeue" }, { 457, "statmount" }, { 458, "listmount" },
		{ 459, "lsm_get_self_attr" }, { 460, "lsm_set_self_attr" }, { 461, "lsm_list_modules" },
		{ 462, "mseal" }, { 463, "setxattrat" }, { 464, "getxattrat" }, { 465, "listxattrat" },
		{ 466, "removexattrat" }, { 467, "open_tree_attr" }, { 468, "file_getattr" },
		{ 469, "file_setattr" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(sc_name(want[i].nr), want[i].name);
		assert_int_equal(sc_number(want[i].name), (int)want[i].nr);
	}
	/* The kernel's own entry names where they differ from strace's. */
	assert_int_equal(sc_number_kernel("newstat"), 4);
	assert_int_equal(sc_number_kernel("newuname"), 63);
	assert_int_equal(sc_number_kernel("sendfile64"), 40);
	assert_int_equal(sc_number_kernel("umount"), 166);
	assert_string_equal(sc_kernel_name(5), "newfstat");
	assert_string_equal(sc_kernel_name(0), "read");
	/* The x32 range is named as such, never as the x86_64 call. */
	assert_string_equal(sc_name(512), "x32_rt_sigaction");
	assert_string_equal(sc_name(547), "x32_pwritev2");
	assert_null(sc_kernel_name(512));
	assert_int_equal(sc_number("rt_sigaction"), 13);
	/* Numbers nobody has. */
	assert_null(sc_name(400));
	assert_null(sc_name(548));
}

/* An i386 call (int $0x80) keeps its own number space: never an x86_64 row. */
static void i386_calls_are_not_x86_64(void **state)
{
	(void)state;
	uint32_t nr = sc_nr_for_arch(0x40000003u /* AUDIT_ARCH_I386 */, 4 /* i386 write */);
	assert_int_equal(nr, SC_NR_I386 | 4);
	assert_null(sc_name(nr));
	const struct sc_desc *d = sc_lookup(nr);
	assert_string_equal(d->name, "syscall_i386");
	for (int i = 0; i < 6; i++)
		assert_int_equal(d->args[i].kind, K_RAW);
	assert_false(sc_is_typed(nr));
	assert_int_equal(sc_nr_for_arch(0xc000003eu /* AUDIT_ARCH_X86_64 */, 1), 1);
}

static bool is_scalar(const struct sc_arg *a)
{
	return a->dir == D_NONE && a->size == S_NONE;
}

/* Every length reference names another argument of the row, in range, that
 * is a plain number (or, for S_SOCKLEN, a socklen_t pointer). */
static void length_references_in_range(void **state)
{
	(void)state;
	char bad[4096] = "";
	for (uint32_t nr = 0; nr < sc_count(); nr++) {
		if (!sc_is_typed(nr))
			continue;
		const struct sc_desc *d = sc_lookup(nr);
		assert_true(d->nargs <= 6);
		for (int i = 0; i < d->nargs; i++) {
			const struct sc_arg *a = &d->args[i];
			const char *why = NULL;
			switch (a->size) {
			case S_ARG: case S_RET: case S_IOV: case S_IOV_RET: case S_ARG_PLUS: case S_RET_PLUS:
				if (a->ref >= d->nargs)
					why = "refers past the arguments";
				else if (a->ref == i)
					why = "refers to itself";
				else if (!is_scalar(&d->args[a->ref]))
					why = "refers to a pointer";
				break;
			case S_SOCKLEN:
				if (a->ref >= d->nargs || a->ref == i)
					why = "socklen reference out of range";
				else if (d->args[a->ref].kind != K_SOCKLEN_T_PTR)
					why = "socklen reference is not a socklen_t *";
				break;
			case S_FIXED:
				if (a->n == 0)
					why = "fixed size 0";
				break;
			}
			if (why) {
				char line[160];
				snprintf(line, sizeof(line), " %s arg %d: %s;", d->name, i + 1, why);
				strncat(bad, line, sizeof(bad) - strlen(bad) - 1);
			}
		}
	}
	if (bad[0])
		fail_msg("bad rows:%s", bad);
}

/* Integer arguments narrower than a register are what the kernel sees. */
static void narrow_arguments_truncated(void **state)
{
	(void)state;
	const struct sc_desc *d = row("mkdir");
	assert_int_equal(sc_arg_value(&d->args[1], 0xfffffffffffff1edull), 0170755);
	d = row("memfd_create");
	assert_int_equal(sc_arg_value(&d->args[1], 0xfacefeeddeadbeefull), 0xdeadbeef);
	d = row("setsockopt");
	assert_int_equal(sc_arg_length(&d->args[4], 0xdeadbeef00000004ull), 4);
	assert_int_equal(sc_arg_length(&d->args[4], 0x00000000ffffffffull), 0); /* -1 */
	d = row("write");
	assert_int_equal(sc_arg_length(&d->args[2], 0x100000000ull), 0x100000000ull); /* size_t */
	d = row("readv");
	assert_int_equal(sc_arg_length(&d->args[2], 0xffffffff00000002ull), 2);
}

/* Done-when 2: no syscall of the table is left with raw registers. */
static void every_syscall_is_typed(void **state)
{
	(void)state;
	char missing[4096] = "";
	int typed = 0;
	for (uint32_t nr = 0; nr < sc_count(); nr++) {
		const char *n = sc_name(nr);
		if (!n || !sc_kernel_name(nr)) /* gaps and the x32 range */
			continue;
		if (sc_is_typed(nr)) {
			typed++;
			const struct sc_desc *d = sc_lookup(nr);
			for (int i = 0; i < d->nargs; i++)
				if (d->args[i].kind == K_RAW)
					fail_msg("%s argument %d is RAW", n, i + 1);
			continue;
		}
		strncat(missing, " ", sizeof(missing) - strlen(missing) - 1);
		strncat(missing, n, sizeof(missing) - strlen(missing) - 1);
	}
	if (missing[0])
		fail_msg("untyped syscalls:%s", missing);
	assert_true(typed >= 383);
}

/* Every struct a row captures has the size of the kernel's type (structs.c
 * checks those sizes against the kernel headers at compile time): a fixed
 * buffer is one struct or an array of them, an array's element is one. */
static void struct_sizes_match_kernel_types(void **state)
{
	(void)state;
	char bad[4096] = "";
	int checked = 0;
	for (uint32_t nr = 0; nr < sc_count(); nr++) {
		if (!sc_is_typed(nr))
			continue;
		const struct sc_desc *d = sc_lookup(nr);
		for (int i = 0; i < d->nargs; i++) {
			const struct sc_arg *a = &d->args[i];
			const struct slayout *l = struct_layout_for(d, i, a->kind);
			if (!l || a->kind == K_STRUCT_SOCKADDR || a->kind == K_STRUCT_MSGHDR)
				continue;
			bool ok = true;
			if (a->size == S_FIXED)
				ok = a->n % l->size == 0 && a->n >= l->size;
			else if ((a->size == S_ARG || a->size == S_RET) && a->n > 1)
				ok = a->n == l->size;
			else if (a->size == S_ARG_PLUS || a->size == S_RET_PLUS)
				ok = a->n == l->size;
			checked++;
			if (!ok) {
				char line[160];
				snprintf(line, sizeof(line), " %s arg %d: %u bytes, the struct has %zu;", d->name, i + 1,
					 a->n, l->size);
				strncat(bad, line, sizeof(bad) - strlen(bad) - 1);
			}
		}
	}
	if (bad[0])
		fail_msg("struct sizes:%s", bad);
	assert_true(checked > 80);
	/* Each layout's fields lie inside the struct. */
	for (unsigned st = 1; st < ST_MAX; st++) {
		const struct slayout *l = struct_layout_st(st);
		assert_non_null(l);
		assert_non_null(struct_name_st(st));
		for (size_t f = 0; f < l->n; f++)
			if (l->f[f].off + l->f[f].size > l->size && l->f[f].type != FT_BYTES)
				fail_msg("%s.%s lies outside its %zu bytes", struct_name_st(st), l->f[f].name, l->size);
	}
}

/* The roles replay translates (table.h), where the issue names them. */
static void roles(void **state)
{
	(void)state;
	assert_int_equal(row("getpid")->ret_role, R_PID);
	assert_int_equal(row("gettid")->ret_role, R_TID);
	assert_int_equal(row("getpgrp")->ret_role, R_PGID);
	assert_int_equal(row("msgget")->ret_role, R_IPC_ID);
	assert_int_equal(row("shmget")->ret_role, R_IPC_ID);
	assert_int_equal(row("semget")->ret_role, R_IPC_ID);
	assert_int_equal(row("add_key")->ret_role, R_KEY_SERIAL);
	assert_int_equal(row("pidfd_open")->ret_role, R_PIDFD);
	assert_int_equal(row("msgsnd")->args[0].role, R_IPC_ID);
	assert_int_equal(row("timer_create")->args[2].role, R_TIMER_ID);
	assert_int_equal(row("timer_settime")->args[0].role, R_TIMER_ID);
	assert_int_equal(row("nanosleep")->args[1].role, R_TIME_BACK);
	assert_true(row("nanosleep")->flags & SC_OUT_IF_INTR);
	assert_int_equal(row("ppoll")->args[2].role, R_TIME_BACK);
	assert_int_equal(row("timer_gettime")->args[1].role, R_TIME_BACK);
	static const char *const pid_first[] = {
		"sched_setattr", "sched_setparam", "sched_setscheduler", "kill", "process_vm_readv",
		"process_vm_writev", "kcmp", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "prlimit64",
		"sched_getaffinity", "perf_event_open", "pidfd_open",
	};
	for (size_t i = 0; i < sizeof(pid_first) / sizeof(pid_first[0]); i++) {
		const struct sc_desc *d = row(pid_first[i]);
		if (d->args[0].role != R_PID && d->args[1].role != R_PID)
			fail_msg("%s has no pid argument", pid_first[i]);
	}
	assert_int_equal(row("tgkill")->args[1].role, R_TID);
	assert_int_equal(row("name_to_handle_at")->args[2].role, R_FILE_HANDLE);
	assert_int_equal(row("name_to_handle_at")->args[3].role, R_MOUNT_ID);
	assert_int_equal(row("open_by_handle_at")->args[1].role, R_FILE_HANDLE);
	assert_int_equal(row("listmount")->args[1].role, R_MOUNT_ID);
	assert_int_equal(row("pidfd_send_signal")->args[0].role, R_PIDFD);
	/* Inside structs: f_owner_ex.pid, flock.l_pid, siginfo.si_pid. */
	const struct slayout *l = struct_layout(K_STRUCT_F_OWNER_EX);
	assert_int_equal(l->f[1].role, R_PID);
	l = struct_layout(K_STRUCT_SIGINFO);
	assert_string_equal(l->f[3].name, "si_pid");
	assert_int_equal(l->f[3].role, R_PID);
	/* fcntl(F_SETOWN) and ioctl(SIOCSPGRP) by variant. */
	uint64_t a[6] = { 3, 8 /* F_SETOWN */, 1234, 0, 0, 0 };
	assert_int_equal(sc_resolve((uint32_t)sc_number("fcntl"), a)->args[2].role, R_PID);
	uint64_t io[6] = { 3, 0x8902 /* SIOCSPGRP */, 0x1000, 0, 0, 0 };
	assert_int_equal(sc_resolve((uint32_t)sc_number("ioctl"), io)->args[2].st, ST_INT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kernel_number_has_its_name),
		cmocka_unit_test(sc_number_round_trip),
		cmocka_unit_test(well_known_numbers),
		cmocka_unit_test(prototype_syscalls_are_typed),
		cmocka_unit_test(program_syscalls_are_typed),
		cmocka_unit_test(argument_shapes),
		cmocka_unit_test(variants),
		cmocka_unit_test(untyped_numbers_get_raw_rows),
		cmocka_unit_test(table_knows_every_kernel_syscall),
		cmocka_unit_test(newest_numbers),
		cmocka_unit_test(i386_calls_are_not_x86_64),
		cmocka_unit_test(length_references_in_range),
		cmocka_unit_test(narrow_arguments_truncated),
		cmocka_unit_test(every_syscall_is_typed),
		cmocka_unit_test(struct_sizes_match_kernel_types),
		cmocka_unit_test(roles),
	};
	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
