// SPDX-License-Identifier: BSD-2-Clause
/* The doorbell device (doorbell.h). */
#include <sbi/sbi_ecall_interface.h>
#include "dev/doorbell.h"

static int doorbell_read(struct vdev *d, unsigned long off, unsigned int len,
			 u64 *val)
{
	struct doorbell *b = d->priv;

	if (len != 4 || off)
		return SBI_ERR_INVALID_PARAM;
	*val = (u32)__atomic_load_n(&b->rung, __ATOMIC_RELAXED);
	return 0;
}

static int doorbell_write(struct vdev *d, unsigned long off, unsigned int len,
			  u64 val)
{
	struct doorbell *b = d->priv;

	(void)val;
	if (len != 4 || off)
		return SBI_ERR_INVALID_PARAM;
	__atomic_fetch_add(&b->rung, 1, __ATOMIC_RELAXED);
	if (b->ring)
		b->ring(b);
	return 0;
}

const struct vdev_ops doorbell_ops = {
	.name = "sbivisor,doorbell",
	.read = doorbell_read,
	.write = doorbell_write,
};
