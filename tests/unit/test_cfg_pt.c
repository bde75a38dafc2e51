// SPDX-License-Identifier: BSD-2-Clause
/*
 * "sbivisor,passthrough" in the configuration parser (hyp/config/cfg_pt.c,
 * docs/config.md): host trees shaped like QEMU virt's, devices accepted
 * with their window and interrupt, every error with its exact text, and
 * random device nodes (never a crash, always one line).
 */
#include "cfg_tree.h"
#include "../../hyp/config/cfg_ctx.h"
#include "../../lib/dt.h"

#define PT "sbivisor,passthrough"
#define ERR(g, msg) "/chosen/" g ": property 'sbivisor,passthrough': " msg

/* An identity guest g: 32 MiB of host RAM at ram, the n phandles given */
static void rt(const char *g, u64 ram, u64 kaddr, int n, ...)
{
	fdt32_t v[16];
	va_list ap;
	int i;

	guest(g);
	emptyp(P(g, NULL), "sbivisor,identity");
	pair64(P(g, NULL), "memory", ram, MB(32));
	module(g, "kernel", "kernel", kaddr, MB(2));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(va_arg(ap, u32));
	va_end(ap);
	if (n)
		setp(P(g, NULL), PT, v, 4 * n);
}

/* The path of a node of the tree the parser saw */
static const char *path_of(int node)
{
	static char buf[96];

	assert_int_equal(fdt_get_path(flat, node, buf, sizeof(buf)), 0);
	return buf;
}

static int pt_setup(void **state)
{
	setup(state);
	host_tree();
	return 0;
}

static void test_pt_ok(void **state)
{
	const struct cfg_guest *g;

	(void)state;
	simple("vm0", 0x90000000);
	rt("rt", 0x88000000, 0x90200000, 3, PH_RTC, PH_VIO8, PH_SRAM);
	expect_ok();
	assert_int_equal(cfg.g[0].npt, 0);
	g = &cfg.g[1];
	assert_int_equal(g->npt, 3);
	assert_string_equal(path_of(g->pt[0].node), "/soc/rtc@101000");
	assert_int_equal(g->pt[0].base, 0x101000);
	assert_int_equal(g->pt[0].size, 0x1000);
	assert_int_equal(g->pt[0].irq, 11);
	assert_string_equal(path_of(g->pt[1].node), "/soc/"
						    "virtio_mmio@10008000");
	assert_int_equal(g->pt[1].base, 0x10008000);
	assert_int_equal(g->pt[1].irq, 8);
	assert_int_equal(g->pt[2].base, 0x3000000);
	assert_int_equal(g->pt[2].size, 0x2000);
	assert_int_equal(g->pt[2].irq, 0);
	/* an inherited interrupt-parent, 1-cell buses, the UART source */
	delp("/soc/rtc@101000", "interrupt-parent");
	u32p("/soc", "interrupt-parent", PH_PLIC);
	node("/soc", "bus");
	u32p("/soc/bus", "#address-cells", 1);
	u32p("/soc/bus", "#size-cells", 1);
	emptyp("/soc/bus", "ranges");
	node("/soc/bus", "dev@4000");
	cells("/soc/bus/dev@4000", "reg", 2, 0x4000, 0x1000);
	u32p("/soc/bus/dev@4000", "phandle", PH_FAKE);
	/* source 10: no UART, here or on the host's console */
	delp("/soc/serial@10000000", "interrupts");
	u32p("/soc/bus/dev@4000", "interrupts", 10);
	rt("rt2", 0x8a000000, 0x90400000, 2, PH_FAKE, PH_VIO7);
	emptyp(P("rt2", NULL), "sbivisor,no-vuart");
	expect_ok();
	assert_int_equal(cfg.g[1].pt[0].irq, 11);
	g = &cfg.g[2];
	assert_int_equal(g->npt, 2);
	assert_int_equal(g->pt[0].base, 0x4000);
	assert_int_equal(g->pt[0].size, 0x1000);
	assert_int_equal(g->pt[0].irq, 10);
	assert_int_equal(g->pt[1].irq, 7);
}

