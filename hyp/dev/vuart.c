// SPDX-License-Identifier: BSD-2-Clause
/*
 * Emulated 16550A UART for guests. Transmission is immediate (every THR
 * write goes to the guest's console ring; with the ring full, the store
 * waits until it has room), so THR is always empty; input comes from the
 * guest's console queue one byte at a time. Interrupt identification
 * follows the 16550A data sheet: line status > RX data > THR empty >
 * modem status, the THR-empty interrupt cleared by reading IIR or writing
 * THR and raised again when the byte has gone (at once, here).
 */
#include <sbi/sbi_ecall_interface.h>
#include "dev/vuart.h"

#define VUART_RBR 0 /* THR on write; DLL with LCR.DLAB */
#define VUART_IER 1 /* DLM with LCR.DLAB */
#define VUART_IIR 2 /* FCR on write */
#define VUART_LCR 3
#define VUART_MCR 4
#define VUART_LSR 5
#define VUART_MSR 6
#define VUART_SCR 7

#define IER_RDI 0x01
#define IER_THRI 0x02
#define IER_MASK 0x0f
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_LOOP 0x10
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define MSR_LOOP_BITS 0xf0 /* DCD RI DSR CTS follow MCR in loopback */

static void vuart_lock(struct vuart *u)
{
	spin_lock(&u->lock);
}

/* After a sequentially consistent fence: see vuart_unlock */
static bool vuart_trylock(struct vuart *u)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return spin_trylock(&u->lock);
}

static void vuart_update(struct vuart *u);

/*
 * Unlock, first serving input that arrived while the lock was held: a
 * register access holds it while it asks the console for input, and
 * polled input is delivered to this UART on that same call chain
 * (vuart_input), which must not wait for the lock. vuart_input sets
 * `recheck` before it tries the lock; we drop the lock before we look at
 * `recheck` again, so one of the two always sees the other (both sides
 * are sequentially consistent).
 */
static void vuart_unlock(struct vuart *u)
{
	for (;;) {
		while (__atomic_exchange_n(&u->recheck, 0, __ATOMIC_ACQUIRE))
			vuart_update(u);
		spin_unlock(&u->lock);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&u->recheck, __ATOMIC_SEQ_CST) ||
		    !vuart_trylock(u))
			return;
	}
}

/*
 * The receive buffer is the guest's console queue itself (peeked, taken
 * on an RBR read), so the UART and SBI console reads never split input;
 * in loopback mode it is the byte the guest sent itself.
 */
static int vuart_rx(struct vuart *u, bool take)
{
	int c;

	if (u->mcr & MCR_LOOP) {
		c = u->rx;
		if (take)
			u->rx = NO_CHAR;
		return c;
	}
	return u->getc ? u->getc(u, take) : -1;
}

static u8 vuart_iir(struct vuart *u)
{
	u8 fifo = (u->fcr & FCR_ENABLE) ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && vuart_rx(u, false) >= 0)
		return fifo | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thr_ipending)
		return fifo | IIR_THRI;
	return fifo | IIR_NONE;
}

/*
 * Drive the interrupt line; with the lock held, so that two harts cannot
 * leave the line in the state of the older update (lock order: vuart, then
 * vPLIC, whose callbacks never come back here).
 */
static void vuart_update(struct vuart *u)
{
	bool level = !(vuart_iir(u) & IIR_NONE);

	if (u->irq && level != u->level) {
		u->level = level;
		u->irq(u, level);
	}
}

