/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host's console UART (the one /chosen/stdout-path names). Output:
 * a 16550 is written by HS itself, never waiting (uart_tx_try); other
 * UARTs through SBI DBCN in small steps. Input stays with OpenSBI's
 * driver (SBI DBCN reads): by interrupt where the UART has one on the
 * host interrupt controller, else polled by readers; either way it goes
 * to the receiver registered with uart_set_rx().
 */
#ifndef HYP_HOST_UART_H
#define HYP_HOST_UART_H

#include "base/hyp.h"

typedef void (*uart_rx_fn)(const char *buf, unsigned long n);

void uart_init_output(void);
void uart_init_input(unsigned long hartid, uart_rx_fn rx);
/* Bytes of s the transmitter took now, '\n' sent as "\r\n" (0: busy) */
unsigned long uart_tx_try(const char *s, unsigned long n);
/* Input by interrupt: readers need not poll */
extern bool uart_irq_input;
/* Move what the UART holds to the receiver; false if nothing (or busy) */
bool uart_poll_input(void);

#endif
