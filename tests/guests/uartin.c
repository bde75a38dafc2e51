// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console input through the emulated 16550A, the way an interrupt-driven
 * driver reads it: receive interrupts enabled in IER, IIR read until it
 * names received data, then RBR. It prints "# uartin: type now" and
 * echoes the first four bytes it receives.
 *
 * On a host whose console input is polled (no PLIC: an AIA host, or a
 * UART without an interrupt) an IIR read used to deadlock its hart: the
 * vUART held its lock while asking for input, and the input it polled
 * came back to the vUART for the lock (issue #9, defect 4).
 */
#include "guest.h"
#include <libfdt.h>

#define UART_RBR 0
#define UART_IER 1
#define UART_IIR 2
#define IIR_ID 0x0f
#define IIR_RDI 0x04
#define WANT 4
#define TIMEOUT_S 20

static unsigned long uart;
static unsigned int shift;

static u8 rd(unsigned int reg)
{
	return *(volatile u8 *)(uart + ((unsigned long)reg << shift));
}

static void wr(unsigned int reg, u8 v)
{
	*(volatile u8 *)(uart + ((unsigned long)reg << shift)) = v;
}

static int find_uart(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "ns16550a"), len;
	const fdt32_t *p;

	p = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", &len);
	if (!p || len < 8)
		return 0;
	uart = (unsigned long)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	p = fdt_getprop(fdt, node, "reg-shift", &len);
	shift = p && len == 4 ? fdt32_to_cpu(*p) : 0;
	return 1;
}

void guest_main(unsigned long hart, const void *fdt)
{
	char got[WANT + 1] = { 0 };
	unsigned long n = 0, end, iir_reads = 0;

	if (hart)
		return;
	if (!find_uart(fdt)) {
		check("uartin_found", 0);
		return;
	}
	wr(UART_IER, 0x01); /* received-data interrupt (its line only) */
	gprintf("# uartin: type now\n");
	end = rdtime() + TIMEOUT_S * dt_timebase(fdt);
	while (n < WANT && rdtime() < end) {
		iir_reads++;
		if ((rd(UART_IIR) & IIR_ID) == IIR_RDI)
			got[n++] = (char)rd(UART_RBR);
	}
	wr(UART_IER, 0);
	gprintf("# uartin-echo: '%s' after %lu IIR reads\n", got, iir_reads);
	check_eq("uartin_got_all", n, WANT);
}
