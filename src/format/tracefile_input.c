/* The input of a reader that reads it more than once (replay checks every
 * item before it runs anything, then replays): a regular file, read again
 * through a new open file description each time, so that no reader ever
 * seeks; anything else (a pipe, a FIFO, standard input) is copied once,
 * front to back, into an unlinked temporary file first. */
#include "format/tracefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An unlinked temporary file in $TMPDIR (or /tmp). -1 with errno. */
static int temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	/* A file system without O_TMPFILE: a named file, unlinked at once. */
	char path[4096];
	snprintf(path, sizeof(path), "%s/sperrips-input-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Copy everything `in` gives into `out`. 0 or -errno. */
static int copy_all(int in, int out)
{
	static char buf[1 << 16];
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t k = write(out, buf + done, (size_t)(n - done));
			if (k < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			done += k;
		}
	}
}

/* The input as a regular file; `copy`: always a private copy. */
static int input_file(const char *path, bool copy, char *err, size_t errlen)
{
	bool std = !strcmp(path, "-");
	const char *name = std ? "(standard input)" : path;
	int fd = std ? fcntl(0, F_DUPFD_CLOEXEC, 3) : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", name);
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && !copy)
		return fd;
	int tmp = temp_file();
	if (tmp < 0) {
		snprintf(err, errlen, "%s: cannot make a temporary copy: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	int e = copy_all(fd, tmp);
	close(fd);
	if (e < 0) {
		snprintf(err, errlen, "%s: cannot copy the input to a temporary file: %s", name, strerror(-e));
		close(tmp);
		return -1;
	}
	return tmp;
}

int tf_input_file(const char *path, char *err, size_t errlen)
{
	return input_file(path, false, err, errlen);
}

int tf_input_copy(const char *path, char *err, size_t errlen)
{
	return input_file(path, true, err, errlen);
}

int tf_reopen(int fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_RDONLY | O_CLOEXEC);
}
