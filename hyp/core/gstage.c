// SPDX-License-Identifier: BSD-2-Clause
#include <sbi/sbi_ecall_interface.h>
#include "core/gstage.h"

#define PTE_V (1UL << 0)
#define PTE_U (1UL << 4)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_LEAF_BITS (GSTAGE_R | GSTAGE_W | GSTAGE_X)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1UL << 44) - 1) << PTE_PPN_SHIFT)

#define HGATP_SV39X4 (8UL << 60)
#define HGATP_VMID_SHIFT 44

static inline unsigned long level_shift(int level)
{
	return 12 + 9 * level;
}

static inline unsigned long pte_index(gpa_t gpa, int level)
{
	/* the root level takes 2 extra bits: 11 index bits (x4) */
	unsigned long bits = level == GSTAGE_LEVELS - 1 ? 11 : 9;

	return (gpa >> level_shift(level)) & ((1UL << bits) - 1);
}

static inline u64 *pte_table(u64 pte)
{
	return (u64 *)(((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12);
}

void gstage_init(struct gstage *gs, u64 *root, struct gstage_alloc alloc)
{
	unsigned long i;

	gs->root = root;
	gs->alloc = alloc;
	for (i = 0; i < GSTAGE_ROOT_ENTRIES; i++)
		root[i] = 0;
	for (i = 0; i < GSTAGE_LEVELS; i++)
		gs->leaves[i] = 0;
}

/* Map one naturally aligned block at level; intermediate tables as needed */
static int gstage_map_one(struct gstage *gs, gpa_t gpa, hpa_t hpa, int level,
			  unsigned long prot)
{
	u64 *table = gs->root, *next;
	int l;

	for (l = GSTAGE_LEVELS - 1; l > level; l--) {
		u64 *pte = &table[pte_index(gpa, l)];

		if (!(*pte & PTE_V)) {
			next = gs->alloc.page(gs->alloc.ctx);
			if (!next)
				return SBI_ERR_FAILED;
			*pte = (((unsigned long)next >> 12) << PTE_PPN_SHIFT) |
			       PTE_V;
		} else if (*pte & PTE_LEAF_BITS) {
			return SBI_ERR_INVALID_PARAM; /* inside a larger leaf */
		}
		table = pte_table(*pte);
	}
	if (table[pte_index(gpa, level)] & PTE_V)
		return SBI_ERR_INVALID_PARAM;
	/* G-stage leaves must have U=1 (priv. spec §9.5.1); preset A/D */
	table[pte_index(gpa, level)] = ((hpa >> 12) << PTE_PPN_SHIFT) |
				       (prot & PTE_LEAF_BITS) | PTE_U | PTE_A |
				       PTE_D | PTE_V;
	gs->leaves[level]++;
	return 0;
}

int gstage_map(struct gstage *gs, gpa_t gpa, hpa_t hpa, unsigned long size,
	       unsigned long prot)
{
	unsigned long done = 0, blk;
	int level, rc;

	if ((gpa | hpa | size) & PAGE_OFFSET || !size || !(prot & GSTAGE_RWX) ||
	    (prot & GSTAGE_W && !(prot & GSTAGE_R)))
		return SBI_ERR_INVALID_PARAM;
	if (gpa + size < gpa || gpa + size > (1UL << GSTAGE_GPA_BITS) ||
	    hpa + size < hpa || hpa + size > (1UL << 56))
		return SBI_ERR_INVALID_PARAM;
	while (done < size) {
		for (level = GSTAGE_LEVELS - 1; level > 0; level--) {
			blk = 1UL << level_shift(level);
			if (!((gpa + done) & (blk - 1)) &&
			    !((hpa + done) & (blk - 1)) && size - done >= blk)
				break;
		}
		blk = 1UL << level_shift(level);
		rc = gstage_map_one(gs, gpa + done, hpa + done, level, prot);
		if (rc)
			return rc;
		done += blk;
	}
	return 0;
}

int gstage_lookup(const struct gstage *gs, gpa_t gpa, hpa_t *hpa,
		  unsigned long *prot)
{
	const u64 *table = gs->root;
	u64 pte;
	int l;

	if (gpa >> GSTAGE_GPA_BITS)
		return SBI_ERR_INVALID_ADDRESS;
	for (l = GSTAGE_LEVELS - 1; l >= 0; l--) {
		pte = table[pte_index(gpa, l)];
		if (!(pte & PTE_V))
			return SBI_ERR_INVALID_ADDRESS;
		if (pte & PTE_LEAF_BITS) {
			unsigned long off = gpa & ((1UL << level_shift(l)) - 1);

			*hpa = (((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12) +
			       off;
			*prot = pte & PTE_LEAF_BITS;
			return 0;
		}
		table = pte_table(pte);
	}
	return SBI_ERR_INVALID_ADDRESS;
}

unsigned long gstage_hgatp(const struct gstage *gs, unsigned long vmid)
{
	return HGATP_SV39X4 | (vmid << HGATP_VMID_SHIFT) |
	       ((unsigned long)gs->root >> 12);
}
