/* Recorded <-> replayed values of one kind of identifier: addresses, pids,
 * IPC ids, ports ... The first time a recorded value is seen it is paired
 * with the replayed one; from then on the pairing must hold both ways (a
 * recorded value always meets the same replayed value and vice versa), or
 * the program used its memory or its kernel objects differently. */
#ifndef SPERRIPS_PTRMAP_H
#define SPERRIPS_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptrmap {
	struct ptrmap_slot *fwd, *rev;
	size_t cap, n;
};

void ptrmap_init(struct ptrmap *m);
void ptrmap_free(struct ptrmap *m);
/** Check (and learn) that recorded address `rec` corresponds to `rep`.
 *  NULL only matches NULL. Returns true if consistent. */
bool ptrmap_check(struct ptrmap *m, uint64_t rec, uint64_t rep);
/** Check (and learn) that `rec` corresponds to `rep`, 0 being a value like
 *  any other (identifiers, ports). Returns true if consistent. */
bool ptrmap_pair(struct ptrmap *m, uint64_t rec, uint64_t rep);
/** The replayed value paired with recorded `rec`: true and *rep set, or false. */
bool ptrmap_to_replayed(const struct ptrmap *m, uint64_t rec, uint64_t *rep);
/** The recorded value paired with replayed `rep`: true and *rec set, or false. */
bool ptrmap_to_recorded(const struct ptrmap *m, uint64_t rep, uint64_t *rec);
/** Number of pairs learned. */
size_t ptrmap_size(const struct ptrmap *m);

#endif
