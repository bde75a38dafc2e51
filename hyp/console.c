// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host console at its lowest level: bytes to and from the physical
 * UART. Where it is a 16550 (QEMU virt's, most boards'), HS writes its
 * transmit register itself and never waits: con_tx_try() takes what the
 * transmitter has room for now and returns, so that no hart spins with
 * interrupts off while the UART, or the terminal behind it, is slow
 * (OpenSBI's driver spins in M-mode for every byte). Other UARTs go
 * through SBI DBCN in small steps. Input stays with OpenSBI's driver.
 */
#include <sbi/sbi_string.h>
#include "guest.h"
#include "hostdt.h"
#include "hostirq.h"
#include "conmux.h"
#include "conout.h"
#include "../lib/print.h"

#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LSR 5
#define LSR_THRE 0x20
#define IIR_FIFO 0xc0	  /* both bits: FIFOs enabled (16550A) */
#define UART_FIFO 16	  /* bytes a 16550A takes when THRE is set */
#define CON_SBI_STEP 16UL /* bytes per DBCN call on other UARTs */

static struct {
	bool direct;	   /* a 16550 HS drives itself */
	unsigned int fifo; /* bytes it takes at THRE */
	bool cr_sent;	   /* '\r' of a "\r\n" went, the '\n' did not */
} con_uart;

/*
 * A ticket lock: harts get the console in the order they asked, so one
 * that keeps printing cannot starve another's line. Holders write a
 * bounded number of bytes (conout.c's budgets, one hypervisor message).
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

bool con_trylock(void)
{
	unsigned int t = __atomic_load_n(&con_ticket.owner, __ATOMIC_RELAXED);

	return __atomic_compare_exchange_n(&con_ticket.next, &t, t + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void con_unlock(void)
{
	__atomic_store_n(&con_ticket.owner, con_ticket.owner + 1,
			 __ATOMIC_RELEASE);
}

static u32 con_reg_read(unsigned int reg)
{
	unsigned long a =
		hostdt.uart_base + ((unsigned long)reg << hostdt.uart_shift);

	if (hostdt.uart_width == 4)
		return *(volatile u32 *)a;
	return *(volatile u8 *)a;
}

static void con_reg_write(unsigned int reg, u32 v)
{
	unsigned long a =
		hostdt.uart_base + ((unsigned long)reg << hostdt.uart_shift);

	if (hostdt.uart_width == 4)
		*(volatile u32 *)a = v;
	else
		*(volatile u8 *)a = (u8)v;
}

/*
 * Once at boot, after the host device tree is parsed: a 16550 is driven
 * directly. OpenSBI initialised it (line settings, FIFOs), and IIR tells
 * whether its FIFOs are on.
 */
void con_init_output(void)
{
	if (!hostdt.uart_16550 || !hostdt.uart_base)
		return;
	con_uart.fifo =
		(con_reg_read(UART_IIR) & IIR_FIFO) == IIR_FIFO ? UART_FIFO : 1;
	con_uart.direct = true;
}

/* Direct: as much of s as the transmitter takes now, '\n' as "\r\n" */
static unsigned long con_tx_direct(const char *s, unsigned long n)
{
	unsigned long i = 0, room;

	if (!(con_reg_read(UART_LSR) & LSR_THRE))
		return 0;
	for (room = con_uart.fifo; i < n && room; room--) {
		if (s[i] == '\n' && !con_uart.cr_sent) {
			con_reg_write(UART_THR, '\r');
			con_uart.cr_sent = true;
			continue;
		}
		con_reg_write(UART_THR, (u8)s[i++]);
		con_uart.cr_sent = false;
	}
	return i;
}

/* Console lock held: bytes of s the UART took now (0: it is busy) */
unsigned long con_tx_try(const char *s, unsigned long n)
{
	struct sbiret r;

	if (!n)
		return 0;
	if (con_uart.direct)
		return con_tx_direct(s, n);
	/* OpenSBI's driver waits for the UART: a few bytes at a time */
	r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE,
		    n < CON_SBI_STEP ? n : CON_SBI_STEP, (unsigned long)s, 0, 0,
		    0);
	return r.error || r.value > n ? n : r.value;
}

/* Console lock held: all of s, waiting for the UART as long as it takes */
void con_write(const char *s, unsigned long n)
{
	unsigned long w;

	while (n) {
		w = con_tx_try(s, n);
		s += w;
		n -= w;
	}
}

void con_putc(char c)
{
	con_write(&c, 1);
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
	if (!hostdt.uart_16550 || !hostdt.uart_irq ||
	    hostirq_route(hostdt.uart_irq, hartid, con_uart_irq, NULL))
		return;
	con_reg_write(UART_IER, 0x01);
	con_irq_input = true;
}

/*
 * The hypervisor's own messages are written at once, after what the
 * guests queued before them (conout_flush), so that a message about a
 * guest comes after that guest's last output.
 */
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
	conout_flush();
	conout_break_line();
	con_write(buf, n);
	if (n > 0)
		conout_hyp_wrote(buf[n - 1] != '\n');
	con_unlock();
	return n;
}