static void test_pt_property(void **state)
{
	fdt32_t v[9];
	int i;

	(void)state;
	simple("vm0", 0x90000000);
	u32p(P("vm0", NULL), PT, PH_RTC);
	expect(ERR("vm0", "only for sbivisor,identity guests"));
	delp(P("vm0", NULL), PT);
	rt("rt", 0x88000000, 0x90200000, 0);
	setp(P("rt", NULL), PT, "\0\0\0\7\0\0", 6);
	expect(ERR("rt", "length 6, expected 4 * n"));
	emptyp(P("rt", NULL), PT);
	expect(ERR("rt", "length 0, expected 4 * n"));
	for (i = 0; i < 9; i++)
		v[i] = cpu_to_fdt32(PH_RTC);
	setp(P("rt", NULL), PT, v, sizeof(v));
	expect(ERR("rt", "more than 8 devices"));
	u32p(P("rt", NULL), PT, 0x99);
	expect(ERR("rt", "phandle 0x99 matches no node"));
	u32p(P("rt", NULL), PT, 0);
	expect(ERR("rt", "phandle 0x0 matches no node"));
	u32p(P("rt", NULL), PT, ~0U);
	expect(ERR("rt", "phandle 0xffffffff matches no node"));
	cells(P("rt", NULL), PT, 2, PH_RTC, PH_RTC);
	expect(ERR("rt", "/soc/rtc@101000: listed twice"));
	u32p(P("rt", NULL), PT, PH_RTC);
	rt("rt2", 0x8a000000, 0x90400000, 2, PH_VIO8, PH_RTC);
	expect(ERR("rt2", "/soc/rtc@101000: already passed to guest 'rt'"));
}

static void test_pt_hypervisor_devices(void **state)
{
	static const struct {
		u32 phandle;
		const char *msg;
	} owned[] = {
		{ PH_PLIC, "/soc/plic@c000000: used by the hypervisor "
			   "(interrupt controller)" },
		{ PH_CLINT, "/soc/clint@2000000: used by the hypervisor (timer "
			    "and IPIs)" },
		{ PH_TEST, "/soc/test@100000: used by the hypervisor (machine "
			   "reset)" },
		{ PH_UART, "/soc/serial@10000000: used by the hypervisor "
			   "(console)" },
		{ PH_MEM, "/memory@80000000: used by the hypervisor (memory)" },
		{ PH_CPU, "/cpus/cpu@0: used by the hypervisor (CPU)" },
		{ PH_GUEST, "/chosen/vm0: used by the hypervisor "
			    "(configuration)" },
	};
	char want[CFG_ERR_MAX];
	unsigned long i;

	(void)state;
	simple("vm0", 0x90000000);
	u32p(P("vm0", NULL), "phandle", PH_GUEST);
	rt("rt", 0x88000000, 0x90200000, 1, PH_RTC);
	for (i = 0; i < ARRAY_SIZE(owned); i++) {
		u32p(P("rt", NULL), PT, owned[i].phandle);
		snprintf(want, sizeof(want), ERR("rt", "%s"), owned[i].msg);
		expect(want);
	}
	/* the console by alias, with options */
	node("/", "aliases");
	strp("/aliases", "serial0", "/soc/serial@10000000");
	strp("/chosen", "stdout-path", "serial0:115200n8");
	u32p(P("rt", NULL), PT, PH_UART);
	expect(ERR("rt", "/soc/serial@10000000: used by the hypervisor "
			 "(console)"));
	/* by address: a node over one of them */
	dev("/soc", "fake@2000000", "vendor,fake", 0x2008000, 0x1000, 0,
	    PH_FAKE);
	u32p(P("rt", NULL), PT, PH_FAKE);
	expect(ERR("rt", "/soc/fake@2000000: overlaps /soc/clint@2000000, "
			 "used by the hypervisor (timer and IPIs)"));
	pair64("/soc/fake@2000000", "reg", 0x10000000, 0x1000);
	expect(ERR("rt", "/soc/fake@2000000: overlaps /soc/serial@10000000, "
			 "used by the hypervisor (console)"));
	pair64("/soc/fake@2000000", "reg", 0x9ffff000, 0x2000);
	expect(ERR("rt", "/soc/fake@2000000: overlaps host RAM"));
	pair64("/soc/fake@2000000", "reg", 0x7ffff000, 0x1000);
	expect_ok();
}

