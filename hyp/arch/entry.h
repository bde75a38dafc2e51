/* SPDX-License-Identifier: BSD-2-Clause */
/* HS entry points and the idle wait (entry.S) */
#ifndef HYP_ARCH_ENTRY_H
#define HYP_ARCH_ENTRY_H

/*
 * HS's idle wait (the scheduler loop's) is the wfi in entry.S, whose
 * address HS publishes to M (struct shv_hart.idle_pc): an M-mode
 * interrupt that ends it without leaving HS anything to do returns to
 * the wfi rather than running HS's loop for nothing (firmware/mmsg.c).
 */
void hyp_wfi(void);
extern char hyp_wfi_resume[];
extern char _hyp_secondary[];

#endif
