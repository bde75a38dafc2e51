/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_SHMEM_H
#define HYP_SHMEM_H

#include "config/cfg.h"

struct guest;

/* The doorbell page follows each window: a write rings the peer */
#define SHMEM_DOORBELL_SIZE 0x1000UL /* dev/doorbell.h DOORBELL_SIZE */

/* Give every configured guest its shared-memory windows and doorbells */
int shmem_setup(const struct cfg *cfg, struct guest **gs);

#endif
