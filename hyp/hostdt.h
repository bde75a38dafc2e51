/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_HOSTDT_H
#define HYP_HOSTDT_H

#include "hyp.h"

/* What HS needs from the host device tree, parsed once at boot. */
struct hostdt {
	const void *fdt;
	hpa_t fdt_base;
	unsigned long fdt_size;
	unsigned long nharts;
	unsigned long hartids[CONFIG_MAX_HARTS];
	char isa[256];
	char mmu[24];
	u32 timebase;
	hpa_t mem_base;
	unsigned long mem_size;
	char bootargs[CONFIG_BOOTARGS_MAX]; /* without sbivisor.* words */
	bool opt_stats;
	hpa_t initrd_start, initrd_end;
	int uart_node;
	char uart_path[64];
	hpa_t uart_base;
	unsigned long uart_size;
};

extern struct hostdt hostdt;

int hostdt_parse(const void *fdt);
int hostdt_reg(const void *fdt, int node, int idx, unsigned long *base,
	       unsigned long *size);

#endif
