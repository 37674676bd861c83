/* sendfile, copy_file_range and splice move a file's bytes inside the
 * kernel: `cat FILE > out` (copy_file_range), busybox cat and python's
 * shutil.copyfile (sendfile). Without this a changed FILE replays
 * "equivalent". The tracer reads the same range again from the source, as
 * the tracee's descriptor names it, once the call has returned: the offset
 * is the one the call was given (off_in / offset) or, without it, the
 * descriptor's position after the call less what was moved. */
#include "trace/capture_moved.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "syscalls/table.h"

/* The position of descriptor `fd` of `tid`, from /proc/TID/fdinfo; -1. */
static long long fd_pos(pid_t tid, int fd)
{
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, fd);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long long pos = -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "pos: %lld", &pos) == 1)
			break;
	fclose(f);
	return pos;
}

void capture_moved(struct sp_event *ev, pid_t tid, int64_t rval)
{
	const char *name = ev->desc->name;
	int src;
	int off_arg; /* the argument pointing at the source offset, or -1 */
	if (!strcmp(name, "sendfile")) {
		src = (int)ev->raw_args[1];
		off_arg = 2;
	} else { /* copy_file_range, splice: (fd_in, off_in, ...) */
		src = (int)ev->raw_args[0];
		off_arg = 1;
	}
	long long start = -1;
	const struct sp_arg *in = &ev->entry[off_arg];
	if (ev->raw_args[off_arg] && (in->flags & SP_HAS_BUF) && in->buf.len == 8) {
		memcpy(&start, in->buf.data, 8);
	} else if (!ev->raw_args[off_arg]) {
		long long pos = fd_pos(tid, src);
		if (pos >= rval)
			start = pos - rval;
	}
	if (start < 0)
		return;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, src);
	/* Looked at before it is opened: a pipe or socket was read once and is
	 * gone, and opening a device can have effects of its own. */
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return;
	size_t want = (size_t)rval < MOVED_MAX ? (size_t)rval : MOVED_MAX, got = 0;
	uint8_t *b = arena_alloc(ev->arena, want);
	while (b && got < want) {
		ssize_t n = pread(fd, b + got, want - got, (off_t)(start + (long long)got));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!b || !got)
		return;
	ev->ret.buf.data = b;
	ev->ret.buf.len = got;
	ev->ret.flags |= SP_HAS_BUF;
}
