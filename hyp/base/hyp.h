/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The base floor in one include: types, static limits, SBI calls to the
 * firmware, the logger, the platform facts and halting. Every floor above
 * may include it; it includes nothing of hyp/ but base/.
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbivisor/shared.h>
#include "base/types.h"
#include "base/config.h"
#include "base/sbicall.h"
#include "base/log.h"
#include "base/platform.h"

#endif
