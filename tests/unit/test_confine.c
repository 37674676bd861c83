/* The container's confinement (src/sandbox/confine.h): capability names
 * for --cap, and the --seccomp denylist, installed in a forked child. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/confine.h"

static void parse_names(void **state)
{
	(void)state;
	char err[256] = "";
	uint64_t m = 0;
	assert_int_equal(confine_parse_caps("NET_RAW", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 1ULL << CAP_NET_RAW);
	m = 0;
	/* CAP_ optional, any case, a trailing comma harmless. */
	assert_int_equal(confine_parse_caps("cap_sys_time,Kill,CAP_CHECKPOINT_RESTORE,", &m, err, sizeof(err)), 0);
	assert_int_equal(m, (1ULL << CAP_SYS_TIME) | (1ULL << CAP_KILL) | (1ULL << CAP_CHECKPOINT_RESTORE));
	/* Added to what is there: --cap may be given twice. */
	assert_int_equal(confine_parse_caps("chown", &m, err, sizeof(err)), 0);
	assert_true(m & (1ULL << CAP_CHOWN));
	assert_true(m & (1ULL << CAP_KILL));
	assert_string_equal(confine_cap_name(CAP_NET_RAW), "NET_RAW");
	assert_string_equal(confine_cap_name(CAP_SYS_ADMIN), "SYS_ADMIN");
	assert_string_equal(confine_cap_name(CAP_CHECKPOINT_RESTORE), "CHECKPOINT_RESTORE");
	assert_null(confine_cap_name(CAP_LAST_CAP + 1));
	assert_null(confine_cap_name(-1));
}

static void parse_errors(void **state)
{
	(void)state;
	char err[256] = "";
	uint64_t m = 0;
	assert_int_equal(confine_parse_caps("NET_RAW,NET_RAWX", &m, err, sizeof(err)), -1);
	assert_string_equal(err, "--cap NET_RAW,NET_RAWX: unknown capability \"NET_RAWX\" (names as in "
				 "capabilities(7), e.g. NET_RAW)");
	assert_int_equal(confine_parse_caps(",NET_RAW", &m, err, sizeof(err)), -1);
	assert_string_equal(err, "--cap ,NET_RAW: unknown capability \"\" (names as in capabilities(7), e.g. NET_RAW)");
	/* CAP_ alone is not a name. */
	assert_int_equal(confine_parse_caps("CAP_", &m, err, sizeof(err)), -1);
}

/* In a child: no_new_privs, the filter, then each call; the exit status
 * is the number of the first check that failed (0: all as expected). */
static int seccomp_child(void)
{
	char err[256];
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || confine_seccomp(err, sizeof(err)) < 0)
		return 1;
	if (mount("none", "/nonexistent", "tmpfs", 0, NULL) == 0 || errno != EPERM)
		return 2;
	if (syscall(SYS_keyctl, 0, -3, 0) != -1 || errno != EPERM)
		return 3;
	if (ptrace(PTRACE_ATTACH, getppid(), 0, 0) != -1 || errno != EPERM)
		return 4;
	if (syscall(SYS_bpf, 0, NULL, 0) != -1 || errno != EPERM)
		return 5;
	if (syscall(SYS_umount2, "/", 0) != -1 || errno != EPERM)
		return 6;
	/* Ordinary calls pass, and so does PTRACE_TRACEME: the filter lets
	 * it through to the kernel (this test process is not traced, so it
	 * succeeds). */
	if (getpid() <= 0 || write(-1, "", 0) != -1 || errno != EBADF)
		return 7;
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
		return 8;
	return 0;
}

static void seccomp_denies(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(seccomp_child());
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_names),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(seccomp_denies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
