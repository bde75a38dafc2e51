/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_HOSTDT_H
#define HYP_HOSTDT_H

#include "base/hyp.h"
#include "host/ptdev.h"

#define HOSTDT_MAX_PT 16

/*
 * What HS needs from the host device tree, parsed once at boot; the
 * platform facts (timebase, harts, RAM) go to base/platform.h.
 */
struct hostdt_info {
	const void *fdt;
	hpa_t fdt_base;
	unsigned long fdt_size;
	char isa[1024]; /* QEMU 10's -cpu max: 775 characters */
	char mmu[24];
	/* cache-block sizes of Zicbom, Zicboz, Zicbop (0: not given) */
	u32 cbom_block, cboz_block, cbop_block;
	char bootargs[CONFIG_BOOTARGS_MAX]; /* without sbivisor.* words */
	hpa_t initrd_start, initrd_end;
	int uart_node;
	char uart_path[64];
	hpa_t uart_base;
	unsigned long uart_size;
	u32 uart_irq;	 /* 0: none */
	u32 uart_shift;	 /* reg-shift */
	u32 uart_width;	 /* reg-io-width: 1 or 4 */
	bool uart_16550; /* an ns16550-compatible UART: emulated for guests */
	/* devices the default guest gets passed through (identity-mapped) */
	unsigned long npt;
	struct ptdev pt[HOSTDT_MAX_PT];
};

/*
 * Written by hostdt_parse() alone (hostdt_tables); the rest of HS reads
 * the tables as hostdt, const.
 */
extern struct hostdt_info hostdt_tables;
#define hostdt (*(const struct hostdt_info *)&hostdt_tables)

int hostdt_parse(const void *fdt);
/* The node's host interrupt source (its first "interrupts" cell), or 0 */
u32 hostdt_irq(const void *fdt, int node);

#endif
