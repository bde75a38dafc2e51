/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_VUART_H
#define HYP_VUART_H

#include "base/lock.h"
#include "core/vdev.h"

#define VUART_FIFO 16

/* An emulated 16550A (ns16550a), 1-byte registers at stride 1 << shift */
struct vuart {
	struct spinlock lock;
	unsigned long recheck; /* input arrived while the lock was held */
	u8 ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_ipending; /* THR-empty interrupt latched */
	unsigned int shift;
	unsigned long unimpl;
	/* interrupt line into the guest's vPLIC */
	void (*irq)(struct vuart *u, bool level);
	bool level;
	/* console input: the next byte (taken when take), or -1 if none */
	int (*getc)(struct vuart *u, bool take);
	/* console output */
	bool (*putc)(struct vuart *u, char c); /* false: no room yet */
	int rx; /* loopback: the byte sent to itself, or NO_CHAR */
	void *priv;
};

extern const struct vdev_ops vuart_ops;

void vuart_init(struct vuart *u, unsigned int shift);
/* New console input may be waiting: update data-ready and the IRQ line */
void vuart_input(struct vuart *u);

#endif
