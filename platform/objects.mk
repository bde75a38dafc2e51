# SPDX-License-Identifier: BSD-2-Clause
# sbivisor's out-of-tree OpenSBI platform (PLATFORM_DIR=<repo>, PLATFORM=platform).
# SHV_HS_BASE/SHV_HS_SIZE/SHV_FASTPATH come from the top-level Makefile.

platform-genflags-y = -I$(src_dir) -I$(src_dir)/platform/generic/include \
	-I$(platform_src_dir)/../include -I$(SHV_GEN) \
	-DSHV_HS_BASE=$(SHV_HS_BASE) -DSHV_HS_SIZE=$(SHV_HS_SIZE) \
	-DSHV_FASTPATH=$(SHV_FASTPATH) -DSHV_MAX_HARTS=$(SHV_MAX_HARTS)
# Frame pointers only feed a debugger's backtrace here (OpenSBI 1.6 has no
# unwinder): the M fast path goes without, and with tail calls.
platform-cflags-y = -Wvla -fomit-frame-pointer -foptimize-sibling-calls
platform-asflags-y =
platform-ldflags-y =

platform-objs-y += platform.o
platform-objs-y += ../firmware/mentry.o
platform-objs-y += ../firmware/mmsg.o
platform-objs-y += ../firmware/mrfence.o
platform-objs-y += ../firmware/mshare.o

FW_TEXT_START=$(SHV_FW_BASE)
FW_DYNAMIC=y
FW_JUMP=n
FW_PAYLOAD=n
