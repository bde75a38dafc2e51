/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Platform facts, read once at boot (host/hostdt.c from the host device
 * tree, main.c from the firmware and probes) and only read after: every
 * floor may use them without knowing where they came from.
 */
#ifndef HYP_BASE_PLATFORM_H
#define HYP_BASE_PLATFORM_H

#include "base/types.h"
#include "base/config.h"

struct platform {
	unsigned long timebase; /* ticks of `time` per second */
	unsigned long nharts;
	unsigned long hartids[CONFIG_MAX_HARTS];
	unsigned long hart_mask; /* bit per hart id */
	unsigned long boot_hart;
	hpa_t mem_base; /* host RAM */
	unsigned long mem_size;
	bool opt_stats;		/* bootargs sbivisor.stats */
	unsigned long fastpath; /* M serves TIME, IPI, RFENCE */
	unsigned long has_sstc;
	unsigned long vlenb;	 /* VLEN / 8 when guests get V, else 0 */
	unsigned long henvcfg;	 /* bits every vCPU gets besides STCE */
	unsigned long hstateen0; /* what every guest may reach (Smstateen) */
};

extern struct platform platform;

#ifndef __ASSEMBLER__
static inline unsigned long hyp_time(void)
{
	unsigned long t;

	asm volatile("csrr %0, time" : "=r"(t));
	return t;
}
#endif

/* Stop the machine with a message; reset or power off (platform.c) */
void __attribute__((noreturn)) hyp_halt(const char *why);
void __attribute__((noreturn))
hyp_machine_reset(unsigned long type, unsigned long reason);

#endif
