/* The syscall table: numbers and names from numbers_x86_64.h (our own data,
 * not the build machine's headers), argument shapes from x86_64.h, and the
 * few variant rows where one argument decides what another one points to. */
#include "table.h"
#include "structs.h"

#include <linux/audit.h>
#include <stdio.h>
#include <string.h>

/* SC_NR_read = 0, ...: the numbers the rows are indexed by. */
enum {
#define NR(n, nm) SC_NR_##nm = (n),
#define NRK(n, nm, k) SC_NR_##nm = (n),
#define X32(n, nm)
#include "numbers_x86_64.h"
#undef NR
#undef NRK
#undef X32
};

struct sc_names {
	const char *name, *ksym;
};

static const struct sc_names names[] = {
#define NR(n, nm) [n] = { #nm, #nm },
#define NRK(n, nm, k) [n] = { #nm, #k },
#define X32(n, nm) [n] = { "x32_" #nm, NULL },
#include "numbers_x86_64.h"
#undef NR
#undef NRK
#undef X32
};

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
#define HEX32                    SCALAR(K_INT, F_HEX)
#define ULONG                    SCALAR(K_LONG, F_UNSIGNED)
#define ROLE(k, f, r)            { .kind = (k), .fmt = (f), .role = (r) }
#define PID                      ROLE(K_PID_T, F_DEC, R_PID)
#define TID                      ROLE(K_PID_T, F_DEC, R_TID)
#define PGID                     ROLE(K_PID_T, F_DEC, R_PGID)
#define PIDFD                    ROLE(K_INT, F_FD, R_PIDFD)
#define IPC_ID                   ROLE(K_INT, F_DEC, R_IPC_ID)
#define KEY_SERIAL               ROLE(K_INT, F_KEY_SERIAL, R_KEY_SERIAL)
#define TIMER_ID                 ROLE(K_INT, F_DEC, R_TIMER_ID)
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

/* Structs without a wire kind of their own: bytes, described by sc_struct. */
#define STP(k, d, s, r, len, st_) { .kind = (k), .dir = (d), .size = (s), .ref = (r), .n = (len), .fmt = F_PTR, .st = (st_) }
#define IN_ST(st, n)             STP(K_VOID_PTR_FOLLOW, D_IN, S_FIXED, 0, n, st)
#define OUT_ST(st, n)            STP(K_OUT_BUFFER, D_OUT, S_FIXED, 0, n, st)
#define INOUT_ST(st, n)          STP(K_OUT_BUFFER, D_INOUT, S_FIXED, 0, n, st)
#define IN_ST_ARG(st, r)         STP(K_VOID_PTR_FOLLOW, D_IN, S_ARG, r, 1, st)
#define OUT_ST_ARG(st, r)        STP(K_OUT_BUFFER, D_OUT, S_ARG, r, 1, st)
#define INOUT_ST_ARG(st, r)      STP(K_OUT_BUFFER, D_INOUT, S_ARG, r, 1, st)
#define IN_ST_ARRAY(st, r, n)    STP(K_VOID_PTR_FOLLOW, D_IN, S_ARG, r, n, st)
#define OUT_ST_RET(st, r, n)     STP(K_OUT_BUFFER, D_OUT, S_RET, r, n, st)
#define IN_ST_PLUS(st, r, n)     STP(K_VOID_PTR_FOLLOW, D_IN, S_ARG_PLUS, r, n, st)
#define OUT_ST_RET_PLUS(st, r, n) STP(K_OUT_BUFFER, D_OUT, S_RET_PLUS, r, n, st)
#define OUT_ARRAY(k, r, n)       PTR(k, D_OUT, S_ARG, r, n)
/* An int the kernel writes (timer_create's id, get_mempolicy's mode). */
#define OUT_ID(rl)               { .kind = K_OUT_BUFFER, .dir = D_OUT, .size = S_FIXED, .n = 4, .fmt = F_PTR, .st = ST_INT, .role = (rl) }
#define OUT_INT_FMT(f)           { .kind = K_OUT_BUFFER, .dir = D_OUT, .size = S_FIXED, .n = 4, .fmt = (f), .st = ST_INT }
/* Structs that are, or hold, kernel-assigned identifiers. */
#define ROLE_ST(d, st_, len, rl) { .kind = D_##d == D_IN ? K_VOID_PTR_FOLLOW : K_OUT_BUFFER, .dir = D_##d, \
				  .size = S_FIXED, .n = (len), .fmt = F_PTR, .st = (st_), .role = (rl) }
