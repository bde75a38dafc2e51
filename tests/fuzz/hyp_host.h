/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stand-in for hyp/hyp.h when hyp/gdt.c and hyp/hostdt.c are compiled for
 * the host (fuzz_gdt, `-include`d first): hyp.h's SBI calls and CSR
 * accesses are RISC-V assembly. Defining its include guard here keeps it
 * out; what those two files use from it is declared below, with the same
 * types, and defined by the harness.
 */
#ifndef TEST_FUZZ_HYP_HOST_H
#define TEST_FUZZ_HYP_HOST_H

#define HYP_HYP_H

#include <sbi/sbi_types.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbivisor/shared.h>
#include "../../hyp/types.h"
#include "../../hyp/config.h"

int hyp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern unsigned long hyp_has_sstc;
extern unsigned long hyp_vlenb;
extern unsigned long hyp_henvcfg;

#endif
