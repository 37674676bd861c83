/* A stat'ed file by content (src/trace/file_digest.h): which stat results
 * get a digest of the file, the digest itself, and the run's cache. The
 * "tracee" is this test process: its /proc entries name the files. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/sha256.h"
#include <sys/syscall.h>
#include "syscalls/table.h"
#include "trace/file_digest.h"
#include "unit_tmpdir.h"

static struct arena arena;
static struct sp_event ev;

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(data, f);
	assert_int_equal(fclose(f), 0);
}

/* Set the file's times ten seconds into the past: older than the run. */
static void age(const char *path)
{
	struct timespec t[2];
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 10;
	t[1] = t[0];
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	/* Its ctime is now: let the clock pass it before the run starts (the
	 * tests after a start sleep too: file times may be a tick coarse). */
	usleep(20000);
}

/* newfstatat(AT_FDCWD, path, &st, 0) as capture leaves it at the exit. */
static void stat_event(const char *path)
{
	static struct stat st;
	arena_reset(&arena);
	memset(&ev, 0, sizeof(ev));
	ev.arena = &arena;
	ev.nr = SYS_newfstatat;
	ev.desc = sc_lookup(ev.nr);
	ev.nargs = 4;
	ev.returned = true;
	ev.entry[0].value = (uint64_t)(int64_t)AT_FDCWD;
	ev.entry[1].buf = (struct sp_bytes){ (const uint8_t *)path, strlen(path) + 1 };
	ev.entry[1].flags = SP_HAS_BUF;
	assert_int_equal(stat(path, &st), 0);
	ev.exit[2].buf = (struct sp_bytes){ (const uint8_t *)&st, sizeof(st) };
	ev.exit[2].flags = SP_HAS_BUF;
}

static void a_regular_file_older_than_the_run_is_digested(void **state)
{
	(void)state;
	char *p = path_in("old.txt");
	write_file(p, "the recorded bytes\n");
	age(p);
	file_digest_start();
	usleep(20000); /* what is written from now on is of a later tick */
	stat_event(p);
	uint64_t before = file_digest_bytes_read();
	file_digest_capture(&ev, getpid());
	uint8_t want[SHA256_LEN];
	sha256("the recorded bytes\n", 19, want);
	assert_int_equal(ev.file_digest.len, FILE_DIGEST_LEN);
	assert_memory_equal(ev.file_digest.data, want, FILE_DIGEST_LEN);
	assert_int_equal(file_digest_bytes_read() - before, 19);
	/* The same file, unchanged: the digest comes from the run's cache. */
	stat_event(p);
	file_digest_capture(&ev, getpid());
	assert_memory_equal(ev.file_digest.data, want, FILE_DIGEST_LEN);
	assert_int_equal(file_digest_bytes_read() - before, 19);
	/* Changed (same size) during the run: its ctime is the run's. */
	write_file(p, "the replaced bytes\n");
	age(p);
	stat_event(p);
	file_digest_capture(&ev, getpid());
	assert_int_equal(ev.file_digest.len, 0);
	/* ... and before the next run: read again, another digest. */
	file_digest_start();
	stat_event(p);
	file_digest_capture(&ev, getpid());
	sha256("the replaced bytes\n", 19, want);
	assert_int_equal(ev.file_digest.len, FILE_DIGEST_LEN);
	assert_memory_equal(ev.file_digest.data, want, FILE_DIGEST_LEN);
	assert_int_equal(file_digest_bytes_read() - before, 38);
}

static void written_during_the_run_empty_or_pseudo_files_are_not(void **state)
{
	(void)state;
	char *fresh = path_in("fresh.txt"), *empty = path_in("empty.txt");
	file_digest_start();
	usleep(20000); /* what is written from now on is of a later tick */
	write_file(fresh, "written by the program\n");
	stat_event(fresh);
	file_digest_capture(&ev, getpid());
	assert_int_equal(ev.file_digest.len, 0);
	write_file(empty, "");
	age(empty);
	stat_event(empty);
	file_digest_capture(&ev, getpid());
	assert_int_equal(ev.file_digest.len, 0);
	/* sysfs: a file of 4096 bytes made when read */
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) == 0) {
		stat_event("/sys/kernel/mm/transparent_hugepage/enabled");
		file_digest_capture(&ev, getpid());
		assert_int_equal(ev.file_digest.len, 0);
	}
	/* a folder */
	stat_event(tmpdir);
	file_digest_capture(&ev, getpid());
	assert_int_equal(ev.file_digest.len, 0);
}

static void a_file_replaced_since_the_call_is_not(void **state)
{
	(void)state;
	char *p = path_in("swapped.txt"), *q = path_in("other.txt");
	write_file(p, "first\n");
	age(p);
	file_digest_start();
	stat_event(p);
	/* Another file now has the name: its inode is not the stat'ed one. */
	write_file(q, "other\n");
	age(q);
	assert_int_equal(rename(q, p), 0);
	file_digest_capture(&ev, getpid());
	assert_int_equal(ev.file_digest.len, 0);
}

int main(void)
{
	arena_init(&arena, 1 << 16);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_regular_file_older_than_the_run_is_digested),
		cmocka_unit_test(written_during_the_run_empty_or_pseudo_files_are_not),
		cmocka_unit_test(a_file_replaced_since_the_call_is_not),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
