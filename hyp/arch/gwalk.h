/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_GWALK_H
#define HYP_GWALK_H

#include "base/types.h"

/* What caused a load/store guest-page fault (gwalk_classify) */
enum gwalk_kind {
	GWALK_EXPLICIT, /* the instruction's own access: emulate it */
	GWALK_IMPLICIT, /* the VS-stage walk read a PTE there */
	GWALK_UNKNOWN,	/* neither could be shown (tables changed, ...) */
};

/* Read the 8-byte PTE at guest-physical gpa; 0, or -1 if not guest RAM */
typedef int (*gwalk_read_fn)(void *ctx, gpa_t gpa, u64 *pte);

enum gwalk_kind gwalk_walk(unsigned long vsatp, unsigned long gva,
			   gpa_t fault_gpa, gwalk_read_fn read, void *ctx);

/*
 * With VS-stage translation off (vsatp.MODE = Bare: the common case of a
 * firmware or RTOS guest, kept off the MMIO path's call) the virtual
 * address is the guest-physical one.
 */
static inline enum gwalk_kind gwalk_classify(unsigned long vsatp,
					     unsigned long gva, gpa_t fault_gpa,
					     gwalk_read_fn read, void *ctx)
{
	if (!(vsatp >> 60))
		return !((gva ^ fault_gpa) >> 12) ? GWALK_EXPLICIT
						  : GWALK_UNKNOWN;
	return gwalk_walk(vsatp, gva, fault_gpa, read, ctx);
}

#endif
