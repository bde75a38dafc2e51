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
#include "../lib/print.h"

static unsigned long con_lock_word;

void con_lock(void)
{
	while (__atomic_exchange_n(&con_lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&con_lock_word, __ATOMIC_RELAXED))
			;
}

void con_unlock(void)
{
	__atomic_store_n(&con_lock_word, 0, __ATOMIC_RELEASE);
}

long con_write_phys(hpa_t buf, unsigned long n)
{
	struct sbiret r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, n,
				  buf, 0, 0, 0);

	return r.error ? r.error : (long)r.value;
}

/*
 * Console input: drained from the host UART (on its interrupt, or when a
 * reader finds the queue empty) into one queue that the focused guest's
 * UART, DBCN read and legacy getchar all read from.
 */
#define CON_INQ 256
static struct {
	char buf[CON_INQ];
	unsigned long head, tail; /* free-running: tail - head bytes queued */
	unsigned long lock;
} con_in;

/* input arrives by interrupt: readers need not poll the host UART */
static bool con_irq_input;

static void con_in_lock(void)
{
	while (__atomic_exchange_n(&con_in.lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void con_in_unlock(void)
{
	__atomic_store_n(&con_in.lock, 0, __ATOMIC_RELEASE);
}

/* Move what the host UART holds into the queue; true if anything came */
bool con_poll_input(void)
{
	char tmp[16];
	unsigned long i;
	bool got = false;
	struct sbiret r;

	con_in_lock();
	while (CON_INQ - (con_in.tail - con_in.head) >= sizeof(tmp)) {
		r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_READ,
			    sizeof(tmp), (unsigned long)tmp, 0, 0, 0);
		if (r.error || !r.value || r.value > sizeof(tmp))
			break;
		for (i = 0; i < r.value; i++)
			con_in.buf[con_in.tail++ % CON_INQ] = tmp[i];
		got = true;
	}
	con_in_unlock();
	return got;
}

static long con_pop(char *buf, unsigned long n)
{
	unsigned long i;

	con_in_lock();
	for (i = 0; i < n && con_in.head != con_in.tail; i++)
		buf[i] = con_in.buf[con_in.head++ % CON_INQ];
	con_in_unlock();
	return i;
}

static void con_uart_irq(u32 src, void *arg)
{
	(void)arg;
	con_poll_input();
	hostirq_complete(src);
	guest_console_input();
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

long con_read_phys(hpa_t buf, unsigned long n)
{
	long got = con_pop((char *)buf, n);

	if (!got && n && !con_irq_input && con_poll_input())
		got = con_pop((char *)buf, n);
	return got;
}

void con_putc(char c)
{
	sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE, (u8)c, 0, 0, 0,
		0);
}

int con_peek(void)
{
	int c = -1;

	if (!con_irq_input && con_in.head == con_in.tail)
		con_poll_input();
	con_in_lock();
	if (con_in.head != con_in.tail)
		c = (u8)con_in.buf[con_in.head % CON_INQ];
	con_in_unlock();
	return c;
}

int con_getc(void)
{
	char c;

	return con_read_phys((hpa_t)&c, 1) == 1 ? (u8)c : -1;
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
	con_write(buf, n);
	con_unlock();
	return n;
}
