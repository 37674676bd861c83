/* zstd frames of a recording's byte stream (zframes.h): the compressor the
 * writer hands its buffer to, and a stdio stream that sniffs its input and
 * decompresses it while the reader reads, a frame after another. */
#include "format/zframes.h"

#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>
#include <zstd_errors.h>

/* ====================================================================== */
/* Writing                                                                */
/* ====================================================================== */

struct zf_writer {
	ZSTD_CCtx *cctx;
	int fd;
	uint64_t out_bytes;
	uint8_t *out;
	size_t out_cap;
};

struct zf_writer *zf_writer_new(int fd, int level)
{
	if (level < ZF_LEVEL_MIN || level > ZF_LEVEL_MAX) {
		errno = EINVAL;
		return NULL;
	}
	struct zf_writer *z = calloc(1, sizeof(*z));
	if (!z) {
		errno = ENOMEM;
		return NULL;
	}
	z->fd = fd;
	z->cctx = ZSTD_createCCtx();
	z->out_cap = ZSTD_CStreamOutSize();
	z->out = malloc(z->out_cap);
	/* A checksum per frame: a changed byte is found where it is, not
	 * taken as other records. */
	if (!z->cctx || !z->out || ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_checksumFlag, 1))) {
		zf_writer_free(z);
		errno = ENOMEM;
		return NULL;
	}
	return z;
}

/* Write out what the output buffer holds. */
static int drain(struct zf_writer *z, ZSTD_outBuffer *out)
{
	if (!out->pos)
		return 0;
	int e = write_all(z->fd, out->dst, out->pos);
	if (!e)
		z->out_bytes += out->pos;
	out->pos = 0;
	return e;
}

int zf_write_frame(struct zf_writer *z, const void *a, size_t alen, const void *b, size_t blen)
{
	if (!alen && !blen)
		return 0;
	ZSTD_CCtx_reset(z->cctx, ZSTD_reset_session_only);
	/* The frame says its size: `zstd -l` and a reader know what it holds. */
	if (ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(z->cctx, (unsigned long long)alen + blen)))
		return -EIO;
	ZSTD_outBuffer out = { z->out, z->out_cap, 0 };
	for (int k = 0; k < 2; k++) {
		ZSTD_inBuffer in = { k ? b : a, k ? blen : alen, 0 };
		ZSTD_EndDirective mode = k ? ZSTD_e_end : ZSTD_e_continue;
		if (!k && !alen)
			continue;
		for (;;) {
			size_t r = ZSTD_compressStream2(z->cctx, &out, &in, mode);
			if (ZSTD_isError(r)) {
				ZSTD_CCtx_reset(z->cctx, ZSTD_reset_session_only);
				return -EIO;
			}
			if (out.pos == out.size || (mode == ZSTD_e_end && r)) {
				int e = drain(z, &out);
				if (e)
					return e;
			}
			if (mode == ZSTD_e_end ? r == 0 : in.pos == in.size)
				break;
		}
	}
	return drain(z, &out);
}

uint64_t zf_compressed_bytes(const struct zf_writer *z)
{
	return z->out_bytes;
}

void zf_writer_free(struct zf_writer *z)
{
	if (!z)
		return;
	ZSTD_freeCCtx(z->cctx);
	free(z->out);
	free(z);
}

/* ====================================================================== */
/* Reading                                                                */
/* ====================================================================== */

struct zf_reader {
	int fd;
	bool sniffed, compressed, eof;
	ZSTD_DCtx *dctx;
	uint8_t *in;
	size_t in_cap;
	ZSTD_inBuffer ib;         /* what was read and not yet decompressed */
	uint64_t read_bytes;      /* bytes read from fd */
	bool in_frame;            /* inside a frame: its end not yet decoded */
	uint64_t frame_no, frame_at; /* the current frame, its first byte in the file */
	char failed[200];
	char cut[200];
};

