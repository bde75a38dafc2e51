/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_MMIO_H
#define HYP_MMIO_H

#include "core/exit.h"
#include "core/vdev.h"

struct guest;

/* Exit handler for load/store guest-page faults */
enum vcpu_action mmio_exit(struct vcpu *v, struct vcpu_exit *e);
/* Give guest g an emulated device window (left unmapped in stage 2) */
int mmio_add(struct guest *g, gpa_t base, unsigned long size,
	     const struct vdev_ops *ops, void *priv);
/* Reset every emulated device of g (guest reboot) */
void mmio_reset_all(struct guest *g);

#endif
