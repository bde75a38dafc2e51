// SPDX-License-Identifier: BSD-2-Clause
/*
 * Host interrupts (hostirq.h) over the host interrupt controller's driver
 * (irqchip.h). HS claims host interrupts and either serves them (the
 * console UART) or forwards them into a guest's interrupt controller,
 * completing them on the host only when the guest has completed them
 * (level-triggered devices keep their line up until served, so an early
 * completion would interrupt again at once).
 */
#include "host/hostirq.h"
#include "host/irqchip.h"

/* The drivers tried at boot, in order; the first that finds its chip */
static const struct irqchip *const hostirq_chips[] = { &plic_irqchip,
						       &aia_irqchip };

#define HOSTIRQ_PRIORITY 1 /* every routed source: any non-zero level */

struct hostirq_src {
	hostirq_fn fn;
	void *arg;
	unsigned long hart; /* delivered to (enabled and claimed there) */
	bool masked;	    /* disabled for good (hostirq_mask) */
	u32 claimed;	    /* dispatched, not completed: whoever clears it
			     * completes it on the controller (a word:
			     * AMOs) */
};

static struct {
	const struct irqchip *chip; /* NULL: no host interrupt controller */
	u32 ndev;
	bool used[CONFIG_MAX_HARTS]; /* something routed to this hart */
	struct hostirq_src src[HOSTIRQ_MAX];
} hostirq;

int hostirq_init(const void *fdt)
{
	unsigned long i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(hostirq_chips); i++) {
		rc = hostirq_chips[i]->probe(fdt);
		if (rc == SBI_ERR_NOT_SUPPORTED)
			continue;
		if (rc)
			return rc;
		hostirq.chip = hostirq_chips[i];
		hostirq.ndev = hostirq.chip->ndev();
		if (hostirq.ndev >= HOSTIRQ_MAX)
			hostirq.ndev = HOSTIRQ_MAX - 1;
		hyp_printf("sbivisor: host interrupt controller: %s, sources "
			   "1-%u\n",
			   hostirq.chip->name, hostirq.ndev);
		return 0;
	}
	/* none: no interrupts to forward, console input polled */
	hyp_printf("sbivisor: no host interrupt controller HS can use\n");
	return 0;
}

bool hostirq_present(void)
{
	return hostirq.chip != NULL;
}

u32 hostirq_ndev(void)
{
	return hostirq.ndev;
}

void hostirq_window(hpa_t *base, unsigned long *size)
{
	*base = 0;
	*size = 0;
	if (hostirq.chip)
		hostirq.chip->window(base, size);
}

static bool hostirq_routed(u32 src)
{
	return hostirq.chip && src && src <= hostirq.ndev &&
	       hostirq.src[src].fn;
}

int hostirq_route(u32 src, unsigned long hartid, hostirq_fn fn, void *arg)
{
	if (!hostirq.chip || !src || src > hostirq.ndev || !fn ||
	    hartid >= CONFIG_MAX_HARTS || !hostirq.chip->has_hart(hartid))
		return SBI_ERR_INVALID_PARAM;
	hostirq.src[src].fn = fn;
	hostirq.src[src].arg = arg;
	hostirq.src[src].hart = hartid;
	hostirq.used[hartid] = true;
	hostirq.chip->set_priority(src, HOSTIRQ_PRIORITY);
	hostirq.chip->enable(src, hartid, true);
	return 0;
}

/* Whether the caller took src's completion (it was claimed) */
static bool hostirq_take_claim(u32 src)
{
	return __atomic_exchange_n(&hostirq.src[src].claimed, 0,
				   __ATOMIC_ACQ_REL);
}

void hostirq_mask(u32 src)
{
	struct hostirq_src *s = &hostirq.src[src];

	if (!hostirq_routed(src))
		return;
	s->masked = true;
	if (hostirq_take_claim(src))
		hostirq.chip->retire(src, s->hart);
	else
		hostirq.chip->enable(src, s->hart, false);
}

/* A masked source's owner runs again (a stopped guest started anew) */
void hostirq_unmask(u32 src)
{
	if (hostirq_routed(src) && hostirq.src[src].masked) {
		hostirq.src[src].masked = false;
		hostirq.chip->enable(src, hostirq.src[src].hart, true);
	}
}

/*
 * OpenSBI's warm boot of a hart (HSM start) disables every source in the
 * hart's S-mode context and sets its threshold to 7: the sources routed
 * there before the hart started are enabled again here.
 */
void hostirq_hart_init(unsigned long hartid)
{
	u32 src;

	if (!hostirq.chip || hartid >= CONFIG_MAX_HARTS ||
	    !hostirq.chip->has_hart(hartid))
		return;
	for (src = 1; src <= hostirq.ndev; src++)
		if (hostirq.src[src].fn && hostirq.src[src].hart == hartid &&
		    !hostirq.src[src].masked)
			hostirq.chip->enable(src, hartid, true);
	hostirq.chip->hart_init(hartid);
	if (hostirq.used[hartid])
		csr_set(CSR_SIE, MIP_SEIP);
}

void hostirq_handle(unsigned long hartid)
{
	u32 src;

	if (!hostirq.chip || hartid >= CONFIG_MAX_HARTS ||
	    !hostirq.chip->has_hart(hartid))
		return;
	while ((src = hostirq.chip->claim(hartid))) {
		if (src <= hostirq.ndev && hostirq.src[src].fn) {
			__atomic_store_n(&hostirq.src[src].claimed, 1,
					 __ATOMIC_RELEASE);
			hostirq.src[src].fn(src, hostirq.src[src].arg);
		} else
			hostirq.chip->complete(src, hartid); /* not ours */
	}
}

/* Once per claim: a completion after hostirq_mask retired it is late */
void hostirq_complete(u32 src)
{
	if (hostirq_routed(src) && hostirq_take_claim(src))
		hostirq.chip->complete(src, hostirq.src[src].hart);
}
