// SPDX-License-Identifier: BSD-2-Clause
/*
 * Shared-memory windows between two configured guests (docs/config.md):
 * one host region per pair, mapped read/write (never executable) into
 * both at the guest-physical addresses each chose, and a doorbell page
 * right after each window: a 32-bit write to it raises the interrupt the
 * configuration names in the peer's vPLIC. Nothing else is shared.
 */
#include <sbi/sbi_string.h>
#include "config/board.h"
#include "config/guest_cfg.h"
#include "config/shmem.h"
#include "core/mmio.h"
#include "dev/doorbell.h"

#define SHMEM_MAX (CONFIG_MAX_GUESTS * CFG_MAX_SHM)
#define SHMEM_POOL_BASE_ALIGN 4096UL

struct shmem_bell {
	struct doorbell bell;
	struct guest *peer;
	u32 irq;
};

static struct shmem_bell shmem_bells[SHMEM_MAX];
static unsigned long shmem_nbells;

/* A ring raises the configured interrupt in the peer's vPLIC */
static void shmem_ring(struct doorbell *d)
{
	struct shmem_bell *b = d->priv;

	if (b->irq &&
	    __atomic_load_n(&b->peer->state, __ATOMIC_ACQUIRE) == GUEST_RUNNING)
		board_pulse(board_of(b->peer), b->irq);
}

/* Host memory for the windows: carved by the caller, handed out here */
static hpa_t shmem_host[SHMEM_MAX];

static int shmem_map(struct guest *g, const struct cfg_shm *s, hpa_t hpa,
		     struct guest *peer)
{
	struct shmem_bell *b;
	int rc;

	rc = gstage_map(&g->gs, s->gpa, hpa, s->size, GSTAGE_R | GSTAGE_W);
	if (rc || shmem_nbells >= SHMEM_MAX)
		return rc ? rc : SBI_ERR_FAILED;
	b = &shmem_bells[shmem_nbells++];
	b->peer = peer;
	b->irq = s->irq;
	b->bell.ring = shmem_ring;
	b->bell.priv = b;
	return mmio_add(g, s->gpa + s->size, SHMEM_DOORBELL_SIZE, &doorbell_ops,
			&b->bell);
}

int shmem_setup(const struct cfg *cfg, struct guest **gs)
{
	unsigned long i, j, k, n = 0;
	const struct cfg_shm *s, *t;
	hpa_t hpa;

	for (i = 0; i < cfg->nguests; i++) {
		for (j = 0; j < cfg->g[i].nshm; j++) {
			s = &cfg->g[i].shm[j];
			if ((unsigned long)s->peer_idx < i)
				continue; /* the pair was set up from the peer
					   */
			hpa = guest_alloc_host(s->size);
			if (!hpa || n >= SHMEM_MAX)
				goto fail;
			shmem_host[n++] = hpa;
			sbi_memset((void *)hpa, 0, s->size);
			if (shmem_map(gs[i], s, hpa, gs[s->peer_idx]))
				goto fail;
			/* the peer's matching window (the parser checked it) */
			for (k = 0; k < cfg->g[s->peer_idx].nshm; k++) {
				t = &cfg->g[s->peer_idx].shm[k];
				if (!sbi_strcmp(t->peer, cfg->g[i].name) &&
				    shmem_map(gs[s->peer_idx], t, hpa, gs[i]))
					goto fail;
			}
		}
	}
	return 0;
fail:
	hyp_printf("sbivisor: cannot set up shared memory\n");
	return SBI_ERR_FAILED;
}
