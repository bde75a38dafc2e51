/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_GUESTDT_H
#define HYP_GUESTDT_H

#include "config/board.h"

/* Write the guest's device tree into fdt (size bytes): 0 or -1. */
int guestdt_build(struct guest *g, void *fdt, unsigned long size);
/* The guest's riscv,isa from the host's: what it may use, NUL-terminated */
void guestdt_guest_isa(const char *host, char *out, unsigned long size);
/* Whether an ISA string names multi-letter extension ext */
bool guestdt_isa_names(const char *isa, const char *ext);
/* Its riscv,isa-base and riscv,isa-extensions list: the list's length or -1 */
int guestdt_isa_extensions(const char *isa, char *base, unsigned long bsize,
			   char *out, unsigned long size);

#endif
