/* The recorded setting (src/sandbox/setting.h, src/verify/replay_setting.h):
 * signal names, the working directory and its fallback, standard output
 * restored by kind, and the stat of a standard output that was a file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sandbox/setting.h"
#include "syscalls/table.h"
#include "verify/policy.h"
#include "verify/replay_setting.h"

static char *names(uint64_t mask)
{
	static char out[256];
	struct strbuf sb = { 0 };
	setting_sig_names(&sb, mask);
	snprintf(out, sizeof(out), "%s", sb.s);
	sb_free(&sb);
	return out;
}

static void signal_names(void **state)
{
	(void)state;
	assert_string_equal(names(0), "none");
	assert_string_equal(names(1ull << (SIGINT - 1)), "INT");
	assert_string_equal(names(1ull << (SIGINT - 1) | 1ull << (SIGPIPE - 1) | 1ull << (SIGUSR2 - 1)), "INT,USR2,PIPE");
	assert_string_equal(names(1ull << (SIGRTMIN + 1 - 1)), "35"); /* real-time: a number */
}

static void workdir_fallback(void **state)
{
	(void)state;
	struct setting_notes n = { 0 };
	struct setting recorded = { .workdir_recorded = true }, asked = { 0 };
	char *out = (char *)1;
	/* Here: taken. */
	assert_int_equal(setting_workdir("/tmp", &recorded, false, &n, &out), 0);
	assert_string_equal(out, "/tmp");
	free(out);
	/* Recorded and missing: this one, said in one line. */
	assert_int_equal(setting_workdir("/nonexistent/wd", &recorded, false, &n, &out), 0);
	assert_null(out);
	assert_string_equal(n.cannot.s, "setting: the recorded working directory /nonexistent/wd cannot be used here "
					"(No such file or directory): the program starts in this one\n");
	/* Asked for and missing, or not a folder: the caller's error. */
	assert_int_equal(setting_workdir("/nonexistent/wd", &asked, false, &n, &out), -ENOENT);
	assert_int_equal(setting_workdir("/etc/hostname", NULL, false, &n, &out), -ENOTDIR);
	/* None: the current one, so that record notes it. */
	char here[4096];
	assert_non_null(getcwd(here, sizeof(here)));
	assert_int_equal(setting_workdir(NULL, NULL, false, &n, &out), 0);
	assert_string_equal(out, here);
	free(out);
	/* In a container: a path inside, as is; its root without one. */
	assert_int_equal(setting_workdir("/nonexistent/wd", &recorded, true, &n, &out), 0);
	assert_string_equal(out, "/nonexistent/wd");
	free(out);
	assert_int_equal(setting_workdir(NULL, NULL, true, &n, &out), 0);
	assert_string_equal(out, "/");
	free(out);
	sb_free(&n.cannot);
	sb_free(&n.restored);
}

/* The tests below put other files on descriptor 1: put ours back even
 * when one fails, so that cmocka's report is seen. */
static int saved_stdout = -1;

static int save_stdout(void **state)
{
	(void)state;
	fflush(stdout);
	saved_stdout = dup(1);
	return saved_stdout < 0 ? -1 : 0;
}

static int restore_stdout(void **state)
{
	(void)state;
	dup2(saved_stdout, 1);
	close(saved_stdout);
	saved_stdout = -1;
	return 0;
}

static struct setting_run fresh_run(void)
{
	struct setting_run s;
	memset(&s, 0, sizeof(s));
	s.drain[0].from = s.drain[1].from = -1;
	return s;
}

/* Standard output made of the recorded kind while ours (fd 1, whatever the
 * test runner gave) is replaced by a pipe we read. */
