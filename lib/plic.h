/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RISC-V PLIC's register map (PLIC specification v1.0.0, "Memory
 * Map"), for the host driver (hyp/host/hostirq.c) and the guest model
 * (hyp/dev/vplic.c) alike: byte offsets from the PLIC's base.
 */
#ifndef LIB_PLIC_H
#define LIB_PLIC_H

#define PLIC_PRIORITY_BASE 0x000000UL /* + 4 * source */
#define PLIC_PENDING_BASE 0x001000UL  /* + 4 * word, read-only */
#define PLIC_ENABLE_BASE 0x002000UL   /* + 0x80 * context + 4 * word */
#define PLIC_ENABLE_STRIDE 0x80UL
#define PLIC_CONTEXT_BASE 0x200000UL /* + 0x1000 * context */
#define PLIC_CONTEXT_STRIDE 0x1000UL
#define PLIC_CLAIM_OFFSET 4UL /* in a context: threshold at 0, claim at 4 */
#define PLIC_SIZE 0x4000000UL /* the whole window a DT may describe */

#define PLIC_PRIORITY(s) (PLIC_PRIORITY_BASE + 4UL * (s))
#define PLIC_ENABLE(c, s)                                                      \
	(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * (c) + 4UL * ((s) / 32))
#define PLIC_THRESHOLD(c) (PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * (c))
#define PLIC_CLAIM(c) (PLIC_THRESHOLD(c) + PLIC_CLAIM_OFFSET)

#endif
