// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzzer for the emulated 16550A (hyp/dev/vuart.c, compiled as it is in the
 * tree): guest register accesses of any width and alignment, console
 * input arriving in a fake queue, resets. The glue is the vdev and the
 * three callbacks (line, getc, putc); the checks, from the 16550A data
 * sheet's register descriptions:
 *
 * - every byte the guest writes to THR reaches the console once, in
 *   order; nothing else does; a byte the console has no room for
 *   (putc refuses) is a VDEV_RETRY that changes nothing;
 * - RBR returns the console's bytes in order, each once, and takes only
 *   the byte it returns; LSR.DR says whether one is waiting;
 * - IIR and the interrupt line follow IER, the waiting data and THR
 *   empty (cleared by reading IIR), never announcing a change twice;
 * - LCR, MCR, IER, SCR, DLL/DLM read back what was written (masked).
 *
 * Input bytes the queue holds only count as delivered once vuart_input()
 * was called after they arrived: until then (deferred delivery) the line
 * and LSR may lag.
 */
#include "fuzz.h"
#include <sbi/sbi_ecall_interface.h>
#include "../../hyp/dev/vuart.h"

#define QLEN 64

static struct vuart u;
static struct vdev dev = { .priv = &u };

/* The fake console: an input queue, the output seen, the line */
static u8 q[QLEN];
static unsigned int qhead, qtail; /* free-running */
static u8 out[4096];
static unsigned int nout;
static int line_calls;
static bool line;

/* The model: registers as written, THR-empty latch, loopback byte */
static struct {
	u8 ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thri;
	int loop_rx;
	u8 sent[4096];
	unsigned int nsent;
	unsigned long unimpl;
	bool delivered; /* vuart_input() ran since the last byte arrived */
} m;

static void cb_irq(struct vuart *v, bool level)
{
	FZ_CHECK(v == &u, "irq");
	FZ_CHECK(!line_calls || level != line, "line set to %d twice", level);
	line = level;
	line_calls++;
}

static int cb_getc(struct vuart *v, bool take)
{
	int c;

	FZ_CHECK(v == &u, "getc");
	if (qhead == qtail)
		return -1;
	c = q[qhead % QLEN];
	if (take)
		qhead++;
	return c;
}

/* the console ring is full (an input op toggles it): putc refuses */
static bool full;

static bool cb_putc(struct vuart *v, char c)
{
	FZ_CHECK(v == &u && nout < sizeof(out), "putc");
	if (full)
		return false;
	out[nout++] = c;
	return true;
}

static bool m_loop(void)
{
	return m.mcr & 0x10;
}

static bool m_data(void)
{
	return m_loop() ? m.loop_rx >= 0 : qhead != qtail;
}

/* IIR as the data sheet orders it: RX data, then THR empty; no LSR/MSR */
static u8 m_iir_with(bool data)
{
	u8 fifo = m.fcr & 1 ? 0xc0 : 0;

	if (m.ier & 1 && data)
		return fifo | 0x04;
	if (m.ier & 2 && m.thri)
		return fifo | 0x02;
	return fifo | 0x01;
}

static u8 m_iir(void)
{
	return m_iir_with(m_data());
}

static void op_read(unsigned int reg, unsigned int len, unsigned int skew)
{
	unsigned long off = ((unsigned long)reg << u.shift) + skew;
	unsigned int head = qhead, took;
	bool ok = len == 1 || len == 4, data = m_data();
	bool late = !m.delivered && !m_loop(); /* input may lag */
	u64 v = 0x1234, want = 0;
	int rc;

	rc = vuart_ops.read(&dev, off, len, &v);
	FZ_CHECK(rc == (ok ? 0 : SBI_ERR_INVALID_PARAM), "read %lu/%u: %d", off,
		 len, rc);
	if (!ok || skew) {
		FZ_CHECK(!ok || v == 0, "misaligned read %lu: 0x%llx", off,
			 (unsigned long long)v);
		FZ_CHECK(qhead == head, "a failed read took input");
		return;
	}
	switch (reg) {
	case 0:
		if (m.lcr & 0x80) {
			want = m.dll;
		} else if (m_loop()) {
			want = m.loop_rx < 0 ? 0 : m.loop_rx;
			m.loop_rx = -1;
		} else {
			took = qhead - head;
			FZ_CHECK(took == data || (late && !took),
				 "RBR took %u bytes", took);
			want = took ? q[head % QLEN] : 0;
		}
		break;
	case 1:
		want = m.lcr & 0x80 ? m.dlm : m.ier;
		break;
	case 2:
		want = m_iir();
		if (late && v == m_iir_with(false))
			want = v;
		if ((want & 0xf) == 0x02)
			m.thri = false;
		break;
	case 3:
		want = m.lcr;
		break;
	case 4:
		want = m.mcr;
		break;
	case 5:
		/* data ready may lag input that was not delivered yet */
		want = 0x60 | (data ? 1 : 0);
		if (late)
			want = (v & 1) | 0x60;
		break;
	case 6:
		want = m_loop() ? ((m.mcr & 0xc) << 4 | (m.mcr & 1) << 5 |
				   (m.mcr & 2) << 3)
				: 0xb0;
		break;
	case 7:
		want = m.scr;
		break;
	default:
		m.unimpl++;
	}
	FZ_CHECK(v == want, "read reg %u: 0x%llx, expected 0x%llx", reg,
		 (unsigned long long)v, (unsigned long long)want);
}