#define ROLE_RET(st_, r, len, rl) { .kind = K_OUT_BUFFER, .dir = D_OUT, .size = S_RET, .ref = (r), .n = (len), \
				    .fmt = F_PTR, .st = (st_), .role = (rl) }
/* A u32 length in and out, and the buffer it sizes (lsm_get_self_attr). */
#define U32_PTR                  SOCKLEN_PTR
#define U32_OUT(r, st_)          STP(K_OUT_BUFFER, D_OUT, S_SOCKLEN, r, 0, st_)
/* Captured and compared, but shown as an address as strace does. */
#define IN_ARG_ADDR(r, k)        { .kind = (k), .dir = D_IN, .size = S_ARG, .ref = (r), .n = 1, .fmt = F_PTR_ONLY }
/* Times the kernel writes back (R_TIME_BACK). */
#define TB_OUT(k, len)           { .kind = (k), .dir = D_OUT, .size = S_FIXED, .n = (len), .fmt = F_PTR, .role = R_TIME_BACK }
#define TB_INOUT(k, len)         { .kind = (k), .dir = D_INOUT, .size = S_FIXED, .n = (len), .fmt = F_PTR, .role = R_TIME_BACK }

/* The "0 + ..." keeps the commas of empty argument lists legal. */
#define ROW(nm, n, fl, rf, ...) \
	[SC_NR_##nm] = { .name = #nm, .nargs = (n), .flags = (fl) | SC_TYPED, .ret_fmt = (rf), .args = { __VA_ARGS__ } },
/* A row whose return value has a role (getpid, msgget, add_key ...). */
#define ROWR(nm, n, fl, rf, rr, ...) \
	[SC_NR_##nm] = { .name = #nm, .nargs = (n), .flags = (fl) | SC_TYPED, .ret_fmt = (rf), .ret_role = (rr), \
			 .args = { __VA_ARGS__ } },

static const struct sc_desc *fcntl_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *ioctl_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *prctl_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *keyctl_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *bpf_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *mremap_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *mq_open_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *setsockopt_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *socket_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *futex_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *getsockopt_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *mknod_variant(const struct sc_desc *, const uint64_t[6]);
static const struct sc_desc *mknodat_variant(const struct sc_desc *, const uint64_t[6]);

static struct sc_desc rows[] = {
#include "x86_64.h"
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* Variant rows: the same syscall with other argument shapes. */
static const struct sc_desc fcntl_lock = { "fcntl", 3, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_FCNTL_CMD), INOUT_STRUCT(K_STRUCT_FLOCK, 32) }, NULL };
static const struct sc_desc fcntl_setlock = { "fcntl", 3, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_FCNTL_CMD), IN_STRUCT(K_STRUCT_FLOCK, 32) }, NULL };
static const struct sc_desc fcntl_getown = { "fcntl", 3, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_FCNTL_CMD), OUT_STRUCT(K_STRUCT_F_OWNER_EX, 8) }, NULL };
static const struct sc_desc fcntl_setown = { "fcntl", 3, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_FCNTL_CMD), IN_STRUCT(K_STRUCT_F_OWNER_EX, 8) }, NULL };
static const struct sc_desc fcntl_dupfd = { "fcntl", 3, SC_TYPED, F_FD, R_NONE, { FD, FLAGS(F_FCNTL_CMD), FD }, NULL };
static const struct sc_desc fcntl_flags = { "fcntl", 3, SC_TYPED, F_OPEN_FLAGS, R_NONE, { FD, FLAGS(F_FCNTL_CMD), FLAGS(F_OPEN_FLAGS) }, NULL };
static const struct sc_desc fcntl_getfl = { "fcntl", 2, SC_TYPED, F_OPEN_FLAGS, R_NONE, { FD, FLAGS(F_FCNTL_CMD) }, NULL };
static const struct sc_desc fcntl_setfd = { "fcntl", 3, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_FCNTL_CMD), FLAGS(F_FD_FLAGS) }, NULL };
static const struct sc_desc fcntl_getfd = { "fcntl", 2, SC_TYPED, F_FD_FLAGS, R_NONE, { FD, FLAGS(F_FCNTL_CMD) }, NULL };
static const struct sc_desc fcntl_noarg = { "fcntl", 2, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_FCNTL_CMD) }, NULL };
static const struct sc_desc fcntl_setown_pid = { "fcntl", 3, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_FCNTL_CMD), PID }, NULL };
static const struct sc_desc fcntl_getown_pid = { "fcntl", 2, SC_TYPED, F_DEC, R_PID, { FD, FLAGS(F_FCNTL_CMD) }, NULL };

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
	case 2:                             /* F_SETFD */
		return &fcntl_setfd;
	case 3:                             /* F_GETFL: no third argument */
		return &fcntl_getfl;
	case 4:                             /* F_SETFL */
		return &fcntl_flags;
	case 1:                             /* F_GETFD: = 0x1 (flags FD_CLOEXEC) */
		return &fcntl_getfd;
	case 11: case 1025: case 1032: case 1034: /* F_GETSIG, F_GETLEASE, F_GETPIPE_SZ, F_GET_SEALS */
		return &fcntl_noarg;
	case 8:                             /* F_SETOWN: a pid, or -pgid */
		return &fcntl_setown_pid;
	case 9:                             /* F_GETOWN */
		return &fcntl_getown_pid;
	}
	return d;
}

