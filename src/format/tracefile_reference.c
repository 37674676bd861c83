/* The reference encoder: sp_event -> generated structs -> protobuf-c.
 * Files are not written with it: it is the oracle that
 * tests/unit/test_encoder.c holds the direct encoder of tracefile_write.c to,
 * byte for byte. */
#include "format/tracefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sperrips.pb-c.h"

/* ---------------------------------------------------------------------- */
/* The reference encoder: sp_event -> generated structs -> protobuf-c.     */
/* Not used for writing files any more: it is the oracle that             */
/* tests/unit/test_encoder.c holds the direct encoder below to.            */
/* ---------------------------------------------------------------------- */

static ProtobufCBinaryData bin(struct sp_bytes b)
{
	return (ProtobufCBinaryData){ b.len, (uint8_t *)b.data };
}

/* One Argument plus what hangs off it, laid out without heap allocation. */
struct pb_arg {
	Msc__Argument a;
	Msc__Related rel;
	Msc__StructMsghdr msg;
	Msc__StructIovec iov0;
};

static void fill_arg(struct arena *scratch, struct pb_arg *p, const struct sp_arg *s)
{
	msc__argument__init(&p->a);
	p->a.type = (Msc__ArgumentType)s->kind;
	p->a.int64 = s->value;
	p->a.ptr = s->ptr;
	p->a.unreadable = (s->flags & SP_UNREADABLE) != 0;
	p->a.full_length = (s->flags & SP_TRUNCATED) ? s->full_len : 0;
	if (s->flags & SP_SAME_AS_ENTRY) {
		/* The bytes are in the entry copy; store them once. */
		p->a.same_as_entry = 1;
		return;
	}
	if (s->flags & SP_HAS_BUF)
		p->a.buffer = bin(s->buf);
	if (s->kind == K_STRUCT_MSGHDR) {
		msc__related__init(&p->rel);
		msc__struct_msghdr__init(&p->msg);
		p->msg.msg_name = bin(s->name);
		p->msg.msg_control = bin(s->control);
		if (s->n_items) {
			/* The prototype's reader sees the first iovec; ours all. */
			msc__struct_iovec__init(&p->iov0);
			p->iov0.iov_data = bin(s->items[0]);
			p->msg.iovec = &p->iov0;
			p->msg.n_iov = s->n_items;
			p->msg.iov = arena_alloc(scratch, s->n_items * sizeof(ProtobufCBinaryData));
			if (!p->msg.iov) {
				p->msg.n_iov = 0;
			} else {
				for (uint32_t i = 0; i < s->n_items; i++)
					p->msg.iov[i] = bin(s->items[i]);
			}
		}
		p->rel.msghdr = &p->msg;
		p->a.related = &p->rel;
	} else if (s->n_items) {
		p->a.items = arena_alloc(scratch, s->n_items * sizeof(ProtobufCBinaryData));
		if (p->a.items) {
			p->a.n_items = s->n_items;
			for (uint32_t i = 0; i < s->n_items; i++)
				p->a.items[i] = bin(s->items[i]);
		}
	}
}

/* A Syscall message and its parts, on the caller's stack. */
struct pb_syscall {
	Msc__Syscall sc;
	Msc__ArgumentList entry, exit;
	struct pb_arg args[2 * SP_MAX_ARGS + 1];
	Msc__Argument *entry_ptrs[SP_MAX_ARGS], *exit_ptrs[SP_MAX_ARGS];
	Msc__Difference diffs[SP_MAX_DIFFS];
	Msc__Difference *diff_ptrs[SP_MAX_DIFFS];
};

