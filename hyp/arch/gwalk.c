// SPDX-License-Identifier: BSD-2-Clause
/*
 * Was a load/store guest-page fault the instruction's own access, or an
 * implicit read of a VS-stage page-table entry? htinst says so when the
 * hardware fills it (0x2000/0x3000 for a walk, priv. spec §9.6.3), but it
 * may be 0 (QEMU 7.2 always leaves it 0), and then stval (the virtual
 * address the instruction used) and htval (the guest-physical address
 * that faulted) look the same for both. So walk the guest's VS-stage
 * table for stval, as the hardware did, reading PTEs from guest RAM: if
 * a PTE's own address is the faulting one, the walk faulted; if the leaf
 * maps stval to it, the access did. A walk that reaches neither (the
 * guest changed its tables meanwhile, a PTE outside its RAM) proves
 * nothing, and the caller must not emulate anything.
 */
#include "arch/gwalk.h"

#define GWALK_PAGE_SHIFT 12
#define GWALK_PTE_V 0x1UL
#define GWALK_PTE_RWX 0xeUL
#define GWALK_PPN_SHIFT 10
#define GWALK_PPN_MASK ((1UL << 44) - 1)
#define GWALK_MODE_SHIFT 60
#define GWALK_MODE_BARE 0
#define GWALK_MODE_SV39 8
#define GWALK_MODE_SV57 10

static bool gwalk_same_page(gpa_t a, gpa_t b)
{
	return (a >> GWALK_PAGE_SHIFT) == (b >> GWALK_PAGE_SHIFT);
}

enum gwalk_kind gwalk_walk(unsigned long vsatp, unsigned long gva,
			   gpa_t fault_gpa, gwalk_read_fn read, void *ctx)
{
	unsigned long mode = vsatp >> GWALK_MODE_SHIFT, levels, i, vpn;
	gpa_t table, pte_gpa, leaf;
	u64 pte;

	if (mode == GWALK_MODE_BARE)
		return gwalk_same_page(gva, fault_gpa) ? GWALK_EXPLICIT
						       : GWALK_UNKNOWN;
	if (mode < GWALK_MODE_SV39 || mode > GWALK_MODE_SV57)
		return GWALK_UNKNOWN;
	levels = mode - GWALK_MODE_SV39 + 3; /* Sv39, Sv48, Sv57 */
	table = (vsatp & GWALK_PPN_MASK) << GWALK_PAGE_SHIFT;
	for (i = levels; i-- > 0;) {
		vpn = (gva >> (GWALK_PAGE_SHIFT + 9 * i)) & 0x1ff;
		pte_gpa = table + vpn * sizeof(u64);
		if (gwalk_same_page(pte_gpa, fault_gpa))
			return GWALK_IMPLICIT;
		if (read(ctx, pte_gpa, &pte) || !(pte & GWALK_PTE_V))
			return GWALK_UNKNOWN;
		table = ((pte >> GWALK_PPN_SHIFT) & GWALK_PPN_MASK)
			<< GWALK_PAGE_SHIFT;
		if (!(pte & GWALK_PTE_RWX))
			continue;
		/* a leaf at level i maps 2^(12 + 9i) bytes (superpages) */
		leaf = table +
		       (gva & ((1UL << (GWALK_PAGE_SHIFT + 9 * i)) - 1) &
			~((1UL << GWALK_PAGE_SHIFT) - 1));
		return gwalk_same_page(leaf, fault_gpa) ? GWALK_EXPLICIT
							: GWALK_UNKNOWN;
	}
	return GWALK_UNKNOWN;
}
