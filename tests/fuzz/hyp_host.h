/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stand-in for hyp/base/hyp.h when hyp/config/guestdt.c and hyp/host/hostdt.c
 * are compiled for the host (fuzz_guestdt, `-include`d first): hyp.h's SBI
 * calls and CSR accesses are RISC-V assembly. Defining its include guard here
 * keeps it out; what those two files use from it is declared below, with the
 * same types, and defined by the harness.
 */
#ifndef TEST_FUZZ_HYP_HOST_H
#define TEST_FUZZ_HYP_HOST_H

#define HYP_HYP_H

#include <sbi/sbi_types.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbivisor/shared.h>
#include "../../hyp/base/types.h"
#include "../../hyp/base/config.h"

#include "../../hyp/base/log.h"
#include "../../hyp/base/platform.h"

#endif
