/* The syscall table: names generated from the kernel headers (build/),
 * argument shapes from x86_64.h, and the few variant rows where one argument
 * decides what another one points to. */
#include "table.h"

#include <stdio.h>
#include <string.h>

#include "sc_names.h" /* generated: sc_generated_names[] */

/* Argument shapes, so that a row in x86_64.h reads like a prototype. */
#define SCALAR(k, f)             { .kind = (k), .fmt = (f) }
#define FD                       SCALAR(K_INT, F_FD)
#define DIRFD                    SCALAR(K_INT, F_DIRFD)
#define INT                      SCALAR(K_INT, F_DEC)
#define UNSIGNED                 SCALAR(K_INT, F_UNSIGNED)
#define HEX                      SCALAR(K_LONG, F_HEX)
#define LONG                     SCALAR(K_LONG, F_DEC)
#define SIZE                     SCALAR(K_SIZE_T, F_DEC)
#define OFFT                     SCALAR(K_OFF_T, F_DEC)
#define MODE                     SCALAR(K_MODE_T, F_MODE)
#define UID                      SCALAR(K_UID_T, F_DEC)
#define PID                      SCALAR(K_PID_T, F_DEC)
#define SOCKLEN                  SCALAR(K_SOCKLEN_T, F_DEC)
#define ADDR                     SCALAR(K_VOID_ADDR, F_PTR)
#define FLAGS(f)                 SCALAR(K_INT, f)
#define PTR(k, d, s, r, len)     { .kind = (k), .dir = (d), .size = (s), .ref = (r), .n = (len), .fmt = F_PTR }
#define STR                      PTR(K_CHAR_PTR, D_IN, S_STR, 0, 0)
#define STRV                     PTR(K_STRING_ARRAY, D_IN, S_STRV, 0, 0)
#define OUT_RET(r)               PTR(K_OUT_BUFFER, D_OUT, S_RET, r, 1)
#define OUT_RET_TIMES(r, n)      PTR(K_OUT_BUFFER, D_OUT, S_RET, r, n)
#define IN_ARG(r, k)             PTR(k, D_IN, S_ARG, r, 1)
#define OUT_ARG(r, k)            PTR(k, D_OUT, S_ARG, r, 1)
#define IN_ARRAY(k, r, n)        PTR(k, D_IN, S_ARG, r, n)
#define INOUT_ARRAY(k, r, n)     PTR(k, D_INOUT, S_ARG, r, n)
#define IN_STRUCT(k, n)          PTR(k, D_IN, S_FIXED, 0, n)
#define OUT_STRUCT(k, n)         PTR(k, D_OUT, S_FIXED, 0, n)
#define INOUT_STRUCT(k, n)       PTR(k, D_INOUT, S_FIXED, 0, n)
/* int[2] of new descriptors (pipe, socketpair): compared as descriptors. */
#define FD_PAIR_OUT              { .kind = K_INT_ARRAY, .dir = D_OUT, .size = S_FIXED, .n = 8, .fmt = F_FD }
#define SOCKLEN_OUT(r, k)        PTR(k, D_OUT, S_SOCKLEN, r, 0)
#define SOCKADDR_OUT(r)          SOCKLEN_OUT(r, K_STRUCT_SOCKADDR)
#define SOCKLEN_PTR              PTR(K_SOCKLEN_T_PTR, D_INOUT, S_FIXED, 0, 4)
#define IOV_IN(r)                PTR(K_IOVEC_ARRAY, D_IN, S_IOV, r, 0)
#define IOV_RET(r)               PTR(K_IOVEC_ARRAY, D_OUT, S_IOV_RET, r, 0)
#define MSGHDR_IN                PTR(K_STRUCT_MSGHDR, D_IN, S_MSGHDR, 0, 56)
#define MSGHDR_OUT               PTR(K_STRUCT_MSGHDR, D_INOUT, S_MSGHDR_RET, 0, 56)

