/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_MIGRATE_H
#define HYP_MIGRATE_H

#include "core/hart.h"

/* Let v move between the harts of mask (round-robin vCPUs only) */
void migrate_allow(struct vcpu *v, unsigned long mask);
/* Scheduler loop, before picking: take in the vCPUs handed to this hart */
void migrate_adopt(struct hart *h, unsigned long now);
/* After picking: hand waiting vCPUs to idle harts of their affinity */
void migrate_push(struct hart *h, unsigned long now);
/* Before sleeping: say so, and wake a hart with work this one could do */
void migrate_idle(struct hart *h);

#endif
