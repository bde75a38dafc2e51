/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console multiplexer: one physical UART for the hypervisor and every
 * guest. Output lines carry the guest's name (when there is more than one
 * guest: conout.h); input goes to the guest that has the focus, or to the
 * hypervisor shell, into a queue of its own, so no guest can read
 * another's input.
 */
#ifndef HYP_CONMUX_H
#define HYP_CONMUX_H

#include "types.h"

#define CONMUX_INQ 256
#define CONMUX_ESCAPE 0x1d /* Ctrl-]: the next key picks the focus */

struct conmux_q {
	char buf[CONMUX_INQ];
	unsigned long head, tail; /* free-running: tail - head queued */
	unsigned long lock;
};

struct guest;

/* Guest input: up to n bytes, the next byte (taken or peeked), or -1 */
long conmux_read(struct guest *g, char *buf, unsigned long n);
int conmux_getc(struct guest *g, bool take);
/* Input from the host UART: escape handling, then the focused queue */
void conmux_input(const char *buf, unsigned long n);
/* Empty a guest's input queue (guest reset) */
void conmux_flush(struct guest *g);
/* Input to guest g from now on; false if it is not running */
bool conmux_set_focus(struct guest *g);
/* Input queues (also the shell's) */
void conmux_qpush(struct conmux_q *q, char c);	/* dropped when full */
int conmux_qpop(struct conmux_q *q, bool take); /* -1: empty */

#endif
