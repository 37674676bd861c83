/* The BPF event source (src/trace/bpf_source.c): a forked child and its own
 * child are followed from birth, each syscall arrives as one record with its
 * arguments, return value and the bytes its table-derived plan names, and
 * nothing is lost. Skipped, with the reason, where BPF cannot be loaded. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "syscalls/table.h"
#include "trace/bpf_plan.h"
#include "trace/bpf_source.h"

/* Plans come from the table rows: a few rows checked by hand. */
static void test_plans_from_table(void **state)
{
	struct sp_bpf_plan p;

	(void)state;
	p = bpf_plan_for(SYS_write);
	assert_int_equal(p.size, SP_BPF_SZ_ARG);
	assert_int_equal(p.arg, 1);
	assert_int_equal(p.ref, 2);
	p = bpf_plan_for(SYS_read);
	assert_int_equal(p.size, SP_BPF_SZ_RET);
	assert_int_equal(p.arg, 1);
	assert_int_equal(p.ref, 2);
	p = bpf_plan_for(SYS_openat);
	assert_int_equal(p.size, SP_BPF_SZ_STR);
	assert_int_equal(p.arg, 1);
	p = bpf_plan_for(SYS_writev);
	assert_int_equal(p.size, SP_BPF_SZ_PTRACE);
	p = bpf_plan_for(SYS_recvmsg);
	assert_int_equal(p.size, SP_BPF_SZ_PTRACE);
	p = bpf_plan_for(SYS_getpid);
	assert_int_equal(p.size, SP_BPF_SZ_NONE);
	p = bpf_plan_for(SYS_exit_group);
	assert_int_equal(p.flags & SP_BPF_PLAN_NORETURN, SP_BPF_PLAN_NORETURN);
}

#define MAX_RECS 4096
struct seen {
	struct sp_bpf_rec *recs;
	int n;
};

static int collect(const struct sp_bpf_rec *rec, void *arg)
{
	struct seen *s = arg;

	if (s->n < MAX_RECS)
		memcpy(&s->recs[s->n++], rec, sizeof(*rec));
	return 0;
}

static const struct sp_bpf_rec *find(const struct seen *s, pid_t tgid, uint32_t nr,
				     uint64_t arg2)
{
	for (int i = 0; i < s->n; i++)
		if (s->recs[i].tgid == (uint32_t)tgid && s->recs[i].nr == nr &&
		    s->recs[i].args[2] == arg2)
			return &s->recs[i];
	return NULL;
}

static const char content[] = "sperrips bpf source test\n";

/* The child: waits until followed, writes, opens and reads a file, forks a
 * grandchild that writes, exits without waiting for the ring to drain. */
static void child(int go, const char *path)
{
	char c, buf[64], *fresh;
	int fd, dn, pp[2];
	pid_t g;

	if (read(go, &c, 1) != 1)
		_exit(2);
	dn = open("/dev/null", O_WRONLY);
	if (write(dn, "hello bpf", 9) != 9)
		_exit(3);
	fd = openat(AT_FDCWD, path, O_RDONLY);
	if (fd < 0 || read(fd, buf, 61) != (ssize_t)strlen(content))
		_exit(4);
	/* A page never touched, written to /dev/null, which never reads
	 * it: BPF cannot read it either (it may not fault pages in). */
	fresh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh == MAP_FAILED || write(dn, fresh, 7) != 7)
		_exit(6);
	if (pipe(pp) < 0)
		_exit(7);
	g = fork();
	if (g == 0) {
		/* Into a pipe: the kernel copies the bytes, so they are paged in. */
		if (write(pp[1], "grandchild", 10) != 10)
			_exit(5);
		_exit(0);
	}
	waitpid(g, NULL, 0);
	_exit(0);
}

/* Wait until `pid` sits in read(2) (syscall 0 in /proc/PID/syscall), so
 * that it is followed in the middle of a call. */
