/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_CONFIG_GUEST_CFG_H
#define HYP_CONFIG_GUEST_CFG_H

#include "config/board.h"

struct cfg_shm;

/* 0: no configuration (make the default guest); 1: guests made; <0 */
int guest_cfg_boot(const void *fdt, hpa_t hyp_end);
const struct cfg_guest *guest_cfg_peer(const struct cfg_guest *c,
				       const struct cfg_shm *s);
/* Host RAM for configured guests and shared windows (2 MiB aligned) */
hpa_t guest_alloc_host(unsigned long size);

#endif