/* The "0 + ..." keeps the commas of empty argument lists legal. */
#define ROW(nm, n, fl, rf, ...) \
	[__NR_##nm] = { .name = #nm, .nargs = (n), .flags = (fl) | SC_TYPED, .ret_fmt = (rf), .args = { __VA_ARGS__ } },

#include <asm/unistd_64.h>

static const struct sc_desc *fcntl_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *ioctl_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *prctl_variant(const struct sc_desc *, const uint64_t[6]);

static struct sc_desc rows[] = {
#include "x86_64.h"
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))
#define NNAMES (sizeof(sc_generated_names) / sizeof(sc_generated_names[0]))

/* Variant rows: the same syscall with other argument shapes. */
static const struct sc_desc fcntl_lock = { "fcntl", 3, SC_TYPED, F_DEC, { FD, FLAGS(F_FCNTL_CMD), INOUT_STRUCT(K_STRUCT_FLOCK, 32) }, NULL };
static const struct sc_desc fcntl_setlock = { "fcntl", 3, SC_TYPED, F_DEC, { FD, FLAGS(F_FCNTL_CMD), IN_STRUCT(K_STRUCT_FLOCK, 32) }, NULL };
static const struct sc_desc fcntl_getown = { "fcntl", 3, SC_TYPED, F_DEC, { FD, FLAGS(F_FCNTL_CMD), OUT_STRUCT(K_STRUCT_F_OWNER_EX, 8) }, NULL };
static const struct sc_desc fcntl_setown = { "fcntl", 3, SC_TYPED, F_DEC, { FD, FLAGS(F_FCNTL_CMD), IN_STRUCT(K_STRUCT_F_OWNER_EX, 8) }, NULL };
static const struct sc_desc fcntl_dupfd = { "fcntl", 3, SC_TYPED, F_FD, { FD, FLAGS(F_FCNTL_CMD), FD }, NULL };
static const struct sc_desc fcntl_flags = { "fcntl", 3, SC_TYPED, F_OPEN_FLAGS, { FD, FLAGS(F_FCNTL_CMD), FLAGS(F_OPEN_FLAGS) }, NULL };

static const struct sc_desc *fcntl_variant(const struct sc_desc *d, const uint64_t a[6])
{
	switch ((int)a[1]) {
	case 5: case 36:                    /* F_GETLK, F_OFD_GETLK */
		return &fcntl_lock;
	case 6: case 7: case 37: case 38:   /* F_SETLK(W), F_OFD_SETLK(W) */
		return &fcntl_setlock;
	case 16:                            /* F_GETOWN_EX */
		return &fcntl_getown;
	case 15:                            /* F_SETOWN_EX */
		return &fcntl_setown;
	case 0: case 1030:                  /* F_DUPFD, F_DUPFD_CLOEXEC */
		return &fcntl_dupfd;
	case 3: case 4:                     /* F_GETFL, F_SETFL */
		return &fcntl_flags;
	}
	return d;
}

#define IOCTL_ROW(dir_struct) \
	{ "ioctl", 3, SC_TYPED, F_DEC, { FD, FLAGS(F_IOCTL_REQ), dir_struct }, NULL }
static const struct sc_desc ioctl_termios_out = IOCTL_ROW(OUT_STRUCT(K_STRUCT_TERMIOS, 36));
static const struct sc_desc ioctl_termios_in = IOCTL_ROW(IN_STRUCT(K_STRUCT_TERMIOS, 36));
static const struct sc_desc ioctl_winsize_out = IOCTL_ROW(OUT_STRUCT(K_STRUCT_WINSIZE, 8));
static const struct sc_desc ioctl_winsize_in = IOCTL_ROW(IN_STRUCT(K_STRUCT_WINSIZE, 8));
static const struct sc_desc ioctl_int_out = IOCTL_ROW(OUT_STRUCT(K_UINT64_PTR, 4));
static const struct sc_desc ioctl_int_in = IOCTL_ROW(IN_STRUCT(K_UINT64_PTR, 4));
static const struct sc_desc ioctl_ifreq = IOCTL_ROW(INOUT_STRUCT(K_STRUCT_IFREQ, 40));