static void op_write(unsigned int reg, unsigned int len, unsigned int skew,
		     u8 v)
{
	unsigned long off = ((unsigned long)reg << u.shift) + skew;
	bool ok = len == 1 || len == 4;
	/* a byte for a full console: retried later, nothing changes now */
	bool retry = ok && !skew && !reg && !(m.lcr & 0x80) && !m_loop() &&
		     full;
	int rc, want = ok ? 0 : SBI_ERR_INVALID_PARAM;

	if (retry)
		want = VDEV_RETRY;
	rc = vuart_ops.write(&dev, off, len, v | 0xab00);
	FZ_CHECK(rc == want, "write %lu/%u: %d", off, len, rc);
	if (!ok || skew || retry)
		return;
	switch (reg) {
	case 0:
		if (m.lcr & 0x80) {
			m.dll = v;
			break;
		}
		if (m_loop())
			m.loop_rx = v;
		else
			m.sent[m.nsent++] = v;
		m.thri = true; /* sent at once: THR empty again */
		break;
	case 1:
		if (m.lcr & 0x80) {
			m.dlm = v;
			break;
		}
		if (v & 2 && !(m.ier & 2))
			m.thri = true;
		m.ier = v & 0xf;
		break;
	case 2:
		m.fcr = v & 0xc9;
		if (v & 2 && m_loop())
			m.loop_rx = -1;
		break;
	case 3:
		m.lcr = v;
		break;
	case 4:
		m.mcr = v & 0x1f;
		break;
	case 5:
	case 6:
		break;
	case 7:
		m.scr = v;
		break;
	default:
		m.unimpl++;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz f = { data, size };
	static const unsigned int lens[8] = { 1, 1, 1, 4, 4, 2, 8, 0 };
	unsigned int reg, len, skew, n, ops = 0;
	u8 op;

	memset(&u, 0, sizeof(u));
	memset(&m, 0, sizeof(m));
	qhead = qtail = nout = line_calls = 0;
	line = full = false;
	vuart_init(&u, fz_u8(&f) & 1 ? 2 : 0);
	u.irq = cb_irq;
	u.getc = cb_getc;
	u.putc = cb_putc;
	m.loop_rx = -1;
	m.delivered = true;
	while (fz_more(&f) && ops++ < 256 && m.nsent < sizeof(m.sent)) {
		op = fz_u8(&f);
		reg = op >> 5 | (op & 0x10 ? fz_u8(&f) % 4 << 3 : 0);
		len = lens[fz_u8(&f) % 8];
		skew = op & 0x08 && u.shift ? 1 + fz_u8(&f) % 3 : 0;
		switch (op & 7) {
		case 0:
		case 1:
			op_read(reg, len, skew);
			break;
		case 2:
		case 3:
			op_write(reg, len, skew, fz_u8(&f));
			break;
		case 4: /* console input: delivered now or later */
			for (n = fz_u8(&f) % 8; n && qtail - qhead < QLEN; n--)
				q[qtail++ % QLEN] = fz_u8(&f);
			m.delivered = false;
			if (!(op & 0x80))
				break;
			/* fall through */
		case 5:
			vuart_input(&u);
			m.delivered = true;
			break;
		case 6:
			vuart_ops.reset(&dev);
			m.ier = m.lcr = m.mcr = m.scr = m.dll = m.dlm = m.fcr =
				0;
			m.thri = false;
			break;
		default:
			full = !full;
			break;
		}
		FZ_CHECK(nout == m.nsent && !memcmp(out, m.sent, nout),
			 "console output differs after %u bytes", nout);
		FZ_CHECK(u.unimpl == m.unimpl, "unimpl %lu, expected %lu",
			 u.unimpl, m.unimpl);
		FZ_CHECK(!m.delivered || line == !(m_iir() & 1),
			 "line %d, IIR 0x%x", line, m_iir());
	}
	return 0;
}
