/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_GDT_H
#define HYP_GDT_H

#include "guest.h"

/* Write the guest's device tree into fdt (size bytes): 0 or -1. */
int gdt_build(struct guest *g, void *fdt, unsigned long size);

#endif
