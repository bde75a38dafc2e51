/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stage-2 (G-stage) tables: Sv39x4, 16 KiB root of 2048 entries, 1 GiB
 * and 2 MiB leaves wherever alignment allows (priv. spec §9.5).
 * Pure logic over a page allocator, so it is unit-tested on the host.
 */
#ifndef HYP_GSTAGE_H
#define HYP_GSTAGE_H

#include "base/types.h"

#define GSTAGE_R (1UL << 1)
#define GSTAGE_W (1UL << 2)
#define GSTAGE_X (1UL << 3)
#define GSTAGE_RWX (GSTAGE_R | GSTAGE_W | GSTAGE_X)

#define GSTAGE_LEVELS 3
#define GSTAGE_ROOT_ENTRIES 2048
#define GSTAGE_ROOT_SIZE (GSTAGE_ROOT_ENTRIES * 8)
#define GSTAGE_GPA_BITS 41

/* Page-table pages: 4 KiB, zeroed; NULL when exhausted. */
struct gstage_alloc {
	void *(*page)(void *ctx);
	void *ctx;
};

struct gstage {
	u64 *root; /* GSTAGE_ROOT_SIZE bytes, 16 KiB aligned */
	struct gstage_alloc alloc;
	unsigned long leaves[GSTAGE_LEVELS]; /* count by level: 4K, 2M, 1G */
};

void gstage_init(struct gstage *gs, u64 *root, struct gstage_alloc alloc);

/*
 * Map [gpa, gpa + size) to [hpa, ...) with prot (GSTAGE_R/W/X).
 * All three must be 4 KiB aligned. Returns 0, or a negative SBI error:
 * SBI_ERR_INVALID_PARAM (alignment, range beyond 41 bits, overlap with an
 * existing mapping), SBI_ERR_FAILED (out of table pages).
 */
int gstage_map(struct gstage *gs, gpa_t gpa, hpa_t hpa, unsigned long size,
	       unsigned long prot);

/* Translate; returns 0 and sets *hpa and *prot, or -1 if unmapped. */
int gstage_lookup(const struct gstage *gs, gpa_t gpa, hpa_t *hpa,
		  unsigned long *prot);

/* hgatp for this table: Sv39x4, vmid, root PPN */
unsigned long gstage_hgatp(const struct gstage *gs, unsigned long vmid);

#endif