static void test_pt_windows(void **state)
{
	(void)state;
	dev("/soc", "fake@101000", "vendor,fake", 0x101800, 0x1000, 0, PH_FAKE);
	rt("rt", 0x88000000, 0x90200000, 1, PH_FAKE);
	expect(ERR("rt", "/soc/fake@101000: window 0x101800+0x1000 empty, not "
			 "page aligned or wrapping"));
	pair64("/soc/fake@101000", "reg", 0x101000, 0);
	expect(ERR("rt", "/soc/fake@101000: window 0x101000+0x0 empty, not "
			 "page aligned or wrapping"));
	pair64("/soc/fake@101000", "reg", 0xfffffffffffff000ULL, 0x2000);
	expect(ERR("rt", "/soc/fake@101000: window 0xfffffffffffff000+0x2000 "
			 "empty, not page aligned or wrapping"));
	cells("/soc/fake@101000", "reg", 8, 0, 0x101000, 0, 0x1000, 0, 0x103000,
	      0, 0x1000);
	expect(ERR("rt", "/soc/fake@101000: no usable 'reg' (one <address "
			 "size> pair)"));
	delp("/soc/fake@101000", "reg");
	expect(ERR("rt", "/soc/fake@101000: no usable 'reg' (one <address "
			 "size> pair)"));
	u32p("/", "phandle", 0x77);
	u32p(P("rt", NULL), PT, 0x77);
	expect(ERR("rt", "/: no usable 'reg' (one <address size> pair)"));
	/* another device of this guest or of another one */
	pair64("/soc/fake@101000", "reg", 0x101000, 0x1000);
	cells(P("rt", NULL), PT, 2, PH_RTC, PH_FAKE);
	expect(ERR("rt", "/soc/fake@101000: overlaps /soc/rtc@101000"));
	u32p(P("rt", NULL), PT, PH_RTC);
	rt("rt2", 0x8a000000, 0x90400000, 1, PH_FAKE);
	expect(ERR("rt2", "/soc/fake@101000: overlaps /soc/rtc@101000"));
	/* a bus that translates, or none */
	node("/", "bus@4000000");
	u32p("/bus@4000000", "#address-cells", 2);
	u32p("/bus@4000000", "#size-cells", 2);
	cells("/bus@4000000", "ranges", 6, 0, 0, 0, 0x4000000, 0, 0x2000000);
	dev("/bus@4000000", "dev@0", "vendor,dev", 0, 0x1000, 0, 0x78);
	u32p(P("rt2", NULL), PT, 0x78);
	expect(ERR("rt2", "/bus@4000000/dev@0: not on a bus mapped 1:1 "
			  "(empty 'ranges')"));
	delp("/bus@4000000", "ranges");
	expect(ERR("rt2", "/bus@4000000/dev@0: not on a bus mapped 1:1 "
			  "(empty 'ranges')"));
	emptyp("/bus@4000000", "ranges");
	expect_ok();
}

/*
 * The hypervisor's devices are collected once per parse: a second
 * device checks against the same list; a tree with more of them than
 * the list holds is searched again for each device, with the same result.
 */
static void test_pt_many_hypervisor_devices(void **state)
{
	char name[32];
	int i;

	(void)state;
	dev("/soc", "fake@101000", "vendor,fake", 0x101000, 0x1000, 0, PH_FAKE);
	dev("/soc", "fake@1000000", "vendor,fake", 0x1000000, 0x1000, 0, 0x90);
	rt("rt", 0x88000000, 0x90200000, 2, PH_FAKE, 0x90);
	expect_ok();
	pair64("/soc/fake@1000000", "reg", 0x2000000, 0x1000);
	expect(ERR("rt", "/soc/fake@1000000: overlaps /soc/clint@2000000, "
			 "used by the hypervisor (timer and IPIs)"));
	for (i = 0; i < CFG_HYP_WINDOWS + 2; i++) {
		snprintf(name, sizeof(name), "reset@%x",
			 0x3000000 + i * 0x1000);
		dev("/soc", name, "syscon-reboot", 0x3000000 + i * 0x1000,
		    0x1000, 0, 0);
	}
	expect(ERR("rt", "/soc/fake@1000000: overlaps /soc/clint@2000000, "
			 "used by the hypervisor (timer and IPIs)"));
	pair64("/soc/fake@1000000", "reg", 0x3011000, 0x1000);
	expect(ERR("rt", "/soc/fake@1000000: overlaps /soc/reset@3011000, "
			 "used by the hypervisor (machine reset)"));
	pair64("/soc/fake@1000000", "reg", 0x3100000, 0x1000);
	expect_ok();
}

