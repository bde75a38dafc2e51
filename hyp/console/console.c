// SPDX-License-Identifier: BSD-2-Clause
/*
 * The console lock and the hypervisor's messages (console.h). The lock
 * is the one ticket lock (base/lock.h): harts get the console in the
 * order they asked, and every holder writes a bounded number of bytes
 * (conout.c's steps, one message).
 */
#include "base/lock.h"
#include "console/conmux.h"
#include "console/conout.h"
#include "console/console.h"

static struct spinlock con_spin;

void con_lock(void)
{
	spin_lock(&con_spin);
}

bool con_trylock(void)
{
	return spin_trylock(&con_spin);
}

void con_unlock(void)
{
	spin_unlock(&con_spin);
}

/*
 * The logger's sink: a message goes out after what the guests queued
 * before it (so that a message about a guest comes after that guest's
 * last output), at once as far as the UART takes bytes now; the console
 * thread writes the rest. No hart waits with interrupts off for the
 * terminal, whoever prints.
 */
static void con_log(const char *buf, unsigned long n)
{
	con_lock();
	conout_log(buf, n);
	con_unlock();
}

/* Halting: everything out before the machine goes */
static void con_log_flush(void)
{
	con_lock();
	conout_flush();
	con_unlock();
}

void con_init(unsigned long hartid)
{
	con_lock();
	uart_init_output();
	con_unlock();
	uart_init_input(hartid, conmux_input);
	log_set_sink(con_log, con_log_flush);
}
