// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console output under pressure (tests/system/test_isolation.py): writes
 * chatter.lines numbered 64-byte lines as fast as it can, through one of
 *   chatter.via=dbcn     SBI DBCN console_write (non-blocking: a call may
 *                        take nothing while the console is full, §12.1)
 *   chatter.via=byte     SBI DBCN console_write_byte (blocking, §12.3)
 *   chatter.via=putchar  legacy console_putchar (blocking, §5.2)
 *   chatter.via=uart     its 16550 (THR; LSR.THRE is polled first)
 * Line k is "~k:<6 hex digits of k> " then letters from k, then "\n", so
 * the test can tell a lost, repeated or damaged line. At the end:
 *   "# chatter: lines=N via=V calls=C zero=Z max_call_ticks=T"
 * with zero = DBCN calls that took nothing, and max_call_ticks the
 * longest single call or store (the time the vCPU was held).
 */
#include <libfdt.h>
#include "guest.h"
#include "../../lib/print.h"

#define LINE 64
#define LSR_THRE 0x20

static volatile unsigned char *uart;
static unsigned long shift, calls, zero, max_ticks;

static void timed(unsigned long t0)
{
	unsigned long t = rdtime() - t0;

	if (t > max_ticks)
		max_ticks = t;
	calls++;
}

static int find_uart(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "ns16550a"), len;
	const fdt32_t *p;

	p = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", &len);
	if (!p || len < 8)
		return 0;
	uart = (volatile unsigned char *)((unsigned long)fdt32_to_cpu(p[0])
						  << 32 |
					  fdt32_to_cpu(p[1]));
	p = fdt_getprop(fdt, node, "reg-shift", &len);
	shift = p && len == 4 ? fdt32_to_cpu(*p) : 0;
	return 1;
}

/* 0 if the line went out whole */
static int put_line(const char *s, char via)
{
	unsigned long done = 0, t0, i;
	struct ret r;

	if (via == 'd') {
		while (done < LINE) {
			t0 = rdtime();
			r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE,
				  LINE - done, (unsigned long)s + done, 0, 0, 0,
				  0);
			timed(t0);
			if (r.error || r.value > LINE - done)
				return -1;
			zero += !r.value;
			done += r.value;
		}
		return 0;
	}
	for (i = 0; i < LINE; i++) {
		t0 = rdtime();
		if (via == 'b') {
			r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE,
				  (unsigned char)s[i], 0, 0, 0, 0, 0);
			if (r.error)
				return -1;
		} else if (via == 'p') {
			r = ecall(0x01, 0, (unsigned char)s[i], 0, 0, 0, 0, 0);
			if (r.error)
				return -1;
		} else {
			while (!(uart[5 << shift] & LSR_THRE))
				;
			uart[0] = (unsigned char)s[i];
		}
		timed(t0);
	}
	return 0;
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long lines = 1000, k, j;
	const char *via;
	char line[LINE];
	int len;

	if (hart)
		return;
	via = dt_bootarg(fdt, "chatter.via", &len);
	if (dt_bootarg_ulong(fdt, "chatter.lines", &lines) < 0 || !via ||
	    !len ||
	    (*via != 'd' && *via != 'b' && *via != 'p' && *via != 'u')) {
		check("chatter_args_valid", 0);
		return;
	}
	if (*via == 'u' && !find_uart(fdt)) {
		check("chatter_uart_found", 0);
		return;
	}
	for (k = 0; k < lines; k++) {
		print_snprintf(line, sizeof(line), "~%lu:%06lx ", k, k);
		for (j = 0; line[j]; j++)
			;
		for (; j < LINE - 1; j++)
			line[j] = 'a' + (k + j) % 26;
		line[LINE - 1] = '\n';
		if (put_line(line, *via)) {
			check("chatter_line_written", 0);
			return;
		}
	}
	gprintf("# chatter: lines=%lu via=%c calls=%lu zero=%lu "
		"max_call_ticks=%lu\n",
		lines, *via, calls, zero, max_ticks);
	check("chatter_all_written", 1);
}
