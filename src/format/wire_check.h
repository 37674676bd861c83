#ifndef SPERRIPS_FORMAT_WIRE_CHECK_H
#define SPERRIPS_FORMAT_WIRE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/**
 * wire_check - does `data` (`len` bytes) look like a message of `desc`?
 *
 * Walks the protobuf wire format (tags, varints, lengths, packed arrays,
 * nested messages by their descriptors) without unpacking or allocating.
 * It is stricter than protobuf_c_message_unpack, never more lenient on the
 * structure: true means the bytes are well formed; false means "not sure",
 * and the caller unpacks for the exact verdict and reason. The memory
 * unpacking would take is over-estimated and must stay within `budget`
 * bytes, so that an item refused for its memory is never passed.
 */
bool wire_check(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len, size_t budget);

#endif