#define IOCTL_ROW(dir_struct) \
	{ "ioctl", 3, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_IOCTL_REQ), dir_struct }, NULL }
static const struct sc_desc ioctl_termios_out = IOCTL_ROW(OUT_STRUCT(K_STRUCT_TERMIOS, 36));
static const struct sc_desc ioctl_termios_in = IOCTL_ROW(IN_STRUCT(K_STRUCT_TERMIOS, 36));
static const struct sc_desc ioctl_winsize_out = IOCTL_ROW(OUT_STRUCT(K_STRUCT_WINSIZE, 8));
static const struct sc_desc ioctl_winsize_in = IOCTL_ROW(IN_STRUCT(K_STRUCT_WINSIZE, 8));
static const struct sc_desc ioctl_int_out = IOCTL_ROW(OUT_STRUCT(K_UINT64_PTR, 4));
static const struct sc_desc ioctl_int_in = IOCTL_ROW(IN_STRUCT(K_UINT64_PTR, 4));
static const struct sc_desc ioctl_ifreq = IOCTL_ROW(INOUT_STRUCT(K_STRUCT_IFREQ, 40));
/* An int that is a process group or owner (TIOC[GS]PGRP, SIOC[GS]PGRP, FIO[GS]ETOWN). */
static const struct sc_desc ioctl_pgrp_out = IOCTL_ROW(OUT_ID(R_PGID));
static const struct sc_desc ioctl_pgrp_in = IOCTL_ROW(STP(K_VOID_PTR_FOLLOW, D_IN, S_FIXED, 0, 4, ST_INT));
static const struct sc_desc ioctl_noarg = { "ioctl", 2, SC_TYPED, F_DEC, R_NONE, { FD, FLAGS(F_IOCTL_REQ) }, NULL };

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
	case 0x541b: case 0x5411: case 0x8905: /* FIONREAD, TIOCOUTQ, SIOCATMARK */
	case 0x80045430: case 0x5424:       /* TIOCGPTN, TIOCGETD */
	case 0x80086601: case 0x80087601:   /* FS_IOC_GETFLAGS, FS_IOC_GETVERSION */
	case 0x80046601: case 0x80047601:   /* their 32-bit forms */
		return &ioctl_int_out;
	case 0x5421: case 0x5452:           /* FIONBIO, FIOASYNC */
	case 0x40045431: case 0x5423:       /* TIOCSPTLCK, TIOCSETD */
	case 0x40086602: case 0x40087602:   /* FS_IOC_SETFLAGS, FS_IOC_SETVERSION */
	case 0x40046602: case 0x40047602:   /* their 32-bit forms */
		return &ioctl_int_in;
	case 0x5429:                        /* TIOCGSID: a session id */
		return &ioctl_pgrp_out;
	case 0x540f: case 0x8904: case 0x8903: /* TIOCGPGRP, SIOCGPGRP, FIOGETOWN */
		return &ioctl_pgrp_out;
	case 0x5410: case 0x8902: case 0x8901: /* TIOCSPGRP, SIOCSPGRP, FIOSETOWN */
		return &ioctl_pgrp_in;
	case 0x5451: case 0x5450: case 0x5422: /* FIOCLEX, FIONCLEX, TIOCNOTTY */
		return &ioctl_noarg;
	}
	if (req >= 0x8910 && req <= 0x8950)  /* SIOCGIF* / SIOCSIF*: struct ifreq */
		return &ioctl_ifreq;
	return d;
}

