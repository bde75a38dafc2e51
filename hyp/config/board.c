// SPDX-License-Identifier: BSD-2-Clause
/*
 * A guest's virtual board (board.h): the vPLIC as an emulated device and
 * the level of its line to each vCPU (hvip.VSEIP), host interrupts
 * forwarded into it, the emulated UART's line and console, passthrough,
 * and what the board does when its guest stops, reboots or prints.
 */
#include "config/board.h"
#include "core/mmio.h"
#include "host/hostirq.h"
#include "../../lib/range.h"

static struct board boards[CONFIG_MAX_GUESTS];

struct board *board_of(struct guest *g)
{
	return &boards[g->id];
}

/*
 * Context ctx is vCPU ctx, whose line is the controller's line word for
 * ctx (attached at init), stored under the controller's lock before this.
 */
static void board_irq_notify(struct virqchip *c, u32 ctx)
{
	struct board *b = c->priv;

	if (ctx < b->g->nvcpus)
		vcpu_line_changed(b->g->vcpu[ctx]);
}

static bool board_is_fwd(const struct board *b, u32 src)
{
	return src < VPLIC_MAX_SRC && (b->fwd[src / 32] >> (src % 32)) & 1;
}

static void board_irq_complete(struct virqchip *c, u32 src)
{
	if (board_is_fwd(c->priv, src))
		hostirq_complete(src);
}

static const struct virqchip_hooks board_irq_hooks = {
	.notify = board_irq_notify,
	.complete = board_irq_complete,
};

/* The interrupt controller c (initialized) becomes b's */
static int board_irqchip(struct board *b, struct virqchip *c, gpa_t gpa,
			 unsigned long size)
{
	struct guest *g = b->g;
	unsigned long i;
	int rc = mmio_add(g, gpa, size, c->ops->mmio, c);

	if (rc)
		return rc;
	b->irqchip = c;
	b->irqchip_gpa = gpa;
	b->irqchip_size = size;
	for (i = 0; i < g->nvcpus && i < c->nctx; i++)
		vcpu_attach_line(g->vcpu[i], c->ops->line(c, i));
	return 0;
}

int board_plic_init(struct board *b, gpa_t gpa, unsigned long size, u32 ndev)
{
	int rc = vplic_init(&b->vplic, ndev, b->g->nvcpus, &board_irq_hooks, b);

	return rc ? rc : board_irqchip(b, &b->vplic.chip, gpa, size);
}

/*
 * A host interrupt claimed for guest g: an edge into its interrupt
 * controller (the host source stays claimed, so it cannot fire again until
 * the guest completes it and we complete it on the host). A guest being
 * rebooted gets it too: if its vPLIC reset comes after, the reset retires
 * it (completing it on the host); if before, the new boot serves it. A
 * stopped guest's source is masked by board_stop(); one claimed just
 * before that is completed and masked here.
 */
static void board_irq_host(u32 src, void *arg)
{
	struct board *b = arg;
	struct guest *g = b->g;

	if (__atomic_load_n(&g->state, __ATOMIC_ACQUIRE) == GUEST_DEAD) {
		hostirq_mask(src); /* completes it too */
		hyp_printf("sbivisor: guest '%s': host interrupt %u after it "
			   "stopped: masked\n",
			   g->name, src);
		return;
	}
	virqchip_pulse(b->irqchip, src);
}

void board_pulse(struct board *b, u32 src)
{
	if (b->irqchip)
		virqchip_pulse(b->irqchip, src);
}

static int board_forward(struct board *b, u32 src, unsigned long hartid)
{
	if (!b->irqchip || !virqchip_src_ok(b->irqchip, src) ||
	    src >= VPLIC_MAX_SRC)
		return SBI_ERR_INVALID_PARAM;
	b->fwd[src / 32] |= 1U << (src % 32);
	return hostirq_route(src, hartid, board_irq_host, b);
}

/* fn(src) for every host source forwarded into b's interrupt controller */
static void board_each_fwd(struct board *b, void (*fn)(u32 src))
{
	u32 src;

	for (src = 1; src < VPLIC_MAX_SRC; src++)
		if (board_is_fwd(b, src))
			fn(src);
}

/*
 * g has stopped for good: mask its sources, so that a device it left
 * asserting its line cannot storm the hart the source is routed to;
 * masking completes on the host what it left claimed in its vPLIC, so
 * the reset after it retires nothing on the host a second time.
 */
static void board_stop(struct guest *g)
{
	struct board *b = board_of(g);

	if (!b->irqchip)
		return;
	board_each_fwd(b, hostirq_mask);
	virqchip_reset(b->irqchip);
}

/*
 * g boots again (its devices were reset): after a stop its forwarded
 * sources serve it again (the vPLIC reset retired them); input typed
 * for the old boot is dropped.
 */
static void board_reset(struct guest *g, bool from_dead)
{
	struct board *b = board_of(g);

	if (b->irqchip && from_dead)
		board_each_fwd(b, hostirq_unmask);
	conmux_flush(&b->con_in);
}

