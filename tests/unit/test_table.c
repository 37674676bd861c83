/* The syscall table (src/syscalls/table.h): names from the kernel headers,
 * typed rows for every syscall issue 2 lists, exact argument shapes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/unistd_64.h>

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
	a[1] = 1; /* F_GETFD: the generic row */
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
	};
	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