/* The guest's emulated devices and windows, where the host has none */
static void test_pt_guest_space(void **state)
{
	(void)state;
	pair64("/soc/plic@c000000", "reg", 0x40000000, 0x600000);
	pair64("/soc/serial@10000000", "reg", 0x40800000, 0x100);
	dev("/soc", "fake@c100000", "vendor,fake", 0xc100000, 0x1000, 0,
	    PH_FAKE);
	rt("rt", 0x88000000, 0x90200000, 1, PH_FAKE);
	expect(ERR("rt", "/soc/fake@c100000: overlaps the emulated PLIC at "
			 "0xc000000"));
	pair64("/soc/fake@c100000", "reg", 0x10000000, 0x1000);
	expect(ERR("rt", "/soc/fake@c100000: overlaps the emulated UART at "
			 "0x10000000"));
	emptyp(P("rt", NULL), "sbivisor,no-vuart");
	expect_ok();
	/* a shared-memory window and its doorbell page */
	simple("vm1", 0x90400000);
	shm("vm1", "shm@40000000", "rt", 0x40000000, 0x1000, 8);
	shm("rt", "shm@10007000", "vm1", 0x10007000, 0x1000, 0);
	u32p(P("rt", NULL), PT, PH_VIO8);
	expect(ERR("rt", "/soc/virtio_mmio@10008000: overlaps "
			 "/chosen/rt/shm@10007000"));
	pair64(P("rt", "shm@10007000"), "reg", 0x10006000, 0x1000);
	u32p(P("rt", NULL), PT, PH_VIO7);
	expect(ERR("rt", "/soc/virtio_mmio@10007000: overlaps "
			 "/chosen/rt/shm@10007000"));
	/* the source vm1's doorbell raises in rt: checked once paired */
	u32p(P("rt", NULL), PT, PH_VIO8);
	expect(ERR("rt", "/soc/virtio_mmio@10008000: source 8 is rung by "
			 "/chosen/vm1/shm@40000000"));
	u32p(P("vm1", "shm@40000000"), "sbivisor,doorbell", 9);
	expect_ok();
}

static void test_pt_interrupts(void **state)
{
	(void)state;
	dev("/soc", "fake@4000", "vendor,fake", 0x4000, 0x1000, 96, PH_FAKE);
	rt("rt", 0x88000000, 0x90200000, 1, PH_FAKE);
	expect(ERR("rt", "/soc/fake@4000: source 96 outside 1..95"));
	u32p("/soc/fake@4000", "interrupts", 0);
	expect(ERR("rt", "/soc/fake@4000: source 0 outside 1..95"));
	u32p("/soc/fake@4000", "interrupts", 10);
	expect(ERR("rt", "/soc/fake@4000: source 10 is the emulated UART's"));
	emptyp(P("rt", NULL), "sbivisor,no-vuart");
	expect(ERR("rt", "/soc/fake@4000: source 10 is also "
			 "/soc/serial@10000000's"));
	u32p("/soc/fake@4000", "interrupts", 11);
	cells(P("rt", NULL), PT, 2, PH_RTC, PH_FAKE);
	expect(ERR("rt", "/soc/fake@4000: source 11 is also "
			 "/soc/rtc@101000's"));
	u32p(P("rt", NULL), PT, PH_RTC);
	rt("rt2", 0x8a000000, 0x90400000, 1, PH_FAKE);
	expect(ERR("rt2", "/soc/fake@4000: source 11 is also "
			  "/soc/rtc@101000's"));
	cells("/soc/fake@4000", "interrupts", 2, 12, 13);
	expect(ERR("rt2", "/soc/fake@4000: 'interrupts' is not one source"));
	emptyp("/soc/fake@4000", "interrupts");
	expect(ERR("rt2", "/soc/fake@4000: 'interrupts' is not one source"));
	/* on another controller, or none */
	u32p("/soc/fake@4000", "interrupts", 12);
	u32p("/soc/fake@4000", "interrupt-parent", PH_TEST);
	expect(ERR("rt2", "/soc/fake@4000: interrupts not on the host PLIC or "
			  "APLIC"));
	delp("/soc/fake@4000", "interrupt-parent");
	expect(ERR("rt2", "/soc/fake@4000: interrupts not on the host PLIC or "
			  "APLIC"));
	delp("/soc/fake@4000", "interrupts");
	cells("/soc/fake@4000", "interrupts-extended", 2, PH_PLIC, 12);
	expect(ERR("rt2", "/soc/fake@4000: interrupts not on the host PLIC or "
			  "APLIC"));
	delp("/soc/fake@4000", "interrupts-extended");
	u32p("/soc/plic@c000000", "#interrupt-cells", 2);
	cells("/soc/fake@4000", "interrupts", 1, 12);
	u32p("/soc/fake@4000", "interrupt-parent", PH_PLIC);
	/* the first device on it fails */
	expect(ERR("rt", "/soc/rtc@101000: interrupts not on the host PLIC or "
			 "APLIC"));
	u32p("/soc/plic@c000000", "#interrupt-cells", 1);
	expect_ok();
	assert_int_equal(cfg.g[1].pt[0].irq, 12);
	/* an AIA host: the APLIC's two cells, source and trigger */
	node("/soc", "aplic@d000000");
	strp("/soc/aplic@d000000", "compatible", "riscv,aplic");
	u32p("/soc/aplic@d000000", "#interrupt-cells", 2);
	u32p("/soc/aplic@d000000", "phandle", PH_APLIC);
	u32p("/soc/fake@4000", "interrupt-parent", PH_APLIC);
	expect(ERR("rt2", "/soc/fake@4000: 'interrupts' is not one source"));
	cells("/soc/fake@4000", "interrupts", 2, 13, 4);
	expect_ok();
	assert_int_equal(cfg.g[1].pt[0].irq, 13);
	cells("/soc/fake@4000", "interrupts", 4, 13, 4, 14, 4);
	expect(ERR("rt2", "/soc/fake@4000: 'interrupts' is not one source"));
	u32p("/soc/aplic@d000000", "#interrupt-cells", 1);
	expect(ERR("rt2", "/soc/fake@4000: interrupts not on the host PLIC "
			  "or APLIC"));
}

