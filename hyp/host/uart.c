// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host console UART (uart.h). Output never waits: a 16550 takes
 * what its transmitter has room for when LSR.THRE is set, so no hart
 * spins with interrupts off while the UART, or the terminal behind it,
 * is slow (OpenSBI's driver spins in M-mode for every byte).
 */
#include "host/hostdt.h"
#include "host/hostirq.h"
#include "host/uart.h"
#include "base/lock.h"

#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LSR 5
#define UART_IER_RDI 0x01
#define UART_LSR_THRE 0x20
#define UART_IIR_FIFO 0xc0 /* both bits: FIFOs enabled (16550A) */
#define UART_FIFO 16	   /* bytes a 16550A takes when THRE is set */
#define UART_SBI_STEP 16UL /* bytes per DBCN call on other UARTs */

static struct {
	bool direct;	   /* a 16550 HS drives itself */
	unsigned int fifo; /* bytes it takes at THRE */
	bool cr_sent;	   /* '\r' of a "\r\n" went, the '\n' did not */
	uart_rx_fn rx;
	struct spinlock poll_lock; /* one poller at a time, never waiting */
} uart;

bool uart_irq_input;

static unsigned long uart_reg(unsigned int reg)
{
	return hostdt.uart_base + ((unsigned long)reg << hostdt.uart_shift);
}

static u32 uart_read(unsigned int reg)
{
	if (hostdt.uart_width == 4)
		return *(volatile u32 *)uart_reg(reg);
	return *(volatile u8 *)uart_reg(reg);
}

static void uart_write(unsigned int reg, u32 v)
{
	if (hostdt.uart_width == 4)
		*(volatile u32 *)uart_reg(reg) = v;
	else
		*(volatile u8 *)uart_reg(reg) = (u8)v;
}

/*
 * Once at boot, after the host device tree is parsed: a 16550 is driven
 * directly. OpenSBI initialised it (line settings, FIFOs), and IIR tells
 * whether its FIFOs are on.
 */
void uart_init_output(void)
{
	if (!hostdt.uart_16550 || !hostdt.uart_base)
		return;
	uart.fifo = (uart_read(UART_IIR) & UART_IIR_FIFO) == UART_IIR_FIFO
			    ? UART_FIFO
			    : 1;
	uart.direct = true;
}

static unsigned long uart_tx_direct(const char *s, unsigned long n)
{
	unsigned long i = 0, room;

	if (!(uart_read(UART_LSR) & UART_LSR_THRE))
		return 0;
	for (room = uart.fifo; i < n && room; room--) {
		if (s[i] == '\n' && !uart.cr_sent) {
			uart_write(UART_THR, '\r');
			uart.cr_sent = true;
			continue;
		}
		uart_write(UART_THR, (u8)s[i++]);
		uart.cr_sent = false;
	}
	return i;
}

/* Callers serialise (the console lock) */
unsigned long uart_tx_try(const char *s, unsigned long n)
{
	struct sbiret r;

	if (!n)
		return 0;
	if (uart.direct)
		return uart_tx_direct(s, n);
	/* OpenSBI's driver waits for the UART: a few bytes at a time */
	r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE,
		    n < UART_SBI_STEP ? n : UART_SBI_STEP, (unsigned long)s, 0,
		    0, 0);
	return r.error || r.value > n ? n : r.value;
}

bool uart_poll_input(void)
{
	char tmp[16];
	bool got = false;
	struct sbiret r;

	if (!spin_trylock(&uart.poll_lock))
		return false;
	for (;;) {
		r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_READ,
			    sizeof(tmp), (unsigned long)tmp, 0, 0, 0);
		if (r.error || !r.value || r.value > sizeof(tmp))
			break;
		if (uart.rx)
			uart.rx(tmp, r.value);
		got = true;
	}
	spin_unlock(&uart.poll_lock);
	return got;
}

static void uart_irq(u32 src, void *arg)
{
	(void)arg;
	uart_poll_input();
	hostirq_complete(src);
}

/*
 * Input by interrupt where the host UART is a 16550 on the PLIC: HS sets
 * its receive-data interrupt enable (OpenSBI's driver only polls, and
 * reading RBR through it clears the interrupt); otherwise input is polled
 * when a guest reads.
 */
void uart_init_input(unsigned long hartid, uart_rx_fn rx)
{
	uart.rx = rx;
	if (!hostdt.uart_16550 || !hostdt.uart_irq ||
	    hostirq_route(hostdt.uart_irq, hartid, uart_irq, NULL))
		return;
	uart_write(UART_IER, UART_IER_RDI);
	uart_irq_input = true;
}