static const struct sc_desc *ioctl_variant(const struct sc_desc *d, const uint64_t a[6])
{
	uint32_t req = (uint32_t)a[1];
	switch (req) {
	case 0x5401:                        /* TCGETS */
		return &ioctl_termios_out;
	case 0x5402: case 0x5403: case 0x5404: /* TCSETS, TCSETSW, TCSETSF */
		return &ioctl_termios_in;
	case 0x5413:                        /* TIOCGWINSZ */
		return &ioctl_winsize_out;
	case 0x5414:                        /* TIOCSWINSZ */
		return &ioctl_winsize_in;
	case 0x540f: case 0x541b:           /* TIOCGPGRP, FIONREAD */
		return &ioctl_int_out;
	case 0x5410: case 0x5421:           /* TIOCSPGRP, FIONBIO */
		return &ioctl_int_in;
	}
	if (req >= 0x8910 && req <= 0x8950)  /* SIOCGIF* / SIOCSIF*: struct ifreq */
		return &ioctl_ifreq;
	return d;
}

static const struct sc_desc prctl_set_name = { "prctl", 5, SC_TYPED, F_DEC, { FLAGS(F_PRCTL), STR, LONG, LONG, LONG }, NULL };
static const struct sc_desc prctl_get_name = { "prctl", 5, SC_TYPED, F_DEC, { FLAGS(F_PRCTL), OUT_STRUCT(K_OUT_BUFFER, 16), LONG, LONG, LONG }, NULL };

static const struct sc_desc *prctl_variant(const struct sc_desc *d, const uint64_t a[6])
{
	switch ((int)a[0]) {
	case 15:                            /* PR_SET_NAME */
		return &prctl_set_name;
	case 16:                            /* PR_GET_NAME */
		return &prctl_get_name;
	}
	return d;
}

/* Rows for syscalls without a typed description: name and six raw registers. */
#define RAW_ARG SCALAR(K_RAW, F_HEX)
static struct sc_desc untyped[512];
static struct sc_desc unknown_row;
static char untyped_names[512][20];

static void table_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	rows[__NR_fcntl].variant = fcntl_variant;
	rows[__NR_ioctl].variant = ioctl_variant;
	rows[__NR_prctl].variant = prctl_variant;
	for (uint32_t nr = 0; nr < sizeof(untyped) / sizeof(untyped[0]); nr++) {
		struct sc_desc *u = &untyped[nr];
		const char *n = sc_name(nr);
		if (!n) {
			snprintf(untyped_names[nr], sizeof(untyped_names[nr]), "syscall_%u", nr);
			n = untyped_names[nr];
		}
		u->name = n;
		u->nargs = 6;
		u->ret_fmt = F_DEC;
		for (int i = 0; i < 6; i++)
			u->args[i] = (struct sc_arg)RAW_ARG;
	}
	unknown_row = untyped[0];
	unknown_row.name = "syscall_unknown";
}

bool sc_is_typed(uint32_t nr)
{
	return nr < NROWS && (rows[nr].flags & SC_TYPED);
}

const struct sc_desc *sc_lookup(uint32_t nr)
{
	table_init();
	if (sc_is_typed(nr))
		return &rows[nr];
	if (nr < sizeof(untyped) / sizeof(untyped[0]))
		return &untyped[nr];
	/* Numbers beyond the table (x32 bit set, garbage): one shared row. */
	return &unknown_row;
}

const struct sc_desc *sc_resolve(uint32_t nr, const uint64_t args[6])
{
	const struct sc_desc *d = sc_lookup(nr);
	return d->variant ? d->variant(d, args) : d;
}

const char *sc_name(uint32_t nr)
{
	return nr < NNAMES ? sc_generated_names[nr] : NULL;
}

int sc_number(const char *name)
{
	for (uint32_t nr = 0; nr < NNAMES; nr++)
		if (sc_generated_names[nr] && strcmp(sc_generated_names[nr], name) == 0)
			return (int)nr;
	return -1;
}

uint32_t sc_count(void)
{
	return NNAMES;
}