/* Random values in the device nodes and the list: one line, no crash */
/*
 * /chosen holds configuration: a node there is never a device, whatever
 * its compatible (a long guestdt fuzz run found the host PLIC taken from
 * one, placing the default guest's vPLIC over the RTC it was also given).
 */
static void test_device_lookups_skip_chosen(void **state)
{
	const char *decoy = "/chosen/decoy@101000";
	int n;

	(void)state;
	node("/chosen", "decoy@101000");
	strp(decoy, "compatible", "sifive,plic-1.0.0");
	pair64(decoy, "reg", 0x101000, 0x1000);
	node(decoy, "inner");
	strp("/chosen/decoy@101000/inner", "compatible", "virtio,mmio");
	assert_true(dt_in_chosen(fdt, off(decoy)));
	assert_true(dt_in_chosen(fdt, off("/chosen/decoy@101000/inner")));
	assert_true(dt_in_chosen(fdt, off("/chosen")));
	assert_false(dt_in_chosen(fdt, off("/soc/plic@c000000")));
	assert_false(dt_in_chosen(fdt, off("/")));
	/* the real PLIC, and not the decoy libfdt's own lookup finds next */
	n = dt_next_device(fdt, -1, "sifive,plic-1.0.0");
	assert_int_equal(n, off("/soc/plic@c000000"));
	assert_int_equal(fdt_node_offset_by_compatible(fdt, n,
						       "sifive,plic-1.0.0"),
			 off(decoy));
	assert_true(dt_next_device(fdt, n, "sifive,plic-1.0.0") < 0);
	/* the decoy alone: no PLIC at all */
	strp("/soc/plic@c000000", "compatible", "none");
	assert_true(dt_next_device(fdt, -1, "sifive,plic-1.0.0") < 0);
	/* both virtio slots (in tree order), never the nested one */
	n = dt_next_device(fdt, -1, "virtio,mmio");
	assert_int_equal(n, off("/soc/virtio_mmio@10007000"));
	n = dt_next_device(fdt, n, "virtio,mmio");
	assert_int_equal(n, off("/soc/virtio_mmio@10008000"));
	assert_true(dt_next_device(fdt, n, "virtio,mmio") < 0);
	/* a console path into /chosen names no device */
	assert_int_equal(dt_stdout_node(fdt), off("/soc/serial@10000000"));
	strp("/chosen", "stdout-path", "/chosen/decoy@101000:115200");
	assert_true(dt_stdout_node(fdt) < 0);
}

/*
 * A property length near 2^31 wrapped libfdt's int offset back into the
 * structure block and fdt_check_full walked for ever (fuzz_cfg): the
 * tags are checked first, in one bounded pass
 */
