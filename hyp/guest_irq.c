// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest interrupt plumbing: the vPLIC as an emulated device, its line to
 * each vCPU (hvip.VSEIP), host interrupts forwarded into it, and the
 * emulated UART's line and console input.
 */
#include "guest.h"
#include "hart.h"
#include "hostirq.h"
#include "mmio.h"

static int guest_vplic_read(struct vdev *d, unsigned long off, unsigned int len,
			    u64 *val)
{
	return vplic_read(d->priv, off, len, val);
}

static int guest_vplic_write(struct vdev *d, unsigned long off,
			     unsigned int len, u64 val)
{
	return vplic_write(d->priv, off, len, val);
}

static void guest_vplic_reset(struct vdev *d)
{
	vplic_reset(d->priv);
}

static const struct vdev_ops guest_vplic_dev = {
	.name = "plic",
	.read = guest_vplic_read,
	.write = guest_vplic_write,
	.reset = guest_vplic_reset,
};

/*
 * Context ctx is vCPU ctx. Its hart folds the line (vplic_line) into
 * hvip.VSEIP on every guest entry. Kick that hart when the vCPU must
 * act on the change now: it runs there (it exits and sees the line) or
 * waits there for an interrupt it enabled (the scheduler loop wakes it),
 * whichever hart changed the line — a vCPU homed on this hart but not
 * loaded would otherwise wait until something else ran the loop. The
 * line was stored before (under the vPLIC lock); the fence orders that
 * store before we look at the vCPU (vcpu_line_wakes). A vCPU moving to
 * another hart re-reads the line there (balance.c).
 */
static void guest_vplic_notify(struct vplic *p, u32 ctx)
{
	struct guest *g = p->priv;
	unsigned long hart;
	struct vcpu *v;

	if (ctx >= g->nvcpus)
		return;
	v = g->vcpu[ctx];
	hart = __atomic_load_n(&v->hart, __ATOMIC_ACQUIRE);
	if (hart == hart_self()->hartid && v->loaded && hart_self()->cur == v) {
		vcpu_fold_pending(v);
		return;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vcpu_line_wakes(v))
		hart_kick(hart);
}

static void guest_vplic_complete(struct vplic *p, u32 src)
{
	struct guest *g = p->priv;

	if (src < VPLIC_MAX_SRC && (g->fwd[src / 32] >> (src % 32)) & 1)
		hostirq_complete(src);
}

static const struct vplic_ops guest_vplic_ops = {
	.notify = guest_vplic_notify,
	.complete = guest_vplic_complete,
};

int guest_irq_init(struct guest *g, gpa_t plic_gpa, unsigned long size,
		   u32 ndev)
{
	int rc = vplic_init(&g->vplic, ndev, g->nvcpus, &guest_vplic_ops, g);

	g->plic_gpa = plic_gpa;
	g->plic_size = size;
	if (!rc)
		rc = mmio_add(g, plic_gpa, size, &guest_vplic_dev, &g->vplic);
	g->has_vplic = !rc;
	return rc;
}

/*
 * A host interrupt claimed for guest g: latch it in the vPLIC gateway
 * (a pulse: the host source stays claimed, so it cannot fire again until
 * the guest completes it and we complete it on the host). A guest being
 * rebooted gets it too: if its vPLIC reset comes after, the reset retires
 * it (completing it on the host); if before, the new boot serves it. A
 * stopped guest's source is masked by guest_irq_stop(); one claimed just
 * before that is completed and masked here.
 */
static void guest_irq_host(u32 src, void *arg)
{
	struct guest *g = arg;

	if (__atomic_load_n(&g->state, __ATOMIC_ACQUIRE) == GUEST_DEAD) {
		hostirq_complete(src);
		hostirq_mask(src);
		hyp_printf("sbivisor: guest '%s': host interrupt %u after it "
			   "stopped: masked\n",
			   g->name, src);
		return;
	}
	vplic_pulse(&g->vplic, src);
}

int guest_irq_forward(struct guest *g, u32 src, unsigned long hartid)
{
	if (!g->has_vplic || !src || src > g->vplic.ndev)
		return SBI_ERR_INVALID_PARAM;
	g->fwd[src / 32] |= 1U << (src % 32);
	return hostirq_route(src, hartid, guest_irq_host, g);
}

/* fn(src) for every host source forwarded into g's vPLIC */
static void guest_irq_each_fwd(struct guest *g, void (*fn)(u32 src))
{
	u32 src;

	for (src = 1; src < VPLIC_MAX_SRC; src++)
		if ((g->fwd[src / 32] >> (src % 32)) & 1)
			fn(src);
}

/*
 * g has stopped for good: complete on the host every forwarded interrupt
 * it left in its vPLIC (the reset retires them), then mask its sources,
 * so that a device it left asserting its line cannot storm the hart the
 * source is routed to. In this order: a PLIC ignores the completion of a
 * source that is not enabled.
 */
void guest_irq_stop(struct guest *g)
{
	if (!g->has_vplic)
		return;
	vplic_reset(&g->vplic);
	guest_irq_each_fwd(g, hostirq_mask);
}

/* g starts again after a stop: its forwarded sources serve it again */
void guest_irq_restart(struct guest *g)
{
	if (g->has_vplic)
		guest_irq_each_fwd(g, hostirq_unmask);
}

static void guest_uart_line(struct vuart *u, bool level)
{
	struct guest *g = u->priv;

	if (g->has_vplic && g->vuart_irq)
		vplic_set_level(&g->vplic, g->vuart_irq, level);
}

static int guest_uart_getc(struct vuart *u, bool take)
{
	return conmux_getc(u->priv, take);
}

static bool guest_uart_putc(struct vuart *u, char c)
{
	struct guest *g = u->priv;

	return conout_putc(&g->con_out, c);
}

int guest_uart_init(struct guest *g, gpa_t gpa, unsigned long size,
		    unsigned int shift, u32 irq)
{
	struct vuart *u = &g->vuart;

	vuart_init(u, shift);
	u->priv = g;
	u->irq = guest_uart_line;
	u->getc = guest_uart_getc;
	u->putc = guest_uart_putc;
	g->vuart_irq = irq;
	g->uart_gpa = gpa;
	g->uart_size = size;
	return mmio_add(g, gpa, size, &vuart_ops, u);
}

/* Console input was queued for g: its UART may raise an interrupt */
void guest_console_input(struct guest *g)
{
	if (g->state == GUEST_RUNNING && g->vuart.getc)
		vuart_input(&g->vuart);
}
