/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * M-private state per physical hart (docs/architecture.md, "M-mode
 * fast path"). Plain C types only: firmware/masm-offsets.c includes it
 * to give the assembly its offsets.
 *
 * Indexed by hart *id* (HS runs on hart ids below SHV_MAX_HARTS and
 * publishes hart ids in its vCPU records). HS never writes here.
 */
#ifndef SBIVISOR_MHART_H
#define SBIVISOR_MHART_H

#include <sbivisor/shared.h>

/* One remote fence, in the sender's own slot (read by its targets) */
struct mrfence_req {
	unsigned long type; /* SHV_RF_* */
	unsigned long hgatp;
	unsigned long start;
	unsigned long size;
	unsigned long asid;
};

/* Messages to a hart: bit per sending hart id (RFENCE), and a vIPI */
#define MHART_MSG_VIPI (1UL << 63)

struct mhart {
	/*
	 * HS's area for this hart, checked when HS registered it; 0 until
	 * then. Only the hart itself writes it (at registration).
	 */
	struct shv_hart *area;
	/*
	 * The last shv_hart.guest value that passed the HS-region check
	 * (never anything else: SHV_SHARED_BASE at registration). The check is
	 * on the value alone, so a guest pointer equal to it needs no
	 * second check (firmware/mentry.S).
	 */
	unsigned long guest_ok;
	unsigned long msg; /* MHART_MSG_*: set with amoor, taken with amoswap */
	unsigned long outstanding; /* our fences other harts have not done */
	unsigned long idle_pc;	   /* area->idle_pc, checked at registration */
	unsigned long index;	   /* OpenSBI hart index, for raw IPIs */
	struct mrfence_req req;	   /* our remote fence, while outstanding */
} __attribute__((aligned(128)));

#define MHART_SHIFT 7
_Static_assert(sizeof(struct mhart) == 1UL << MHART_SHIFT, "mhart size");

extern struct mhart mharts[SHV_MAX_HARTS];

#endif