/* strace shows only the arguments an option uses; the kernel ignores the rest. */
static const struct sc_desc prctl_set_name = { "prctl", 2, SC_TYPED, F_DEC, R_NONE, { FLAGS(F_PRCTL), STR }, NULL };
static const struct sc_desc prctl_get_name = { "prctl", 2, SC_TYPED, F_DEC, R_NONE, { FLAGS(F_PRCTL), OUT_STRUCT(K_OUT_BUFFER, 16) }, NULL };

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

/* keyctl: the operation decides what the other arguments are. */
#define KEYCTL_ROW(n, rr, ...) { "keyctl", n, SC_TYPED, F_DEC, rr, { FLAGS(F_KEYCTL), __VA_ARGS__ }, NULL }
static const struct sc_desc keyctl_get_id = KEYCTL_ROW(3, R_KEY_SERIAL, KEY_SERIAL, INT);
static const struct sc_desc keyctl_join = KEYCTL_ROW(2, R_KEY_SERIAL, STR);
static const struct sc_desc keyctl_update = KEYCTL_ROW(4, R_NONE, KEY_SERIAL, IN_ARG(3, K_VOID_PTR_FOLLOW), SIZE);
static const struct sc_desc keyctl_one = KEYCTL_ROW(2, R_NONE, KEY_SERIAL);
static const struct sc_desc keyctl_chown = KEYCTL_ROW(4, R_NONE, KEY_SERIAL, UID, UID);
static const struct sc_desc keyctl_setperm = KEYCTL_ROW(3, R_NONE, KEY_SERIAL, HEX32);
static const struct sc_desc keyctl_read = KEYCTL_ROW(4, R_NONE, KEY_SERIAL, OUT_RET(3), SIZE);
static const struct sc_desc keyctl_two = KEYCTL_ROW(3, R_NONE, KEY_SERIAL, KEY_SERIAL);
static const struct sc_desc keyctl_search = KEYCTL_ROW(5, R_KEY_SERIAL, KEY_SERIAL, STR, STR, KEY_SERIAL);
static const struct sc_desc keyctl_timeout = KEYCTL_ROW(3, R_NONE, KEY_SERIAL, UNSIGNED);
static const struct sc_desc keyctl_reqkey = KEYCTL_ROW(2, R_NONE, INT);

static const struct sc_desc *keyctl_variant(const struct sc_desc *d, const uint64_t a[6])
{
	switch ((int)a[0]) {
	case 0: return &keyctl_get_id;        /* KEYCTL_GET_KEYRING_ID */
	case 1: return &keyctl_join;          /* KEYCTL_JOIN_SESSION_KEYRING */
	case 2: return &keyctl_update;        /* KEYCTL_UPDATE */
	case 3: case 7: case 21:              /* KEYCTL_REVOKE, KEYCTL_CLEAR, KEYCTL_INVALIDATE */
		return &keyctl_one;
	case 4: return &keyctl_chown;         /* KEYCTL_CHOWN */
	case 5: return &keyctl_setperm;       /* KEYCTL_SETPERM */
	case 6: case 11: case 17:             /* KEYCTL_DESCRIBE, KEYCTL_READ, KEYCTL_GET_SECURITY */
		return &keyctl_read;
	case 8: case 9:                       /* KEYCTL_LINK, KEYCTL_UNLINK */
		return &keyctl_two;
	case 10: return &keyctl_search;       /* KEYCTL_SEARCH */
	case 14: return &keyctl_reqkey;       /* KEYCTL_SET_REQKEY_KEYRING */
	case 15: return &keyctl_timeout;      /* KEYCTL_SET_TIMEOUT */
	}
	return d;
}

/* bpf: BPF_MAP_CREATE's attributes are a struct we name field by field. */
static const struct sc_desc bpf_map_create = { "bpf", 3, SC_TYPED, F_FD, R_NONE,
	{ FLAGS(F_BPF_CMD), IN_ST_ARG(ST_BPF_MAP_CREATE, 2), UNSIGNED }, NULL };

static const struct sc_desc *bpf_variant(const struct sc_desc *d, const uint64_t a[6])
{
	return (int)a[0] == 0 ? &bpf_map_create : d;
}

