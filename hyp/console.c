// SPDX-License-Identifier: BSD-2-Clause
/*
 * HS console: the physical UART stays with OpenSBI's driver; HS writes
 * through SBI DBCN (HS addresses are physical) under one lock so that
 * lines from different harts do not interleave mid-line.
 */
#include <sbi/sbi_string.h>
#include "guest.h"
#include "hostdt.h"
#include "hostirq.h"
#include "conmux.h"
#include "../lib/print.h"

/*
 * A ticket lock: harts get the console in the order they asked, so one
 * that keeps writing (a guest flooding DBCN) cannot starve another's
 * line; writers hold it for a bounded number of UART bytes
 * (conmux_write).
 */
static struct {
	unsigned int next, owner;
} con_ticket;

void con_lock(void)
{
	unsigned int t =
		__atomic_fetch_add(&con_ticket.next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&con_ticket.owner, __ATOMIC_ACQUIRE) != t)
		;
}

void con_unlock(void)
{
	__atomic_store_n(&con_ticket.owner, con_ticket.owner + 1,
			 __ATOMIC_RELEASE);
}

long con_write_phys(hpa_t buf, unsigned long n)
{
	struct sbiret r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, n,
				  buf, 0, 0, 0);

	return r.error ? r.error : (long)r.value;
}

/* input arrives by interrupt: readers need not poll the host UART */
bool con_irq_input;
static unsigned long con_poll_lock;

/*
 * Move what the host UART holds to the multiplexer (which queues it for
 * the focused guest). Readers call this when their queue is empty and the
 * UART has no interrupt; one hart drains at a time.
 */
bool con_poll_input(void)
{
	char tmp[16];
	bool got = false;
	struct sbiret r;

	if (__atomic_exchange_n(&con_poll_lock, 1, __ATOMIC_ACQUIRE))
		return false;
	for (;;) {
		r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_READ,
			    sizeof(tmp), (unsigned long)tmp, 0, 0, 0);
		if (r.error || !r.value || r.value > sizeof(tmp))
			break;
		conmux_input(tmp, r.value);
		got = true;
	}
	__atomic_store_n(&con_poll_lock, 0, __ATOMIC_RELEASE);
	return got;
}

void con_putc(char c)
{
	sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE, (u8)c, 0, 0, 0,
		0);
}

static void con_uart_irq(u32 src, void *arg)
{
	(void)arg;
	con_poll_input();
	hostirq_complete(src);
}

/*
 * Input by interrupt where the host UART is a 16550 on the PLIC: HS sets
 * its receive-data interrupt enable (OpenSBI's driver only polls, and
 * reading RBR through it clears the interrupt); otherwise input is polled
 * when a guest reads.
 */
void con_init_input(unsigned long hartid)
{
	volatile u8 *ier;

	if (!hostdt.uart_16550 || !hostdt.uart_irq ||
	    hostirq_route(hostdt.uart_irq, hartid, con_uart_irq, NULL))
		return;
	ier = (volatile u8 *)(hostdt.uart_base + (1UL << hostdt.uart_shift));
	*ier = 0x01;
	con_irq_input = true;
}

void con_write(const char *s, unsigned long n)
{
	long w;

	while (n) {
		w = con_write_phys((hpa_t)s, n);
		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

int hyp_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	con_lock();
	conmux_break_line();
	con_write(buf, n);
	if (n > 0)
		conmux_hyp_wrote(buf[n - 1] != '\n');
	con_unlock();
	return n;
}
