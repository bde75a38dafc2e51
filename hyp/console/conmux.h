/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console multiplexer's input side: one physical UART for the
 * hypervisor shell and every guest. Each registers a port; input goes to
 * the port with the focus, into that port's own queue, so that no guest
 * can read another's input. The multiplexer knows ports only: whether a
 * port may take the focus and what to do when input arrives are the
 * owner's callbacks (a guest's board, the shell).
 */
#ifndef HYP_CONSOLE_CONMUX_H
#define HYP_CONSOLE_CONMUX_H

#include "base/lock.h"
#include "base/types.h"

#define CONMUX_INQ 256
#define CONMUX_ESCAPE 0x1d /* Ctrl-]: the next key picks the focus */

struct conmux_q {
	char buf[CONMUX_INQ];
	unsigned long head, tail; /* free-running: tail - head queued */
	struct spinlock lock;
};

struct conmux_port {
	const char *name;
	unsigned long id; /* Ctrl-] <id> focuses it (guests: 0..9) */
	bool shell;	  /* the hypervisor shell's port (Ctrl-] s) */
	struct conmux_q in;
	/* may take the focus now (a guest that runs) */
	bool (*live)(struct conmux_port *p);
	/* input was queued: raise a line, wake a reader (never waits) */
	void (*input)(struct conmux_port *p);
	/* it has the focus now */
	void (*focused)(struct conmux_port *p);
	void *priv;
};

/* Boot time: the port joins the console (the shell's is the fallback) */
void conmux_register(struct conmux_port *p);
/* Input from the host UART: escape handling, then the focused queue */
void conmux_input(const char *buf, unsigned long n);
/* A port's input: up to n bytes, the next byte (taken or peeked), or -1 */
long conmux_read(struct conmux_port *p, char *buf, unsigned long n);
int conmux_getc(struct conmux_port *p, bool take);
/* Empty a port's input queue (its guest was reset) */
void conmux_flush(struct conmux_port *p);
/* Input to p from now on; false if it may not take it */
bool conmux_set_focus(struct conmux_port *p);

#endif