static void board_stats(struct guest *g)
{
	struct board *b = board_of(g);
	unsigned long n = b->irqchip ? b->irqchip->ops->unimpl(b->irqchip) : 0;

	if (n)
		hyp_printf("sbivisor-stats: guest=%s dev=%s "
			   "unimplemented=%lu\n",
			   g->name, b->irqchip->ops->mmio->name, n);
	if (b->vuart.unimpl)
		hyp_printf("sbivisor-stats: guest=%s dev=uart "
			   "unimplemented=%lu\n",
			   g->name, b->vuart.unimpl);
	if (b->con_out.stalls)
		hyp_printf("sbivisor-stats: guest=%s console_full=%lu\n",
			   g->name, b->con_out.stalls);
}

static const struct guest_hooks board_hooks = {
	.stop = board_stop,
	.reset = board_reset,
	.stats = board_stats,
};

static void board_uart_line(struct vuart *u, bool level)
{
	struct board *b = u->priv;

	if (b->irqchip && b->vuart_irq)
		virqchip_set_level(b->irqchip, b->vuart_irq, level);
}

static int board_uart_getc(struct vuart *u, bool take)
{
	struct board *b = u->priv;

	return conmux_getc(&b->con_in, take);
}

static bool board_uart_putc(struct vuart *u, char c)
{
	struct board *b = u->priv;

	return conout_putc(&b->con_out, c);
}

int board_uart_init(struct board *b, gpa_t gpa, unsigned long size,
		    unsigned int shift, u32 irq)
{
	struct vuart *u = &b->vuart;

	vuart_init(u, shift);
	u->priv = b;
	u->irq = board_uart_line;
	u->getc = board_uart_getc;
	u->putc = board_uart_putc;
	b->vuart_irq = irq;
	b->uart_gpa = gpa;
	b->uart_size = size;
	return mmio_add(b->g, gpa, size, &vuart_ops, u);
}

/*
 * Host devices for an identity-mapped guest (docs/architecture.md "Memory and
 * boot"): each window mapped at its host address (read/write, never
 * executable), each interrupt forwarded into the guest's vPLIC under the same
 * source number from hart hartid, where the host PLIC delivers it. The list
 * stays the caller's; the guest's device tree describes it.
 */
int board_passthrough(struct board *b, const struct ptdev *d, unsigned long n,
		      unsigned long hartid)
{
	struct guest *g = b->g;
	unsigned long i;
	int rc;

	for (i = 0; i < n; i++) {
		/*
		 * Mapped over an emulated window, the host device would
		 * answer in the model's place (the host PLIC itself, for
		 * one): the collectors keep such windows out, this is the
		 * last check before stage-2.
		 */
		if ((b->irqchip &&
		     range_common(d[i].base, d[i].size, b->irqchip_gpa,
				  b->irqchip_size)) ||
		    range_common(d[i].base, d[i].size, b->uart_gpa,
				 b->uart_size)) {
			hyp_printf("sbivisor: guest '%s': device 0x%lx+0x%lx "
				   "overlaps an emulated device\n",
				   g->name, d[i].base, d[i].size);
			return SBI_ERR_INVALID_ADDRESS;
		}
		rc = guest_map_device(g, d[i].base, d[i].size);
		if (rc) {
			hyp_printf("sbivisor: guest '%s': cannot map device "
				   "0x%lx+0x%lx (%d)\n",
				   g->name, d[i].base, d[i].size, rc);
			return rc;
		}
		rc = d[i].irq && b->irqchip ? board_forward(b, d[i].irq, hartid)
					    : 0;
		if (rc) {
			hyp_printf("sbivisor: guest '%s': cannot forward "
				   "interrupt %u to hart %lu (%d)\n",
				   g->name, d[i].irq, hartid, rc);
			return rc;
		}
	}
	b->pt = d;
	b->npt = n;
	return 0;
}

/* ---- the guest's console ports ---- */

static bool board_con_live(struct conmux_port *p)
{
	struct board *b = p->priv;

	return __atomic_load_n(&b->g->state, __ATOMIC_ACQUIRE) == GUEST_RUNNING;
}

/* Input was queued: the vUART may raise its interrupt */
static void board_con_input(struct conmux_port *p)
{
	struct board *b = p->priv;

	if (board_con_live(p) && b->vuart.getc)
		vuart_input(&b->vuart);
}

/* Output had no room: the vCPUs that waited for it retry now */
static void board_con_room(struct conout_port *p)
{
	struct board *b = p->priv;
	unsigned long i;

	for (i = 0; i < b->g->nvcpus; i++)
		vcpu_unstall(b->g->vcpu[i]);
}

static unsigned long board_con_write(struct guest *g, const char *buf,
				     unsigned long n)
{
	return conout_write(&board_of(g)->con_out, buf, n);
}

static long board_con_read(struct guest *g, char *buf, unsigned long n)
{
	return conmux_read(&board_of(g)->con_in, buf, n);
}

static int board_con_getc(struct guest *g)
{
	return conmux_getc(&board_of(g)->con_in, true);
}

static const struct guest_console board_console = {
	.write = board_con_write,
	.read = board_con_read,
	.getc = board_con_getc,
};

struct board *board_init(struct guest *g)
{
	struct board *b = board_of(g);

	b->g = g;
	b->con_in.name = g->name;
	b->con_in.id = g->id;
	b->con_in.live = board_con_live;
	b->con_in.input = board_con_input;
	b->con_in.priv = b;
	conmux_register(&b->con_in);
	conout_register(&b->con_out, g->name, board_con_room, b);
	return b;
}

void board_setup(void)
{
	guest_add_hooks(&board_hooks);
	guest_set_console(&board_console);
}
