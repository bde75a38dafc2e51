/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console floor's own services: the console lock (held by whoever
 * writes to the host UART), blocking writes for the hypervisor's
 * messages, and input polling for readers when the UART has no
 * interrupt.
 */
#ifndef HYP_CONSOLE_CONSOLE_H
#define HYP_CONSOLE_CONSOLE_H

#include "base/hyp.h"
#include "host/uart.h"

void con_lock(void);
bool con_trylock(void);
void con_unlock(void);
/* Boot: output through HS, input to the multiplexer, the logger's sink */
void con_init(unsigned long hartid);

/* A reader found its queue empty: poll, unless input comes by IRQ */
static inline bool con_input_wanted(void)
{
	return !uart_irq_input && uart_poll_input();
}

#endif
