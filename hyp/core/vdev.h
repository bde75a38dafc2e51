/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Emulated devices (KVM style): a guest-physical window and an ops table.
 * Offsets are from the window base; len is 1, 2, 4 or 8. A handler
 * returns 0, or a negative SBI error for an access the device cannot take
 * (bad width or alignment): the guest is then stopped with a report; or
 * VDEV_RETRY when it cannot take the access yet (its buffer is full): the
 * vCPU then waits (vcpu_stall) and the instruction runs again.
 * Registers a model does not implement read 0 and ignore writes, as
 * hardware does, and are counted in the device's unimpl counter.
 */
#ifndef HYP_VDEV_H
#define HYP_VDEV_H

#include "base/types.h"

#define VDEV_RETRY 1

struct vdev;

struct vdev_ops {
	const char *name;
	int (*read)(struct vdev *d, unsigned long off, unsigned int len,
		    u64 *val);
	int (*write)(struct vdev *d, unsigned long off, unsigned int len,
		     u64 val);
	void (*reset)(struct vdev *d);
};

struct vdev {
	gpa_t base;
	unsigned long size;
	const struct vdev_ops *ops;
	void *priv;
	unsigned long reads, writes; /* accesses emulated */
};

#endif