/* mremap: new_address means something only with MREMAP_FIXED. */
static const struct sc_desc mremap_moving = { "mremap", 4, SC_TYPED | SC_RET_PTR, F_PTR, R_NONE,
	{ ADDR, SIZE, SIZE, FLAGS(F_MREMAP) }, NULL };

static const struct sc_desc *mremap_variant(const struct sc_desc *d, const uint64_t a[6])
{
	return (a[3] & 2) ? d : &mremap_moving;
}

/* setsockopt, getsockopt: the option's name depends on its level; an int
 * value is shown as [1] when its length is an int's. */
#define SOCKOPT_VAL_IN  STP(K_VOID_PTR_FOLLOW, D_IN, S_ARG, 4, 1, ST_INT)
#define SOCKOPT_VAL_OUT STP(K_VOID_PTR_FOLLOW, D_OUT, S_SOCKLEN, 4, 0, ST_INT)
#define SETSOCKOPT(f) { "setsockopt", 5, SC_TYPED, F_DEC, R_NONE, \
	{ FD, FLAGS(F_SOCKOPT_LEVEL), FLAGS(f), SOCKOPT_VAL_IN, SOCKLEN }, NULL }
#define GETSOCKOPT(f) { "getsockopt", 5, SC_TYPED, F_DEC, R_NONE, \
	{ FD, FLAGS(F_SOCKOPT_LEVEL), FLAGS(f), SOCKOPT_VAL_OUT, SOCKLEN_PTR }, NULL }
static const struct sc_desc setsockopt_rows[] = { SETSOCKOPT(F_IP_OPT), SETSOCKOPT(F_SO_NAME), SETSOCKOPT(F_TCP_OPT) };
static const struct sc_desc getsockopt_rows[] = { GETSOCKOPT(F_IP_OPT), GETSOCKOPT(F_SO_NAME), GETSOCKOPT(F_TCP_OPT) };

static int sockopt_level(uint64_t level)
{
	switch ((int)level) {
	case 0: return 0;   /* SOL_IP */
	case 1: return 1;   /* SOL_SOCKET */
	case 6: return 2;   /* SOL_TCP */
	}
	return -1;
}

static const struct sc_desc *setsockopt_variant(const struct sc_desc *d, const uint64_t a[6])
{
	int l = sockopt_level(a[1]);
	return l < 0 ? d : &setsockopt_rows[l];
}

static const struct sc_desc *getsockopt_variant(const struct sc_desc *d, const uint64_t a[6])
{
	int l = sockopt_level(a[1]);
	return l < 0 ? d : &getsockopt_rows[l];
}

/* socket: for AF_INET and AF_INET6 the protocol is an IPPROTO_*. */
static const struct sc_desc socket_inet = { "socket", 3, SC_TYPED, F_FD, R_NONE,
	{ FLAGS(F_SOCK_DOMAIN), FLAGS(F_SOCK_TYPE), FLAGS(F_IPPROTO) }, NULL };

static const struct sc_desc *socket_variant(const struct sc_desc *d, const uint64_t a[6])
{
	return ((int)a[0] == 2 || (int)a[0] == 10) ? &socket_inet : d;
}

/* futex: FUTEX_WAKE uses three arguments, FUTEX_WAIT four; strace shows
 * only those (the others are whatever the registers held). */
static const struct sc_desc futex_wake = { "futex", 3, SC_TYPED, F_DEC, R_NONE,
	{ ADDR, FLAGS(F_FUTEX_OP), UNSIGNED }, NULL };
static const struct sc_desc futex_wait = { "futex", 4, SC_TYPED, F_DEC, R_NONE,
	{ ADDR, FLAGS(F_FUTEX_OP), UNSIGNED, IN_STRUCT(K_STRUCT_TIMESPEC, 16) }, NULL };

static const struct sc_desc *futex_variant(const struct sc_desc *d, const uint64_t a[6])
{
	switch (a[1] & 127) {
	case 0: return &futex_wait;         /* FUTEX_WAIT */
	case 1: return &futex_wake;         /* FUTEX_WAKE */
	}
	return d;
}

/* mq_open: mode and attributes only with O_CREAT. */
static const struct sc_desc mq_open_plain = { "mq_open", 2, SC_TYPED, F_FD, R_NONE,
	{ STR, FLAGS(F_OPEN_FLAGS) }, NULL };