static void test_dt_check_prop_length(void **state)
{
	static char blob[sizeof(fdt)];
	fdt32_t *len;
	int po, plen;
	const struct fdt_property *pr;

	(void)state;
	assert_int_equal(fdt_pack(fdt), 0);
	memcpy(blob, fdt, fdt_totalsize(fdt));
	assert_int_equal(dt_check(blob), 0);
	po = fdt_first_property_offset(blob, off("/soc/rtc@101000"));
	pr = fdt_get_property_by_offset(blob, po, &plen);
	assert_non_null(pr);
	len = (fdt32_t *)&pr->len;
	*len = cpu_to_fdt32(0x7ffffff0);
	assert_int_equal(dt_check(blob), -FDT_ERR_BADSTRUCTURE);
	*len = cpu_to_fdt32(0xfffffff8);
	assert_int_equal(dt_check(blob), -FDT_ERR_BADSTRUCTURE);
	/* one byte more than the block holds */
	*len = cpu_to_fdt32(fdt_size_dt_struct(blob));
	assert_int_equal(dt_check(blob), -FDT_ERR_BADSTRUCTURE);
	*len = cpu_to_fdt32(plen);
	assert_int_equal(dt_check(blob), 0);
	/*
	 * A block that ends inside a value's padding (a 9-byte compatible,
	 * the block cut right after it): the pass stops there and does not
	 * read on past the block's end
	 */
	po = fdt_first_property_offset(blob, off("/soc/serial@10000000"));
	while (po >= 0) {
		pr = fdt_get_property_by_offset(blob, po, &plen);
		if (plen % 4)
			break;
		po = fdt_next_property_offset(blob, po);
	}
	assert_true(po >= 0);
	fdt_set_size_dt_struct(blob, po + 12 + plen);
	assert_int_equal(dt_check(blob), -FDT_ERR_TRUNCATED);
}

static void test_pt_fuzz(void **state)
{
	static const char *const nodes[] = {
		"/soc",
		"/soc/rtc@101000",
		"/soc/virtio_mmio@10008000",
		"/soc/plic@c000000",
		"/chosen/rt",
	};
	static const char *const props[] = {
		"reg",
		"interrupts",
		"interrupt-parent",
		"#address-cells",
		"#size-cells",
		"ranges",
		"#interrupt-cells",
		"interrupts-extended",
		PT,
		"compatible",
		"phandle",
		"stdout-path",
	};
	static char base[sizeof(fdt)];
	u32 r = 0x2468ace1, v[6];
	int iter, k, ok = 0;

	(void)state;
	rt("rt", 0x88000000, 0x90200000, 2, PH_RTC, PH_VIO8);
	expect_ok();
	memcpy(base, fdt, sizeof(fdt));
	for (iter = 0; iter < 5000; iter++) {
		memcpy(fdt, base, sizeof(fdt));
		for (k = 0; k < 6; k++) {
			r ^= r << 13;
			r ^= r >> 17;
			r ^= r << 5;
			/* mostly small numbers: phandles, cells, sources */
			v[k] = cpu_to_fdt32(k % 3 ? r % 16 : r);
		}
		setp(nodes[(r >> 4) % ARRAY_SIZE(nodes)],
		     props[(r >> 12) % ARRAY_SIZE(props)], v, 4 * (r % 7));
		k = parse();
		if (k) {
			assert_int_equal(k, SBI_EINVAL);
			assert_true(strlen(err) > 0 &&
				    strlen(err) < sizeof(err));
			assert_int_equal(cfg.nguests, 0);
		} else {
			assert_true(cfg.g[0].npt <= CFG_MAX_PT);
			ok++;
		}
	}
	assert_true(ok > 0 && ok < 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pt_ok, pt_setup),
		cmocka_unit_test_setup(test_pt_property, pt_setup),
		cmocka_unit_test_setup(test_pt_hypervisor_devices, pt_setup),
		cmocka_unit_test_setup(test_pt_many_hypervisor_devices,
				       pt_setup),
		cmocka_unit_test_setup(test_pt_windows, pt_setup),
		cmocka_unit_test_setup(test_pt_guest_space, pt_setup),
		cmocka_unit_test_setup(test_pt_interrupts, pt_setup),
		cmocka_unit_test_setup(test_device_lookups_skip_chosen,
				       pt_setup),
		cmocka_unit_test_setup(test_dt_check_prop_length, pt_setup),
		cmocka_unit_test_setup(test_pt_fuzz, pt_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
