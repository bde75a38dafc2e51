/* SPDX-License-Identifier: BSD-2-Clause */
/* Host unit tests: cmocka first, then the code under test. */
#ifndef TEST_UNIT_H
#define TEST_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#endif