static void wait_in_read(pid_t pid)
{
	char name[64], line[256];

	snprintf(name, sizeof(name), "/proc/%d/syscall", (int)pid);
	for (int i = 0; i < 5000; i++) {
		FILE *f = fopen(name, "r");
		int in_read = 0;

		if (f) {
			in_read = fgets(line, sizeof(line), f) && !strncmp(line, "0 ", 2);
			fclose(f);
		}
		if (in_read)
			return;
		usleep(1000);
	}
	fail_msg("child %d never blocked in read", (int)pid);
}

static void test_follows_children_and_captures(void **state)
{
	char why[256], path[] = "/tmp/sperrips-bpf-XXXXXX";
	struct bpf_source *src;
	struct seen seen = { .recs = calloc(MAX_RECS, sizeof(struct sp_bpf_rec)) };
	const struct sp_bpf_rec *r;
	uint64_t load_ns = 0;
	int pfd[2], status, fd, err;
	pid_t pid;

	(void)state;
	assert_non_null(seen.recs);
	err = bpf_source_open(&src, &load_ns, why, sizeof(why));
	if (err) {
		printf("skipped: %s\n", why);
		free(seen.recs);
		skip();
	}
	printf("bpf load+attach: %.1f ms\n", load_ns / 1e6);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child(pfd[0], path);
	wait_in_read(pid);
	assert_int_equal(bpf_source_follow(src, pid), 0);
	assert_int_equal(write(pfd[1], "g", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The child has exited: its records are still in the ring. */
	while (bpf_source_poll(src, 100, collect, &seen) > 0)
		;
	unlink(path);

	/* The read the child was blocked in when it was followed: marked. */
	r = find(&seen, pid, SYS_read, 1);
	assert_non_null(r);
	assert_int_equal(r->flags, SP_BPF_REC_NO_ENTRY);
	assert_int_equal(r->ret, 1);

	r = find(&seen, pid, SYS_write, 9);
	assert_non_null(r);
	assert_int_equal(r->ret, 9);
	assert_int_equal(r->flags, 0);
	assert_int_equal(r->len, 9);
	assert_memory_equal(r->data, "hello bpf", 9);

	r = find(&seen, pid, SYS_openat, O_RDONLY);
	assert_non_null(r);
	assert_true(r->ret >= 0);
	assert_int_equal(r->len, strlen(path) + 1);
	assert_string_equal((const char *)r->data, path);

	r = find(&seen, pid, SYS_read, 61);
	assert_non_null(r);
	assert_int_equal(r->ret, strlen(content));
	assert_int_equal(r->len, strlen(content));
	assert_memory_equal(r->data, content, strlen(content));

	/* The grandchild, followed from the fork, before it ran. */
	r = NULL;
	for (int i = 0; i < seen.n; i++)
		if (seen.recs[i].tgid != (uint32_t)pid && seen.recs[i].nr == SYS_write &&
		    seen.recs[i].args[2] == 10)
			r = &seen.recs[i];
	assert_non_null(r);
	assert_int_equal(r->ret, 10);
	assert_int_equal(r->flags, 0);
	assert_int_equal(r->len, 10);
	assert_memory_equal(r->data, "grandchild", 10);

	/* The untouched page: marked as not captured, not silently empty. */
	r = find(&seen, pid, SYS_write, 7);
	assert_non_null(r);
	assert_int_equal(r->ret, 7);
	assert_int_equal(r->flags, SP_BPF_REC_FAULT);
	assert_int_equal(r->len, 0);

	/* exit_group, recorded at entry. */
	r = NULL;
	for (int i = 0; i < seen.n; i++)
		if (seen.recs[i].tgid == (uint32_t)pid && seen.recs[i].nr == SYS_exit_group)
			r = &seen.recs[i];
	assert_non_null(r);
	assert_int_equal(r->args[0], 0);
	assert_int_equal(r->flags, SP_BPF_REC_NORETURN);

	assert_int_equal(bpf_source_lost(src), 0);
	bpf_source_close(src);
	free(seen.recs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plans_from_table),
		cmocka_unit_test(test_follows_children_and_captures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
