/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_BALANCE_H
#define HYP_BALANCE_H

#include "hart.h"

/* Let v move between the harts of mask (round-robin vCPUs only) */
void balance_allow(struct vcpu *v, unsigned long mask);
/* Scheduler loop, before picking: take in the vCPUs handed to this hart */
void balance_adopt(struct hart *h, unsigned long now);
/* After picking: hand waiting vCPUs to idle harts of their affinity */
void balance_push(struct hart *h, unsigned long now);
/* Before sleeping: say so, and wake a hart with work this one could do */
void balance_idle(struct hart *h);

#endif
