#include "trace/exec_digest.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/sha256.h"

int exec_digest_file(const char *path, unsigned char out[EXEC_DIGEST_LEN])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct sha256 md;
	sha256_init(&md);
	static unsigned char buf[1 << 16];
	ssize_t n;
	int rc = 0;
	while (rc == 0 && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				rc = -errno;
			continue;
		}
		sha256_update(&md, buf, (size_t)n);
	}
	if (rc == 0)
		sha256_final(&md, out);
	close(fd);
	return rc;
}

/* "#!" followed by optional blanks and the interpreter's path. */
static int shebang(const char *head, size_t n, char *out, size_t size)
{
	size_t i = 2, j = 0;
	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	while (i < n && head[i] != ' ' && head[i] != '\t' && head[i] != '\n' && head[i] != 0) {
		if (j + 1 >= size)
			return -ENAMETOOLONG;
		out[j++] = head[i++];
	}
	out[j] = 0;
	return j ? 0 : -ENOENT;
}

static int pt_interp(int fd, const Elf64_Ehdr *eh, char *out, size_t size)
{
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(Elf64_Phdr))
		return -ENOENT;
	for (unsigned i = 0; i < eh->e_phnum && i < 256; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh->e_phoff + (uint64_t)i * sizeof(ph))) != sizeof(ph))
			return -EIO;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz == 0 || ph.p_filesz >= size)
			return -ENAMETOOLONG;
		if (pread(fd, out, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
			return -EIO;
		out[ph.p_filesz] = 0;
		out[strnlen(out, ph.p_filesz)] = 0;
		return 0;
	}
	return -ENOENT;
}

int exec_digest_interp(const char *path, char *out, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	union {
		char c[256];
		Elf64_Ehdr eh;
	} head;
	ssize_t n = pread(fd, head.c, sizeof(head.c), 0);
	int rc = -ENOENT;
	if (n >= 2 && head.c[0] == '#' && head.c[1] == '!')
		rc = shebang(head.c, (size_t)n, out, size);
	else if (n >= (ssize_t)sizeof(Elf64_Ehdr) && memcmp(head.c, ELFMAG, SELFMAG) == 0)
		rc = pt_interp(fd, &head.eh, out, size);
	else if (n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* `path` as the tracee sees it, through its root and working directory. */
static void tracee_path(pid_t tid, const char *path, char *out, size_t size)
{
	if (path[0] == '/')
		snprintf(out, size, "/proc/%d/root%s", (int)tid, path);
	else
		snprintf(out, size, "/proc/%d/cwd/%s", (int)tid, path);
}

static void digest_into(struct sp_event *ev, const char *path, struct sp_bytes *dst)
{
	unsigned char md[EXEC_DIGEST_LEN];
	if (exec_digest_file(path, md) < 0)
		return;
	uint8_t *p = arena_alloc(ev->arena, EXEC_DIGEST_LEN);
	if (!p)
		return;
	memcpy(p, md, EXEC_DIGEST_LEN);
	dst->data = p;
	dst->len = EXEC_DIGEST_LEN;
}

void exec_digest_capture(struct sp_event *ev, pid_t tid)
{
	const struct sp_arg *a = &ev->entry[0];
	if (ev->nargs < 1 || !a->buf.data || a->buf.len == 0 || a->buf.len >= 4096)
		return;
	char rel[4096], path[4200], interp[4096], ipath[4200];
	memcpy(rel, a->buf.data, a->buf.len);
	rel[a->buf.len] = 0;
	tracee_path(tid, rel, path, sizeof(path));
	digest_into(ev, path, &ev->exec_image);
	if (exec_digest_interp(path, interp, sizeof(interp)) < 0)
		return;
	tracee_path(tid, interp, ipath, sizeof(ipath));
	digest_into(ev, ipath, &ev->exec_interp);
}