/* zstd frames, and zstd's skippable frames (0x184D2A50..5F), little-endian. */
static bool zstd_magic(const uint8_t *p)
{
	uint32_t m = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return m == ZSTD_MAGICNUMBER || (m & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START;
}

/* read(2) into `p`, retried on EINTR; a failure is noted. */
static ssize_t read_some(struct zf_reader *z, void *p, size_t n)
{
	for (;;) {
		ssize_t k = read(z->fd, p, n);
		if (k >= 0) {
			z->read_bytes += (uint64_t)k;
			return k;
		}
		if (errno != EINTR) {
			int e = errno;
			snprintf(z->failed, sizeof(z->failed), "read error at byte %llu of the file: %s",
				 (unsigned long long)z->read_bytes, strerror(e));
			errno = e;
			return -1;
		}
	}
}

/* The first bytes decide: a zstd frame's magic number, or plain bytes
 * (a plain recording starts with a field tag, 0x0a, 0x12 or 0x18, never
 * with 0x28). They stay in z->in either way. */
static int sniff(struct zf_reader *z)
{
	z->sniffed = true;
	size_t got = 0;
	while (got < 4) {
		ssize_t k = read_some(z, z->in + got, 4 - got);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	z->ib = (ZSTD_inBuffer){ z->in, got, 0 };
	z->compressed = got == 4 && zstd_magic(z->in);
	if (!z->compressed)
		return 0;
	z->dctx = ZSTD_createDCtx();
	if (!z->dctx || ZSTD_isError(ZSTD_DCtx_setParameter(z->dctx, ZSTD_d_windowLogMax, ZF_WINDOW_LOG_MAX))) {
		snprintf(z->failed, sizeof(z->failed), "out of memory for decompressing");
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static uint64_t consumed(const struct zf_reader *z)
{
	return z->read_bytes - (z->ib.size - z->ib.pos);
}

static void frame_failed(struct zf_reader *z, size_t code)
{
	ZSTD_ErrorCode e = ZSTD_getErrorCode(code);
	if (e == ZSTD_error_frameParameter_windowTooLarge)
		snprintf(z->failed, sizeof(z->failed),
			 "compressed frame %llu at byte %llu of the file needs more than %d MiB of memory to "
			 "decompress (refused)",
			 (unsigned long long)z->frame_no, (unsigned long long)z->frame_at,
			 1 << (ZF_WINDOW_LOG_MAX - 20));
	else
		snprintf(z->failed, sizeof(z->failed), "compressed frame %llu at byte %llu of the file is corrupt (%s)",
			 (unsigned long long)z->frame_no, (unsigned long long)z->frame_at, ZSTD_getErrorName(code));
}

/* Plain input: the sniffed bytes, then straight from the descriptor. */
static ssize_t plain_read(struct zf_reader *z, char *buf, size_t size)
{
	if (z->ib.pos < z->ib.size) {
		size_t n = z->ib.size - z->ib.pos;
		if (n > size)
			n = size;
		memcpy(buf, z->in + z->ib.pos, n);
		z->ib.pos += n;
		return (ssize_t)n;
	}
	return read_some(z, buf, size);
}

static ssize_t zr_read(void *cookie, char *buf, size_t size)
{
	struct zf_reader *z = cookie;
	if (z->failed[0]) {
		errno = EIO;
		return -1;
	}
	if (!z->sniffed && sniff(z) < 0)
		return -1;
	if (!z->compressed)
		return plain_read(z, buf, size);
	ZSTD_outBuffer out = { buf, size, 0 };
	for (;;) {
		/* Decode what is there first (a frame's pending output needs no
		 * more input): reading a pipe before would wait for nothing. */
		if (z->ib.pos < z->ib.size || z->in_frame) {
			if (!z->in_frame && z->ib.pos < z->ib.size) {
				z->frame_no++;
				z->frame_at = consumed(z);
			}
			size_t before = z->ib.pos;
			size_t r = ZSTD_decompressStream(z->dctx, &out, &z->ib);
			if (ZSTD_isError(r)) {
				frame_failed(z, r);
				errno = EIO;
				return -1;
			}
			if (z->ib.pos != before || out.pos)
				z->in_frame = r != 0;
			if (out.pos)
				return (ssize_t)out.pos;
			if (z->ib.pos < z->ib.size)
				continue;
		}
		if (z->eof)
			return 0;
		ssize_t k = read_some(z, z->in, z->in_cap);
		if (k < 0)
			return -1;
		z->ib = (ZSTD_inBuffer){ z->in, (size_t)k, 0 };
		if (k == 0) {
			z->eof = true;
			if (z->in_frame)
				snprintf(z->cut, sizeof(z->cut),
					 "cut short inside compressed frame %llu (at byte %llu of the file, which ends at "
					 "byte %llu)",
					 (unsigned long long)z->frame_no, (unsigned long long)z->frame_at,
					 (unsigned long long)z->read_bytes);
			return 0;
		}
	}
}

static int zr_close(void *cookie)
{
	struct zf_reader *z = cookie;
	int r = close(z->fd);
	ZSTD_freeDCtx(z->dctx);
	free(z->in);
	free(z);
	return r;
}

FILE *zf_fdopen(int fd, struct zf_reader **zr)
{
	struct zf_reader *z = calloc(1, sizeof(*z));
	if (!z) {
		errno = ENOMEM;
		return NULL;
	}
	z->fd = fd;
	z->in_cap = ZSTD_DStreamInSize();
	z->in = malloc(z->in_cap);
	if (!z->in) {
		free(z);
		errno = ENOMEM;
		return NULL;
	}
	cookie_io_functions_t io = { .read = zr_read, .close = zr_close };
	FILE *f = fopencookie(z, "rb", io);
	if (!f) {
		int e = errno;
		free(z->in);
		free(z);
		errno = e;
		return NULL;
	}
	*zr = z;
	return f;
}

bool zf_reader_compressed(const struct zf_reader *zr)
{
	return zr && zr->compressed;
}

const char *zf_reader_failed(const struct zf_reader *zr)
{
	return zr && zr->failed[0] ? zr->failed : NULL;
}

const char *zf_reader_cut(const struct zf_reader *zr)
{
	return zr && zr->cut[0] ? zr->cut : NULL;
}

#define ZF_FILE_FRAME (1u << 20)

/* A varint at *pos of `d` (n bytes); false if it runs past the end. */
static bool get_varint(const uint8_t *d, size_t n, size_t *pos, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; *pos < n && shift <= 63; shift += 7) {
		uint8_t b = d[(*pos)++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* The end of the top-level field (a record) at `pos` of the plain bytes
 * `d` (n of them); 0 if it does not end within them. */
static size_t field_end(const uint8_t *d, size_t n, size_t pos)
{
	uint64_t tag, v;
	if (!get_varint(d, n, &pos, &tag) || !get_varint(d, n, &pos, &v))
		return 0;
	if ((tag & 7) == 0)
		return pos;
	if ((tag & 7) != 2)
		return 0;
	return v <= n - pos ? pos + v : 0;
}

int zf_compress_file(const char *path, int level)
{
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	struct stat st;
	char *tmp = NULL;
	uint8_t *buf = NULL;
	struct zf_writer *z = NULL;
	int out = -1, e = 0;
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		e = S_ISREG(st.st_mode) ? -errno : -EINVAL;
		goto out;
	}
	size_t len = strlen(path) + sizeof(".zst-XXXXXX");
	if (!(tmp = malloc(len)) || !(buf = malloc(ZF_FILE_FRAME))) {
		e = -ENOMEM;
		goto out;
	}
	snprintf(tmp, len, "%s.zst-XXXXXX", path);
	out = mkostemp(tmp, O_CLOEXEC);
	if (out < 0) {
		e = -errno;
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(out, st.st_mode & 07777) < 0 || !(z = zf_writer_new(out, level))) {
		e = -errno;
		goto out;
	}
	/* As record compresses as it goes: the header alone in the first
	 * frame (a cut file still says what it recorded), then frames of the
	 * whole records that fit in ZF_FILE_FRAME bytes (a bigger record is
	 * cut: a frame need not end with a record). */
	for (off_t pos = 0;; ) {
		size_t got = 0;
		while (got < ZF_FILE_FRAME) {
			ssize_t k = pread(in, buf + got, ZF_FILE_FRAME - got, pos + (off_t)got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				e = -errno;
				goto out;
			}
			if (k == 0)
				break;
			got += (size_t)k;
		}
		if (!got)
			break;
		size_t cut = 0;
		for (size_t q = 0, end; (end = field_end(buf, got, q)) != 0; q = end) {
			cut = end;
			if (!pos)
				break;
		}
		if (!cut)
			cut = got;
		if ((e = zf_write_frame(z, buf, cut, NULL, 0)) < 0)
			goto out;
		pos += (off_t)cut;
	}
	if (close(out) < 0) {
		out = -1;
		e = -errno;
		goto out;
	}
	out = -1;
	if (rename(tmp, path) < 0)
		e = -errno;
out:
	if (out >= 0)
		close(out);
	if (e && tmp)
		unlink(tmp);
	zf_writer_free(z);
	free(tmp);
	free(buf);
	close(in);
	return e;
}