static const struct sc_desc *mq_open_variant(const struct sc_desc *d, const uint64_t a[6])
{
	return (a[1] & 0100) ? d : &mq_open_plain;
}

/* mknod, mknodat: the device number only for a device node. */
static bool is_device(uint64_t mode)
{
	return (mode & 0170000) == 0020000 || (mode & 0170000) == 0060000;
}

static const struct sc_desc mknod_plain = { "mknod", 2, SC_TYPED, F_DEC, R_NONE,
	{ STR, SCALAR(K_MODE_T, F_MKNOD_MODE) }, NULL };
static const struct sc_desc mknodat_plain = { "mknodat", 3, SC_TYPED, F_DEC, R_NONE,
	{ DIRFD, STR, SCALAR(K_MODE_T, F_MKNOD_MODE) }, NULL };

static const struct sc_desc *mknod_variant(const struct sc_desc *d, const uint64_t a[6])
{
	return is_device(a[1]) ? d : &mknod_plain;
}

static const struct sc_desc *mknodat_variant(const struct sc_desc *d, const uint64_t a[6])
{
	return is_device(a[2]) ? d : &mknodat_plain;
}

/* Rows for syscalls without a typed description: name and six raw registers. */
#define RAW_ARG SCALAR(K_RAW, F_HEX)
static struct sc_desc untyped[NNAMES];
static struct sc_desc unknown_row, i386_row;
static char untyped_names[NNAMES][20];

static void table_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	rows[SC_NR_fcntl].variant = fcntl_variant;
	rows[SC_NR_ioctl].variant = ioctl_variant;
	rows[SC_NR_prctl].variant = prctl_variant;
	rows[SC_NR_keyctl].variant = keyctl_variant;
	rows[SC_NR_bpf].variant = bpf_variant;
	rows[SC_NR_mremap].variant = mremap_variant;
	rows[SC_NR_mq_open].variant = mq_open_variant;
	rows[SC_NR_setsockopt].variant = setsockopt_variant;
	rows[SC_NR_socket].variant = socket_variant;
	rows[SC_NR_futex].variant = futex_variant;
	rows[SC_NR_getsockopt].variant = getsockopt_variant;
	rows[SC_NR_mknod].variant = mknod_variant;
	rows[SC_NR_mknodat].variant = mknodat_variant;
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
	i386_row = untyped[0];
	i386_row.name = "syscall_i386";
}

uint32_t sc_nr_for_arch(uint32_t audit_arch, uint64_t nr)
{
	if (audit_arch == AUDIT_ARCH_X86_64)
		return (uint32_t)nr;
	/* i386 numbers are small; anything else cannot be one of ours. */
	return SC_NR_I386 | ((uint32_t)nr & ~SC_NR_I386);
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
	if (nr & SC_NR_I386)
		return &i386_row;
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
	return nr < NNAMES ? names[nr].name : NULL;
}

const char *sc_kernel_name(uint32_t nr)
{
	return nr < NNAMES ? names[nr].ksym : NULL;
}

int sc_number(const char *name)
{
	for (uint32_t nr = 0; nr < NNAMES; nr++)
		if (names[nr].name && strcmp(names[nr].name, name) == 0)
			return (int)nr;
	return -1;
}

int sc_number_kernel(const char *ksym)
{
	for (uint32_t nr = 0; nr < NNAMES; nr++)
		if (names[nr].ksym && strcmp(names[nr].ksym, ksym) == 0)
			return (int)nr;
	return -1;
}

uint64_t sc_arg_value(const struct sc_arg *d, uint64_t reg)
{
	switch (d->kind) {
	case K_INT: case K_SIGNED_INT: case K_UID_T: case K_PID_T: case K_SOCKLEN_T:
		return (uint32_t)reg;
	case K_MODE_T:
		return (uint16_t)reg; /* umode_t */
	}
	return reg;
}

uint64_t sc_arg_length(const struct sc_arg *d, uint64_t reg)
{
	uint64_t v = sc_arg_value(d, reg);
	bool is_signed = (d->kind == K_INT && d->fmt != F_UNSIGNED && d->fmt != F_HEX) ||
			 d->kind == K_SOCKLEN_T || d->kind == K_SIGNED_INT;
	if (is_signed && (int32_t)v < 0)
		return 0;
	return v;
}

uint32_t sc_count(void)
{
	return NNAMES;
}
