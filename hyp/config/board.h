/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A guest's virtual board: what the configuration puts around a guest of
 * the core, wired to it through the core's interfaces (device windows,
 * the vCPU interrupt line, lifecycle hooks, the guest console): its
 * vPLIC, its vUART, host devices passed through and the host interrupts
 * forwarded into the vPLIC, and its console ports (input and output).
 */
#ifndef HYP_CONFIG_BOARD_H
#define HYP_CONFIG_BOARD_H

#include "console/conmux.h"
#include "console/conout.h"
#include "core/guest.h"
#include "dev/virqchip.h"
#include "dev/vplic.h"
#include "dev/vuart.h"
#include "host/ptdev.h"

struct cfg_guest;

struct board {
	struct guest *g;
	const struct cfg_guest *cfg; /* configured: modules to reload */
	unsigned long load_pos;	     /* bytes of the modules copied so far */
	struct virqchip *irqchip;    /* NULL: no interrupt controller */
	gpa_t irqchip_gpa;
	unsigned long irqchip_size;
	struct vplic vplic; /* irqchip, when it is a vPLIC */
	struct vuart vuart;
	u32 vuart_irq;
	gpa_t uart_gpa;
	unsigned long uart_size;
	u32 fwd[VPLIC_WORDS];	/* irqchip sources that are host interrupts */
	const struct ptdev *pt; /* host devices passed through */
	unsigned long npt;
	struct conmux_port con_in;
	struct conout_port con_out;
};

/* Boot: g gets its board and console ports (every guest, first) */
struct board *board_init(struct guest *g);
struct board *board_of(struct guest *g);
int board_plic_init(struct board *b, gpa_t gpa, unsigned long size, u32 ndev);
int board_uart_init(struct board *b, gpa_t gpa, unsigned long size,
		    unsigned int shift, u32 irq);
/* Host devices for an identity-mapped guest, their interrupts forwarded */
int board_passthrough(struct board *b, const struct ptdev *d, unsigned long n,
		      unsigned long hartid);
/* An edge into source src of b's interrupt controller (doorbells) */
void board_pulse(struct board *b, u32 src);
/* Boot: the hooks and the guest console, once */
void board_setup(void);

#endif