static void fill_syscall(struct arena *scratch, struct pb_syscall *p, const struct sp_event *ev)
{
	msc__syscall__init(&p->sc);
	msc__argument_list__init(&p->entry);
	msc__argument_list__init(&p->exit);
	p->sc.type = (Msc__SyscallOpcode)ev->nr;
	p->sc.tid = ev->tid;
	p->sc.isexitcall = ev->is_exit_call;
	p->sc.unfinished = ev->unfinished;
	p->sc.seq = ev->seq;
	p->sc.seq_exit = ev->seq_exit;
	int n = ev->nargs > SP_MAX_ARGS ? SP_MAX_ARGS : ev->nargs;
	for (int i = 0; i < n; i++) {
		fill_arg(scratch, &p->args[i], &ev->entry[i]);
		p->entry_ptrs[i] = &p->args[i].a;
	}
	p->entry.n_args = (size_t)n;
	p->entry.args = p->entry_ptrs;
	p->sc.args_on_entry = &p->entry;
	if (ev->returned || ev->is_exit_call) {
		/* exit_group has no exit stop; the prototype still repeated the
		 * arguments, and so do we. */
		const struct sp_arg *ex = ev->returned ? ev->exit : ev->entry;
		for (int i = 0; i < n; i++) {
			fill_arg(scratch, &p->args[SP_MAX_ARGS + i], &ex[i]);
			p->exit_ptrs[i] = &p->args[SP_MAX_ARGS + i].a;
		}
		p->exit.n_args = (size_t)n;
		p->exit.args = p->exit_ptrs;
		p->sc.args_on_exit = &p->exit;
	}
	if (ev->returned) {
		fill_arg(scratch, &p->args[2 * SP_MAX_ARGS], &ev->ret);
		p->sc.return_value = &p->args[2 * SP_MAX_ARGS].a;
	}
	int nd = ev->n_diffs > SP_MAX_DIFFS ? SP_MAX_DIFFS : ev->n_diffs;
	for (int i = 0; i < nd; i++) {
		const struct sp_diff *d = &ev->diffs[i];
		Msc__Difference *m = &p->diffs[i];
		msc__difference__init(m);
		m->arg = d->arg;
		m->at_exit = d->at_exit;
		m->field = (char *)(d->field ? d->field : "");
		m->flag = d->flag;
		m->klass = d->klass;
		m->offset = d->offset;
		m->replayed = d->replayed;
		p->diff_ptrs[i] = m;
	}
	p->sc.n_difference = (size_t)nd;
	p->sc.difference = p->diff_ptrs;
	p->sc.map_path = (char *)(ev->map_path ? ev->map_path : "");
	p->sc.map_page_sha256 = (ProtobufCBinaryData){ ev->map_digests.len, (uint8_t *)ev->map_digests.data };
	p->sc.map_length = ev->map_len;
}

/* `m` packed by protobuf-c behind its top-level tag and length, in malloc'd
 * memory. */
static int pack_reference(const ProtobufCMessage *m, uint8_t **out, size_t *len)
{
	size_t size = protobuf_c_message_get_packed_size(m);
	uint8_t *b = malloc(size + 11);
	if (!b)
		return -ENOMEM;
	size_t h = 0;
	b[h++] = TAG_ITEM;
	uint64_t v = size;
	do {
		b[h] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[h] |= 0x80;
		h++;
	} while (v);
	*len = h + protobuf_c_message_pack(m, b + h);
	*out = b;
	return 0;
}

int tf_encode_event_reference(const struct sp_event *ev, uint8_t **out, size_t *len)
{
	struct arena scratch;
	arena_init(&scratch, 0);
	struct pb_syscall p;
	fill_syscall(&scratch, &p, ev);
	int r = pack_reference(&p.sc.base, out, len);
	arena_free(&scratch);
	return r;
}

int tf_encode_pair_reference(const struct sp_event *rec, const struct sp_event *rep,
			     uint64_t index, uint8_t **out, size_t *len)
{
	struct arena scratch;
	arena_init(&scratch, 0);
	struct pb_syscall *a = malloc(2 * sizeof(*a));
	if (!a)
		return -ENOMEM;
	Msc__DiffPair pair;
	msc__diff_pair__init(&pair);
	if (rec) {
		fill_syscall(&scratch, &a[0], rec);
		pair.recorded = &a[0].sc;
	}
	if (rep) {
		fill_syscall(&scratch, &a[1], rep);
		pair.replayed = &a[1].sc;
	}
	pair.index = index;
	int r = pack_reference(&pair.base, out, len);
	free(a);
	arena_free(&scratch);
	return r;
}