static int vuart_read(struct vdev *d, unsigned long off, unsigned int len,
		      u64 *val)
{
	struct vuart *u = d->priv;
	unsigned long reg = off >> u->shift;
	u8 v = 0;
	int c;

	if (len != 1 && len != 4)
		return SBI_ERR_INVALID_PARAM;
	if (off & ((1UL << u->shift) - 1)) {
		*val = 0;
		return 0;
	}
	/*
	 * LSR, what a polled console reads before every byte: a snapshot
	 * with no side effect here (the model has no error bits to clear),
	 * so neither the lock nor an interrupt-line update. New input
	 * updates the line itself (vuart_input).
	 */
	if (reg == VUART_LSR) {
		*val = LSR_THRE | LSR_TEMT |
		       (vuart_rx(u, false) >= 0 ? LSR_DR : 0);
		return 0;
	}
	vuart_lock(u);
	switch (reg) {
	case VUART_RBR:
		if (u->lcr & LCR_DLAB) {
			v = u->dll;
		} else {
			c = vuart_rx(u, true);
			v = c < 0 ? 0 : (u8)c;
		}
		break;
	case VUART_IER:
		v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case VUART_IIR:
		v = vuart_iir(u);
		if ((v & 0x0f) == IIR_THRI)
			u->thr_ipending = false; /* reading IIR clears it */
		break;
	case VUART_LCR:
		v = u->lcr;
		break;
	case VUART_MCR:
		v = u->mcr;
		break;
	case VUART_MSR:
		/* loopback wires MCR DTR/RTS/OUT1/OUT2 to DSR/CTS/RI/DCD */
		if (u->mcr & MCR_LOOP)
			v = ((u->mcr & 0x0c) << 4) | ((u->mcr & 0x01) << 5) |
			    ((u->mcr & 0x02) << 3);
		else
			v = 0xb0; /* DCD, DSR, CTS: a cable is attached */
		break;
	case VUART_SCR:
		v = u->scr;
		break;
	default:
		u->unimpl++;
		break;
	}
	vuart_update(u);
	vuart_unlock(u);
	*val = v;
	return 0;
}

static int vuart_write(struct vdev *d, unsigned long off, unsigned int len,
		       u64 val)
{
	struct vuart *u = d->priv;
	unsigned long reg = off >> u->shift;
	u8 v = (u8)val;

	if (len != 1 && len != 4)
		return SBI_ERR_INVALID_PARAM;
	if (off & ((1UL << u->shift) - 1))
		return 0;
	vuart_lock(u);
	switch (reg) {
	case VUART_RBR:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
		} else if (u->mcr & MCR_LOOP) {
			u->rx = v; /* loopback: what is sent is received */
			u->thr_ipending = true;
		} else if (u->putc && !u->putc(u, (char)v)) {
			/* the console is full: the store waits, as on a bus */
			vuart_unlock(u);
			return VDEV_RETRY;
		} else {
			/* sent at once: THR is empty again */
			u->thr_ipending = true;
		}
		break;
	case VUART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
			break;
		}
		/* enabling THRI with THR empty raises it (Linux tests this) */
		if ((v & IER_THRI) && !(u->ier & IER_THRI))
			u->thr_ipending = true;
		u->ier = v & IER_MASK;
		break;
	case VUART_IIR:
		u->fcr = v & 0xc9; /* enable, DMA mode, trigger level */
		if ((v & FCR_CLEAR_RX) && (u->mcr & MCR_LOOP))
			u->rx = NO_CHAR;
		break;
	case VUART_LCR:
		u->lcr = v;
		break;
	case VUART_MCR:
		u->mcr = v & 0x1f;
		break;
	case VUART_SCR:
		u->scr = v;
		break;
	case VUART_LSR:
	case VUART_MSR:
		break; /* read-only here */
	default:
		u->unimpl++;
		break;
	}
	vuart_update(u);
	vuart_unlock(u);
	return 0;
}

static void vuart_reset(struct vdev *d)
{
	struct vuart *u = d->priv;

	vuart_lock(u);
	u->ier = u->lcr = u->mcr = u->scr = u->dll = u->dlm = u->fcr = 0;
	u->thr_ipending = false;
	vuart_update(u);
	vuart_unlock(u);
}

void vuart_init(struct vuart *u, unsigned int shift)
{
	u->shift = shift;
	u->rx = NO_CHAR;
	u->lock = (struct spinlock){ 0, 0 };
	u->recheck = 0;
	u->level = false;
}

/*
 * Console input was queued: the line may rise. Never waits for the lock
 * (see vuart_unlock): if it is held, its holder updates the line.
 */
void vuart_input(struct vuart *u)
{
	__atomic_store_n(&u->recheck, 1, __ATOMIC_SEQ_CST);
	if (vuart_trylock(u))
		vuart_unlock(u);
}

const struct vdev_ops vuart_ops = {
	.name = "ns16550a",
	.read = vuart_read,
	.write = vuart_write,
	.reset = vuart_reset,
};
