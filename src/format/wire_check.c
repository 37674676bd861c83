#include "format/wire_check.h"

/* Nesting deeper than any message of proto/sperrips.proto: not judged. */
#define WIRE_MAX_DEPTH 16

/* A varint at *p (at most 10 bytes, before end): its value, p advanced. */
static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned i = 0; i < 10 && *p < end; i++) {
		uint8_t b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

/* The wire type a scalar of `type` has when not packed. */
static int scalar_wire(ProtobufCType type)
{
	switch (type) {
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return 5;
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 1;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return 2;
	default:
		return 0;
	}
}

/* The body of a packed repeated scalar field: whole elements only. */
static bool packed_ok(ProtobufCType type, const uint8_t *p, size_t len)
{
	int w = scalar_wire(type);
	if (w == 5)
		return len % 4 == 0;
	if (w == 1)
		return len % 8 == 0;
	if (w != 0)
		return false;
	const uint8_t *end = p + len;
	uint64_t v;
	while (p < end)
		if (!varint(&p, end, &v))
			return false;
	return true;
}

/* Take `n` bytes from the budget; false once it is exhausted. */
static bool spend(size_t *budget, uint64_t n)
{
	if (n > *budget)
		return false;
	*budget -= (size_t)n;
	return true;
}

/* Bytes protobuf-c allocates per field occurrence, over-estimated: a slot
 * of a repeated array (at most 16 bytes: a byte string's length and
 * pointer) and, for an unknown field, its record and data. */
#define WIRE_SLOT 16
#define WIRE_UNKNOWN 32

static bool check(const ProtobufCMessageDescriptor *desc, const uint8_t *p, size_t len, unsigned depth,
		  size_t *budget)
{
	if (depth > WIRE_MAX_DEPTH || !spend(budget, desc->sizeof_message))
		return false;
	const uint8_t *end = p + len;
	while (p < end) {
		uint64_t tag, n;
		if (!varint(&p, end, &tag) || tag >> 3 == 0 || tag >> 3 > 0x1fffffff)
			return false;
		int wire = (int)(tag & 7);
		const ProtobufCFieldDescriptor *f =
			protobuf_c_message_descriptor_get_field(desc, (unsigned)(tag >> 3));
		if (!spend(budget, f ? WIRE_SLOT : WIRE_UNKNOWN + 8))
			return false;
		switch (wire) {
		case 0:
			if (!varint(&p, end, &n))
				return false;
			break;
		case 1:
		case 5: {
			size_t w = wire == 1 ? 8 : 4;
			if ((size_t)(end - p) < w)
				return false;
			p += w;
			break;
		}
		case 2:
			if (!varint(&p, end, &n) || n > (uint64_t)(end - p))
				return false;
			/* the bytes themselves, or a packed array's slots */
			if (!spend(budget, f && f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_BYTES
						   ? n * WIRE_SLOT : n + 1))
				return false;
			if (f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
			    !check(f->descriptor, p, (size_t)n, depth + 1, budget))
				return false;
			if (f && scalar_wire(f->type) != 2 &&
			    (f->label != PROTOBUF_C_LABEL_REPEATED || !packed_ok(f->type, p, (size_t)n)))
				return false;
			p += n;
			break;
		default: /* groups and reserved types: left to the unpacker */
			return false;
		}
		if (f && wire != 2 && scalar_wire(f->type) != wire)
			return false;
	}
	return true;
}

bool wire_check(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len, size_t budget)
{
	return check(desc, data, len, 0, &budget);
}
