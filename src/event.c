#include "event.h"

#include <string.h>

static struct sp_bytes copy_bytes(struct arena *a, struct sp_bytes b, int *err)
{
	if (!b.len || !b.data)
		return (struct sp_bytes){ b.len ? NULL : b.data, 0 };
	uint8_t *d = arena_alloc(a, b.len);
	if (!d) {
		*err = -1;
		return (struct sp_bytes){ NULL, 0 };
	}
	memcpy(d, b.data, b.len);
	return (struct sp_bytes){ d, b.len };
}

static void copy_arg(struct arena *a, struct sp_arg *d, const struct sp_arg *s, int *err)
{
	*d = *s;
	d->buf = copy_bytes(a, s->buf, err);
	d->name = copy_bytes(a, s->name, err);
	d->control = copy_bytes(a, s->control, err);
	d->items = NULL;
	if (s->n_items) {
		d->items = arena_alloc(a, s->n_items * sizeof(*d->items));
		if (!d->items) {
			*err = -1;
			d->n_items = 0;
			return;
		}
		for (uint32_t i = 0; i < s->n_items; i++)
			d->items[i] = copy_bytes(a, s->items[i], err);
	}
}

int event_copy(struct sp_event *dst, const struct sp_event *src)
{
	event_reset(dst);
	struct arena *a = dst->arena;
	int err = 0;
	memcpy(dst, src, sizeof(*dst));
	dst->arena = a;
	for (int i = 0; i < SP_MAX_ARGS; i++) {
		copy_arg(a, &dst->entry[i], &src->entry[i], &err);
		copy_arg(a, &dst->exit[i], &src->exit[i], &err);
	}
	copy_arg(a, &dst->ret, &src->ret, &err);
	return err;
}