static void std_restored_by_kind(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(dup2(p[1], 1), 1);
	close(p[1]);
	struct setting_notes n = { 0 };
	struct setting want = { .std_kind = { "null", NULL }, .signals_known = true, .std_flags = { O_RDWR, 0 } };
	struct setting_run s = fresh_run();
	int fd = -1;
	setting_restore_std(&s, 0, &want, &fd, &n);
	assert_true(fd >= 0);
	assert_string_equal(setting_fd_kind(fd), "null");
	assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	assert_string_equal(n.restored.s, "setting: standard output restored as recorded: /dev/null (it is a pipe "
					  "here)\n");
	close(fd);

	/* A file appended to: a fresh one, copied to ours at the end. */
	sb_clear(&n.restored);
	want.std_kind[0] = "file";
	want.std_flags[0] = O_WRONLY | O_APPEND;
	s = fresh_run();
	fd = -1;
	setting_restore_std(&s, 0, &want, &fd, &n);
	assert_true(fd >= 0);
	assert_string_equal(setting_fd_kind(fd), "file");
	assert_int_equal(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "logged\n", 7), 7);
	int *fds[2] = { &fd, &(int){ -1 } };
	setting_finish(&s, fds);
	close(fd);
	char got[64] = { 0 };
	assert_int_equal(read(p[0], got, sizeof(got)), 7);
	assert_string_equal(got, "logged\n");

	/* A terminal cannot be made: one line, and ours stays. */
	want.std_kind[0] = "tty";
	s = fresh_run();
	fd = -1;
	setting_restore_std(&s, 0, &want, &fd, &n);
	assert_int_equal(fd, -1);
	assert_string_equal(n.cannot.s, "setting: standard output was a terminal when recorded and cannot be made so "
					"here (it is a pipe): calls that look at it will differ\n");

	/* Of the recorded kind already: nothing to do, nothing said. */
	sb_clear(&n.cannot);
	sb_clear(&n.restored);
	want.std_kind[0] = "pipe";
	setting_restore_std(&s, 0, &want, &fd, &n);
	assert_int_equal(fd, -1);
	assert_int_equal(n.cannot.len + n.restored.len, 0);
	close(p[0]);
	sb_free(&n.cannot);
	sb_free(&n.restored);
}

/* fstat(1) of a file that was the caller's log: size accepted, type not. */
static void std_stat_accepted(void **state)
{
	(void)state;
	char path[] = "/tmp/sperrips-unit-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(dup2(fd, 1), 1);
	struct stat here;
	assert_int_equal(fstat(1, &here), 0);
	dev_t dev[2] = { here.st_dev, 0 };
	ino_t ino[2] = { here.st_ino, 0 };
	struct tf_meta m = { .stdout_kind = "file", .stderr_kind = "pipe" };
	static struct stat a, b;
	a = here;
	b = here;
	a.st_size = 40;
	struct sp_event rec = { .nr = (uint32_t)sc_number("fstat"), .nargs = 2, .returned = true };
	rec.entry[0].value = 1;
	rec.exit[1].buf = (struct sp_bytes){ (const uint8_t *)&a, sizeof(a) };
	struct sp_event rep = rec;
	rep.exit[1].buf = (struct sp_bytes){ (const uint8_t *)&b, sizeof(b) };
	rep.n_diffs = 1;
	rep.diffs[0] = (struct sp_diff){ .arg = 2, .at_exit = true, .klass = PC_MUST, .flag = 1, .field = "st_size",
					 .offset = offsetof(struct stat, st_size) };
	assert_int_equal(replay_setting_accept_std_stat(&m, getpid(), dev, ino, &rec, &rep), 1);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "standard output setting");
	/* A file type of its own stays a difference. */
	b.st_mode = S_IFIFO | 0600;
	rep.diffs[0] = (struct sp_diff){ .arg = 2, .at_exit = true, .klass = PC_MUST, .field = "st_mode",
					 .offset = offsetof(struct stat, st_mode) };
	assert_int_equal(replay_setting_accept_std_stat(&m, getpid(), dev, ino, &rec, &rep), 0);
	/* Recorded as a pipe: nothing accepted. */
	rep.diffs[0].field = "st_size";
	m.stdout_kind = "pipe";
	assert_int_equal(replay_setting_accept_std_stat(&m, getpid(), dev, ino, &rec, &rep), 0);
	/* Another file than the one replay gave: nothing accepted. */
	m.stdout_kind = "file";
	ino[0]++;
	assert_int_equal(replay_setting_accept_std_stat(&m, getpid(), dev, ino, &rec, &rep), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signal_names),
		cmocka_unit_test(workdir_fallback),
		cmocka_unit_test_setup_teardown(std_restored_by_kind, save_stdout, restore_stdout),
		cmocka_unit_test_setup_teardown(std_stat_accepted, save_stdout, restore_stdout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
