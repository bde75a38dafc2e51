// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest configuration parser (hyp/config/cfg.c, docs/config.md): one valid
 * multi-guest configuration checked field by field, the defaults, every
 * error with its exact text, and malformed trees (random property values,
 * corrupted blobs). Passthrough: test_cfg_pt.c.
 */
#include "cfg_tree.h"

/*
 * The worked example of docs/config.md: two test guests sharing two
 * windows, and an RTOS-style guest, identity-mapped, rate-monotonic.
 */
static void build_example(void)
{
	host_tree();
	emptyp("/chosen", "sbivisor,keep-running");
	strp("/chosen", "bootargs", "console=ttyS0");
	strp("/chosen", "stdout-path", "/soc/serial@10000000");
	guest("ping");
	u32p(P("ping", NULL), "cpus", 2);
	cells(P("ping", NULL), "sbivisor,harts", 2, 0, 1);
	u32p(P("ping", NULL), "sbivisor,priority", 2);
	u32p(P("ping", NULL), "sbivisor,timeslice-us", 5000);
	pair64(P("ping", NULL), "memory", 0x80000000, MB(64));
	strp(P("ping", NULL), "bootargs", "verbose");
	module("ping", "kernel@90000000", "kernel", 0x90000000, MB(2));
	module("ping", "ramdisk@90400000", "ramdisk", 0x90400000, MB(1));
	shm("ping", "shm@f0000000", "pong", 0xf0000000, 0x10000, 32);
	shm("ping", "shm@f0100000", "rtos", 0xf0100000, 0x1000, 0);
	guest("pong");
	strp(P("pong", NULL), "sbivisor,sched", "rr");
	cells(P("pong", NULL), "sbivisor,harts", 1, 1);
	cells(P("pong", NULL), "memory", 2, 0, (u32)MB(32));
	emptyp(P("pong", NULL), "sbivisor,no-vuart");
	module("pong", "kernel@90200000", "kernel", 0x90200000, MB(2));
	shm("pong", "shm@40000000", "ping", 0x40000000, 0x10000, 33);
	guest("rtos");
	cells(P("rtos", NULL), "sbivisor,harts", 1, 2);
	strp(P("rtos", NULL), "sbivisor,sched", "rm");
	u32p(P("rtos", NULL), "sbivisor,period-us", 1000);
	u32p(P("rtos", NULL), "sbivisor,budget-us", 200);
	pair64(P("rtos", NULL), "memory", 0x88000000, MB(8));
	emptyp(P("rtos", NULL), "sbivisor,identity");
	u32p(P("rtos", NULL), "sbivisor,passthrough", PH_RTC);
	module("rtos", "kernel@90800000", "kernel", 0x90800000, 0x12345);
	module("rtos", "device-tree@90600000", "device-tree", 0x90600000,
	       0x2000);
	shm("rtos", "shm@a0000000", "ping", 0xa0000000, 0x1000, 7);
	/* not guests: ignored */
	node("/chosen", "domU1");
	strp("/chosen/domU1", "compatible", "xen,domain");
	node("/chosen", "opensbi-domains");
	strp("/chosen/opensbi-domains", "compatible", "opensbi,domain,config");
}

static void test_example(void **state)
{
	const struct cfg_guest *g;

	(void)state;
	build_example();
	expect_ok();
	assert_int_equal(cfg.nguests, 3);
	assert_true(cfg.keep_running);

	g = &cfg.g[0];
	assert_string_equal(g->name, "ping");
	assert_int_equal(g->nvcpus, 2);
	assert_int_equal(g->affinity, 0x3);
	assert_int_equal(g->sched, CFG_SCHED_RR);
	assert_int_equal(g->priority, 2);
	assert_int_equal(g->slice_us, 5000);
	assert_int_equal(g->period_us, 0);
	assert_int_equal(g->budget_us, 0);
	assert_int_equal(g->mem_base, 0x80000000);
	assert_int_equal(g->mem_size, MB(64));
	assert_false(g->identity);
	assert_true(g->vuart);
	assert_int_equal(g->kernel.base, 0x90000000);
	assert_int_equal(g->kernel.size, MB(2));
	assert_int_equal(g->initrd.base, 0x90400000);
	assert_int_equal(g->initrd.size, MB(1));
	assert_int_equal(g->dtb.base, 0);
	assert_int_equal(g->dtb.size, 0);
	assert_string_equal(g->bootargs, "verbose");
	assert_int_equal(g->nshm, 2);
	assert_string_equal(g->shm[0].peer, "pong");
	assert_int_equal(g->shm[0].peer_idx, 1);
	assert_int_equal(g->shm[0].gpa, 0xf0000000);
	assert_int_equal(g->shm[0].size, 0x10000);
	assert_int_equal(g->shm[0].irq, 32);
	assert_string_equal(g->shm[1].peer, "rtos");
	assert_int_equal(g->shm[1].peer_idx, 2);
	assert_int_equal(g->shm[1].gpa, 0xf0100000);
	assert_int_equal(g->shm[1].size, 0x1000);
	assert_int_equal(g->shm[1].irq, 0);

	g = &cfg.g[1];
	assert_string_equal(g->name, "pong");
	assert_int_equal(g->nvcpus, 1);
	assert_int_equal(g->affinity, 0x2);
	assert_int_equal(g->sched, CFG_SCHED_RR);
	assert_int_equal(g->priority, 0);
	assert_int_equal(g->slice_us, 10000);
	assert_int_equal(g->mem_base, 0x80000000);
	assert_int_equal(g->mem_size, MB(32));
	assert_false(g->identity);
	assert_false(g->vuart);
	assert_int_equal(g->kernel.base, 0x90200000);
	assert_int_equal(g->kernel.size, MB(2));
	assert_int_equal(g->initrd.base, 0);
	assert_int_equal(g->dtb.base, 0);
	assert_string_equal(g->bootargs, "");
	assert_int_equal(g->nshm, 1);
	assert_string_equal(g->shm[0].peer, "ping");
	assert_int_equal(g->shm[0].peer_idx, 0);
	assert_int_equal(g->shm[0].gpa, 0x40000000);
	assert_int_equal(g->shm[0].size, 0x10000);
	assert_int_equal(g->shm[0].irq, 33);

	g = &cfg.g[2];
	assert_string_equal(g->name, "rtos");
	assert_int_equal(g->nvcpus, 1);
	assert_int_equal(g->affinity, 0x4);
	assert_int_equal(g->sched, CFG_SCHED_RM);
	assert_int_equal(g->period_us, 1000);
	assert_int_equal(g->budget_us, 200);
	assert_int_equal(g->slice_us, 0);
	assert_int_equal(g->mem_base, 0x88000000);
	assert_int_equal(g->mem_size, MB(8));
	assert_true(g->identity);
	assert_true(g->vuart);
	assert_int_equal(g->kernel.base, 0x90800000);
	assert_int_equal(g->kernel.size, 0x12345);
	assert_int_equal(g->initrd.base, 0);
	assert_int_equal(g->dtb.base, 0x90600000);
	assert_int_equal(g->dtb.size, 0x2000);
	assert_int_equal(g->nshm, 1);
	assert_string_equal(g->shm[0].peer, "ping");
	assert_int_equal(g->shm[0].peer_idx, 0);
	assert_int_equal(g->shm[0].gpa, 0xa0000000);
	assert_int_equal(g->shm[0].size, 0x1000);
	assert_int_equal(g->shm[0].irq, 7);
	assert_string_equal(g->bootargs, "");
	assert_int_equal(g->npt, 1);
	assert_int_equal(g->pt[0].base, 0x101000);
	assert_int_equal(g->pt[0].size, 0x1000);
	assert_int_equal(g->pt[0].irq, 11);
	assert_int_equal(cfg.g[0].npt, 0);
	assert_int_equal(cfg.g[1].npt, 0);

	/* vCPU i on the (i mod n)-th hart of the list */
	assert_int_equal(cfg_vcpu_hart(&cfg.g[0], 0), 0);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[0], 1), 1);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[1], 0), 1);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[2], 0), 2);
}

static void test_defaults(void **state)
{
	const struct cfg_guest *g = &cfg.g[0];

	(void)state;
	simple("vm0", 0x90000000);
	expect_ok();
	assert_int_equal(cfg.nguests, 1);
	assert_false(cfg.keep_running);
	assert_string_equal(g->name, "vm0");
	assert_int_equal(g->nvcpus, 1);
	assert_int_equal(g->affinity, lim.harts);
	assert_int_equal(g->sched, CFG_SCHED_RR);
	assert_int_equal(g->priority, 0);
	assert_int_equal(g->slice_us, 10000);
	assert_int_equal(g->period_us, 0);
	assert_int_equal(g->budget_us, 0);
	assert_int_equal(g->mem_base, 0x80000000);
	assert_int_equal(g->mem_size, MB(32));
	assert_false(g->identity);
	assert_true(g->vuart);
	assert_int_equal(g->kernel.base, 0x90000000);
	assert_int_equal(g->kernel.size, MB(2));
	assert_int_equal(g->initrd.base, 0);
	assert_int_equal(g->initrd.size, 0);
	assert_int_equal(g->dtb.base, 0);
	assert_int_equal(g->dtb.size, 0);
	assert_string_equal(g->bootargs, "");
	assert_int_equal(g->nshm, 0);
}

static void test_no_config(void **state)
{
	(void)state;
	/* no /chosen at all */
	assert_int_equal(fdt_del_node(fdt, off("/chosen")), 0);
	expect_ok();
	assert_int_equal(cfg.nguests, 0);
	assert_false(cfg.keep_running);
	/* /chosen without guest nodes; other nodes are not ours */
	node("/", "chosen");
	strp("/chosen", "bootargs", "console=ttyS0");
	emptyp("/chosen", "sbivisor,keep-running");
	node("/chosen", "domU1");
	strp("/chosen/domU1", "compatible", "xen,domain");
	u32p("/chosen/domU1", "colour", 3);
	node("/chosen", "plain");
	expect_ok();
	assert_int_equal(cfg.nguests, 0);
	assert_true(cfg.keep_running);
}

/* #address-cells/#size-cells = <1> as in Xen examples; absent: 2 and 2 */
static void test_cells(void **state)
{
	(void)state;
	guest("vm0");
	u32p(P("vm0", NULL), "#address-cells", 1);
	u32p(P("vm0", NULL), "#size-cells", 1);
	cells(P("vm0", NULL), "memory", 2, 0, (u32)MB(32));
	node(P("vm0", NULL), "kernel");
	strp(P("vm0", "kernel"), "compatible", "multiboot,kernel");
	cells(P("vm0", "kernel"), "reg", 2, 0x90000000, 0x1000);
	simple("vm1", 0x90200000);
	delp(P("vm1", NULL), "#address-cells");
	delp(P("vm1", NULL), "#size-cells");
	expect_ok();
	assert_int_equal(cfg.g[0].kernel.base, 0x90000000);
	assert_int_equal(cfg.g[0].kernel.size, 0x1000);
	assert_int_equal(cfg.g[1].kernel.base, 0x90200000);
	assert_int_equal(cfg.g[1].kernel.size, MB(2));
}

static void test_limits_ok(void **state)
{
	char s[CFG_BOOTARGS_MAX];

	(void)state;
	/* 16 vCPUs over 4 harts: 4 per hart, the limit */
	simple("vm0", 0x90000000);
	u32p(P("vm0", NULL), "cpus", 16);
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	strp(P("vm0", NULL), "bootargs", s);
	/* four guests */
	simple("vm1", 0x90200000);
	cells(P("vm1", NULL), "sbivisor,harts", 1, 3);
	lim.max_vcpus_per_hart = 8;
	simple("vm2", 0x90400000);
	simple("vm3", 0x90600000);
	cells(P("vm3", NULL), "sbivisor,harts", 3, 0, 2, 3);
	u32p(P("vm3", NULL), "cpus", 4);
	expect_ok();
	assert_int_equal(cfg.nguests, 4);
	assert_int_equal(strlen(cfg.g[0].bootargs), CFG_BOOTARGS_MAX - 1);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[0], 5), 1);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[3], 0), 0);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[3], 1), 2);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[3], 2), 3);
	assert_int_equal(cfg_vcpu_hart(&cfg.g[3], 3), 0);
	/* no limit on vCPUs per hart */
	lim.max_vcpus_per_hart = 0;
	u32p(P("vm1", NULL), "cpus", 16);
	expect_ok();
}

/* ---- errors, each with its exact message ---- */

static void test_bad_header(void **state)
{
	(void)state;
	memset(fdt, 0, 64);
	expect("/chosen: bad device tree (FDT_ERR_BADMAGIC)");
}

static void test_bad_cpus(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	u32p(P("vm0", NULL), "cpus", 0);
	expect("/chosen/vm0: property 'cpus': 0 vCPUs (1 to 16)");
	u32p(P("vm0", NULL), "cpus", 17);
	expect("/chosen/vm0: property 'cpus': 17 vCPUs (1 to 16)");
	cells(P("vm0", NULL), "cpus", 2, 0, 1);
	expect("/chosen/vm0: property 'cpus': length 8, expected 4");
	emptyp(P("vm0", NULL), "cpus");
	expect("/chosen/vm0: property 'cpus': length 0, expected 4");
}

static void test_bad_harts(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	cells(P("vm0", NULL), "sbivisor,harts", 2, 0, 7);
	expect("/chosen/vm0: property 'sbivisor,harts': hart 7 does not exist");
	cells(P("vm0", NULL), "sbivisor,harts", 1, 64);
	expect("/chosen/vm0: property 'sbivisor,harts': hart 64 does not "
	       "exist");
	cells(P("vm0", NULL), "sbivisor,harts", 2, 1, 0);
	expect("/chosen/vm0: property 'sbivisor,harts': not in ascending "
	       "order");
	cells(P("vm0", NULL), "sbivisor,harts", 2, 1, 1);
	expect("/chosen/vm0: property 'sbivisor,harts': not in ascending "
	       "order");
	setp(P("vm0", NULL), "sbivisor,harts", "\0\0\0\0\0\1", 6);
	expect("/chosen/vm0: property 'sbivisor,harts': length 6, expected 4 "
	       "* n");
	emptyp(P("vm0", NULL), "sbivisor,harts");
	expect("/chosen/vm0: property 'sbivisor,harts': length 0, expected 4 "
	       "* n");
}

static void test_hart_load(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	u32p(P("vm0", NULL), "cpus", 4);
	cells(P("vm0", NULL), "sbivisor,harts", 1, 0);
	simple("vm1", 0x90200000);
	cells(P("vm1", NULL), "sbivisor,harts", 2, 0, 1);
	expect("/chosen/vm1: property 'sbivisor,harts': hart 0 would carry 5 "
	       "vCPUs (at most 4)");
	/* default harts: vm0's 13 vCPUs put 4 on hart 0 */
	delp(P("vm0", NULL), "sbivisor,harts");
	u32p(P("vm0", NULL), "cpus", 13);
	delp(P("vm1", NULL), "sbivisor,harts");
	expect("/chosen/vm1: property 'cpus': hart 0 would carry 5 vCPUs (at "
	       "most 4)");
}

static void test_bad_names(void **state)
{
	(void)state;
	simple("VM0", 0x90000000);
	expect("/chosen/VM0: bad guest name (1-15 characters of a-z 0-9 _ -)");
	assert_int_equal(fdt_set_name(fdt, off(P("VM0", NULL)), "vm@1"), 0);
	expect("/chosen/vm@1: bad guest name (1-15 characters of a-z 0-9 _ "
	       "-)");
	assert_int_equal(
		fdt_set_name(fdt, off("/chosen/vm@1"), "abcdefghijklmnop"), 0);
	expect("/chosen/abcdefghijklmnop: bad guest name (1-15 characters of "
	       "a-z 0-9 _ -)");
	assert_int_equal(fdt_set_name(fdt, off("/chosen/abcdefghijklmnop"),
				      "abcdefghijklmno"),
			 0);
	expect_ok();
	assert_string_equal(cfg.g[0].name, "abcdefghijklmno");
}

/* Two nodes of the same name: only the sequential-write API makes them */
static void test_duplicate_name(void **state)
{
	const fdt32_t mem[2] = { 0, cpu_to_fdt32(0x2000000) };
	fdt32_t reg[4] = { 0, 0, 0, cpu_to_fdt32(0x200000) };
	int i;

	(void)state;
	assert_int_equal(fdt_create(fdt, sizeof(fdt)), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_begin_node(fdt, "chosen"), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(fdt_begin_node(fdt, "vm0"), 0);
		assert_int_equal(fdt_property_string(fdt, "compatible",
						     "sbivisor,guest"),
				 0);
		assert_int_equal(fdt_property(fdt, "memory", mem, 8), 0);
		assert_int_equal(fdt_begin_node(fdt, "kernel"), 0);
		assert_int_equal(fdt_property_string(fdt, "compatible",
						     "multiboot,kernel"),
				 0);
		reg[1] = cpu_to_fdt32(0x90000000 + i * 0x200000);
		assert_int_equal(fdt_property(fdt, "reg", reg, 16), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	expect("/chosen/vm0: duplicate guest name 'vm0'");
}

static void test_too_many_guests(void **state)
{
	char name[16];
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "vm%d", i);
		simple(name, 0x90000000 + i * MB(2));
	}
	expect("/chosen/vm4: more than 4 guests");
}

static void test_unknown_property(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	u32p(P("vm0", NULL), "colour", 3);
	expect("/chosen/vm0: unknown property 'colour'");
	delp(P("vm0", NULL), "colour");
	/* a prefix or an extension of a known name is not known */
	emptyp(P("vm0", NULL), "sbivisor,harts-extra");
	expect("/chosen/vm0: unknown property 'sbivisor,harts-extra'");
	delp(P("vm0", NULL), "sbivisor,harts-extra");
	emptyp(P("vm0", NULL), "sbivisor");
	expect("/chosen/vm0: unknown property 'sbivisor'");
	delp(P("vm0", NULL), "sbivisor");
	strp(P("vm0", "kernel"), "bootargs", "quiet");
	expect("/chosen/vm0/kernel: unknown property 'bootargs'");
	delp(P("vm0", "kernel"), "bootargs");
	u32p(P("vm0", "kernel"), "phandle", 7);
	expect_ok();
}

static void test_bad_memory(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	delp(P("vm0", NULL), "memory");
	expect("/chosen/vm0: missing property 'memory'");
	cells(P("vm0", NULL), "memory", 3, 0, 0x80000000, 0x2000000);
	expect("/chosen/vm0: property 'memory': length 12, expected 8 or 16");
	pair64(P("vm0", NULL), "memory", 0x80100000, MB(32));
	expect("/chosen/vm0: property 'memory': base 0x80100000 not 2 MiB "
	       "aligned");
	pair64(P("vm0", NULL), "memory", 0x80000000, MB(1));
	expect("/chosen/vm0: property 'memory': size 0x100000 not a positive "
	       "multiple of 2 MiB");
	pair64(P("vm0", NULL), "memory", 0x80000000, 0);
	expect("/chosen/vm0: property 'memory': size 0x0 not a positive "
	       "multiple of 2 MiB");
	pair64(P("vm0", NULL), "memory", 0x80000000, MB(3));
	expect("/chosen/vm0: property 'memory': size 0x300000 not a positive "
	       "multiple of 2 MiB");
	pair64(P("vm0", NULL), "memory", 0xffffffffffe00000ULL, MB(4));
	expect("/chosen/vm0: property 'memory': range wraps around");
	pair64(P("vm0", NULL), "memory", 0, MB(256));
	expect("/chosen/vm0: property 'memory': overlaps the emulated PLIC at "
	       "0xc000000");
	pair64(P("vm0", NULL), "memory", 0x10000000, MB(2));
	expect("/chosen/vm0: property 'memory': overlaps the emulated UART at "
	       "0x10000000");
	pair64(P("vm0", NULL), "memory", 0, MB(192));
	expect_ok();
	assert_int_equal(cfg.g[0].mem_base, 0);
}

static void test_bad_identity(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	guest("vm1");
	emptyp(P("vm1", NULL), "sbivisor,identity");
	module("vm1", "kernel", "kernel", 0x98000000, MB(2));
	pair64(P("vm1", NULL), "memory", 0x40000000, MB(2));
	expect("/chosen/vm1: property 'memory': outside host RAM");
	pair64(P("vm1", NULL), "memory", 0x9fe00000, MB(4));
	expect("/chosen/vm1: property 'memory': outside host RAM");
	pair64(P("vm1", NULL), "memory", 0x80000000, MB(8));
	expect("/chosen/vm1: property 'memory': overlaps the hypervisor");
	pair64(P("vm1", NULL), "memory", 0x8fe00000, MB(4));
	expect("/chosen/vm1: property 'memory': overlaps /chosen/vm0/kernel");
	/* HS reads the host DT for ever: an identity guest may not own it */
	pair64(P("vm1", NULL), "memory", 0x9fe00000, MB(2));
	expect("/chosen/vm1: property 'memory': overlaps the host device "
	       "tree");
	pair64(P("vm1", NULL), "memory", 0x88000000, MB(8));
	expect_ok();
	assert_true(cfg.g[1].identity);
	/* two identity guests */
	guest("vm2");
	emptyp(P("vm2", NULL), "sbivisor,identity");
	pair64(P("vm2", NULL), "memory", 0x88600000, MB(4));
	module("vm2", "kernel", "kernel", 0x98200000, MB(2));
	expect("/chosen/vm2: property 'memory': overlaps guest 'vm1'");
	setp(P("vm2", NULL), "sbivisor,identity", "", 1);
	expect("/chosen/vm2: property 'sbivisor,identity': must be empty");
}

static void test_ram_total(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	pair64(P("vm0", NULL), "memory", 0x80000000, MB(512));
	/* 512 MiB - 2 MiB reserved - 2 MiB kernel */
	expect("/chosen/vm0: property 'memory': guests need 0x20000000 bytes "
	       "of RAM, 0x1fc00000 available");
	pair64(P("vm0", NULL), "memory", 0x80000000, MB(256));
	simple("vm1", 0x90200000);
	pair64(P("vm1", NULL), "memory", 0x80000000, MB(250));
	expect_ok();
	/* shared memory counts once per pair, identity RAM is taken */
	shm("vm0", "shm", "vm1", 0xf0000000, 0x1000, 0);
	shm("vm1", "shm", "vm0", 0xf0000000, 0x1000, 0);
	expect("/chosen/vm1: property 'memory': guests need 0x1fa01000 bytes "
	       "of RAM, 0x1fa00000 available");
	pair64(P("vm1", NULL), "memory", 0x80000000, MB(240));
	expect_ok();
	guest("vm2");
	emptyp(P("vm2", NULL), "sbivisor,identity");
	pair64(P("vm2", NULL), "memory", 0x9e000000, MB(16));
	module("vm2", "kernel", "kernel", 0x98000000, MB(2));
	expect("/chosen/vm1: property 'memory': guests need 0x1f001000 bytes "
	       "of RAM, 0x1e800000 available");
}

static void test_bad_kernel(void **state)
{
	(void)state;
	guest("vm0");
	cells(P("vm0", NULL), "memory", 2, 0, (u32)MB(32));
	expect("/chosen/vm0: missing kernel module");
	module("vm0", "ramdisk", "ramdisk", 0x90000000, MB(2));
	expect("/chosen/vm0: missing kernel module");
	module("vm0", "kernel", "kernel", 0x90200000, MB(2));
	expect_ok();
	module("vm0", "kernel2", "kernel", 0x90400000, MB(2));
	expect("/chosen/vm0/kernel2: second kernel module");
}

static void test_bad_module(void **state)
{
	(void)state;
	simple("vm0", 0x70000000);
	expect("/chosen/vm0/kernel: property 'reg': module outside host RAM");
	pair64(P("vm0", "kernel"), "reg", 0x9ff00000, MB(2));
	expect("/chosen/vm0/kernel: property 'reg': module outside host RAM");
	pair64(P("vm0", "kernel"), "reg", 0xfffffffffffff000ULL, 0x2000);
	expect("/chosen/vm0/kernel: property 'reg': module outside host RAM");
	pair64(P("vm0", "kernel"), "reg", 0x80100000, MB(2));
	expect("/chosen/vm0/kernel: property 'reg': module overlaps the "
	       "hypervisor");
	pair64(P("vm0", "kernel"), "reg", 0x90000000, 0);
	expect("/chosen/vm0/kernel: property 'reg': empty module");
	cells(P("vm0", "kernel"), "reg", 2, 0x90000000, 0x1000);
	expect("/chosen/vm0/kernel: property 'reg': length 8, expected 16");
	delp(P("vm0", "kernel"), "reg");
	expect("/chosen/vm0/kernel: missing property 'reg'");
	pair64(P("vm0", "kernel"), "reg", 0x90000000, MB(2));
	module("vm0", "ramdisk", "ramdisk", 0x901ff000, 0x1000);
	expect("/chosen/vm0/ramdisk: property 'reg': module overlaps "
	       "/chosen/vm0/kernel");
	pair64(P("vm0", "ramdisk"), "reg", 0x90200000, 0x1000);
	simple("vm1", 0x90200000);
	expect("/chosen/vm1/kernel: property 'reg': module overlaps "
	       "/chosen/vm0/ramdisk");
}

static void test_module_in_identity_ram(void **state)
{
	(void)state;
	guest("rt");
	emptyp(P("rt", NULL), "sbivisor,identity");
	pair64(P("rt", NULL), "memory", 0x88000000, MB(8));
	module("rt", "kernel", "kernel", 0x887f0000, 0x20000);
	expect("/chosen/rt/kernel: property 'reg': module overlaps guest 'rt'");
	/* inside its own RAM: copied in at every boot, so not there */
	pair64(P("rt", "kernel"), "reg", 0x88000000, MB(1));
	expect("/chosen/rt/kernel: property 'reg': module overlaps guest 'rt'");
	pair64(P("rt", "kernel"), "reg", 0x90000000, MB(1));
	simple("vm1", 0x88200000);
	expect("/chosen/vm1/kernel: property 'reg': module overlaps guest "
	       "'rt'");
}

static void test_bad_children(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	node(P("vm0", NULL), "foo");
	strp(P("vm0", "foo"), "compatible", "vendor,foo");
	expect("/chosen/vm0/foo: not a module or shared-memory node");
	strp(P("vm0", "foo"), "compatible", "multiboot,module");
	expect("/chosen/vm0/foo: not a module or shared-memory node");
	assert_int_equal(fdt_del_node(fdt, off(P("vm0", "foo"))), 0);
	u32p(P("vm0", NULL), "#address-cells", 3);
	expect("/chosen/vm0: property '#address-cells': must be 1 or 2");
	u32p(P("vm0", NULL), "#address-cells", 2);
	u32p(P("vm0", NULL), "#size-cells", 0);
	expect("/chosen/vm0: property '#size-cells': must be 1 or 2");
}

static void test_bad_shm(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	simple("vm1", 0x90200000);
	shm("vm0", "shm", "nope", 0xf0000000, 0x1000, 0);
	expect("/chosen/vm0/shm: property 'sbivisor,peer': no guest 'nope'");
	strp(P("vm0", "shm"), "sbivisor,peer", "averyveryverylongname");
	expect("/chosen/vm0/shm: property 'sbivisor,peer': no guest "
	       "'averyveryverylongname'");
	strp(P("vm0", "shm"), "sbivisor,peer", "vm0");
	expect("/chosen/vm0/shm: property 'sbivisor,peer': the guest itself");
	strp(P("vm0", "shm"), "sbivisor,peer", "vm1");
	expect("/chosen/vm0/shm: property 'sbivisor,peer': guest 'vm1' "
	       "declares no matching window");
	shm("vm1", "shm", "vm0", 0xf0000000, 0x2000, 0);
	expect("/chosen/vm0/shm: property 'reg': size 0x1000 differs from "
	       "0x2000 in /chosen/vm1/shm");
	pair64(P("vm1", "shm"), "reg", 0xf0000000, 0x1000);
	expect_ok();
	/* one window per pair of guests */
	shm("vm0", "shm2", "vm1", 0xf0002000, 0x1000, 0);
	expect("/chosen/vm0/shm2: property 'sbivisor,peer': second window to "
	       "guest 'vm1'");
	assert_int_equal(fdt_del_node(fdt, off(P("vm0", "shm2"))), 0);
	delp(P("vm0", "shm"), "sbivisor,peer");
	expect("/chosen/vm0/shm: missing property 'sbivisor,peer'");
	strp(P("vm0", "shm"), "sbivisor,peer", "vm1");
	delp(P("vm0", "shm"), "reg");
	expect("/chosen/vm0/shm: missing property 'reg'");
	pair64(P("vm0", "shm"), "reg", 0x81000000, 0x1000);
	expect("/chosen/vm0/shm: property 'reg': overlaps the guest's RAM");
	/* the doorbell page after the window counts */
	pair64(P("vm0", "shm"), "reg", 0x7ffff000, 0x1000);
	expect("/chosen/vm0/shm: property 'reg': overlaps the guest's RAM");
	pair64(P("vm0", "shm"), "reg", 0x7fffe000, 0x1000);
	pair64(P("vm1", "shm"), "reg", 0x7fffe000, 0x1000);
	expect_ok();
	pair64(P("vm0", "shm"), "reg", 0xf0000800, 0x1000);
	expect("/chosen/vm0/shm: property 'reg': window 0xf0000800+0x1000 "
	       "empty or "
	       "not page aligned");
	pair64(P("vm0", "shm"), "reg", 0xf0000000, 0);
	expect("/chosen/vm0/shm: property 'reg': window 0xf0000000+0x0 empty "
	       "or "
	       "not page aligned");
	pair64(P("vm0", "shm"), "reg", 0xfffffffffffff000ULL, 0x2000);
	expect("/chosen/vm0/shm: property 'reg': range wraps around");
	pair64(P("vm0", "shm"), "reg", 0xffffffffffffe000ULL, 0x1000);
	expect("/chosen/vm0/shm: property 'reg': range wraps around");
	pair64(P("vm0", "shm"), "reg", 0x1000, 0xfffffffffffff000ULL);
	expect("/chosen/vm0/shm: property 'reg': range wraps around");
	pair64(P("vm0", "shm"), "reg", 0xf0000000, 0x1000);
	u32p(P("vm0", "shm"), "sbivisor,doorbell", 0);
	expect("/chosen/vm0/shm: property 'sbivisor,doorbell': source 0 "
	       "outside 1..95");
	u32p(P("vm0", "shm"), "sbivisor,doorbell", 96);
	expect("/chosen/vm0/shm: property 'sbivisor,doorbell': source 96 "
	       "outside 1..95");
	u32p(P("vm0", "shm"), "sbivisor,doorbell", 95);
	expect_ok();
	/* the peer's UART has source 10, unless it has no UART */
	u32p(P("vm0", "shm"), "sbivisor,doorbell", 10);
	expect("/chosen/vm0/shm: property 'sbivisor,doorbell': source 10 is "
	       "the UART's in guest 'vm1'");
	emptyp(P("vm1", NULL), "sbivisor,no-vuart");
	expect_ok();
	/* not over the emulated devices (with the doorbell page) */
	pair64(P("vm0", "shm"), "reg", 0x0c100000, 0x1000);
	expect("/chosen/vm0/shm: property 'reg': overlaps the emulated PLIC at "
	       "0xc000000");
	pair64(P("vm0", "shm"), "reg", 0x0ffff000, 0x1000);
	expect("/chosen/vm0/shm: property 'reg': overlaps the emulated UART at "
	       "0x10000000");
	pair64(P("vm0", "shm"), "reg", 0xf0000000, 0x1000);
	u32p(P("vm0", "shm"), "sbivisor,size", 127);
	expect("/chosen/vm0/shm: unknown property 'sbivisor,size'");
}

static void test_shm_windows(void **state)
{
	char name[16];
	int i;

	(void)state;
	simple("vm0", 0x90000000);
	simple("vm1", 0x90200000);
	shm("vm0", "shm0", "vm1", 0xf0000000, 0x2000, 0);
	shm("vm0", "shm1", "vm2", 0xf0001000, 0x1000, 0);
	expect("/chosen/vm0/shm1: property 'reg': overlaps /chosen/vm0/shm0");
	/* on shm0's doorbell page */
	pair64(P("vm0", "shm1"), "reg", 0xf0002000, 0x1000);
	expect("/chosen/vm0/shm1: property 'reg': overlaps /chosen/vm0/shm0");
	/* its own doorbell page on shm0 */
	pair64(P("vm0", "shm1"), "reg", 0xeffff000, 0x1000);
	expect("/chosen/vm0/shm1: property 'reg': overlaps /chosen/vm0/shm0");
	pair64(P("vm0", "shm1"), "reg", 0xf0003000, 0x1000);
	for (i = 2; i < 5; i++) {
		snprintf(name, sizeof(name), "shm%d", i);
		shm("vm0", name, "x", 0xf0000000 + i * 0x1000000, 0x1000, 0);
	}
	expect("/chosen/vm0/shm4: more than 4 shared-memory windows");
}

static void test_bad_sched(void **state)
{
	(void)state;
	simple("vm0", 0x90000000);
	strp(P("vm0", NULL), "sbivisor,sched", "edf");
	expect("/chosen/vm0: property 'sbivisor,sched': unknown policy 'edf' "
	       "(\"rr\" or \"rm\")");
	setp(P("vm0", NULL), "sbivisor,sched", "rr", 2);
	expect("/chosen/vm0: property 'sbivisor,sched': not a string");
	setp(P("vm0", NULL), "sbivisor,sched", "rr\0rm", 6);
	expect("/chosen/vm0: property 'sbivisor,sched': not a string");
	strp(P("vm0", NULL), "sbivisor,sched", "rr");
	u32p(P("vm0", NULL), "sbivisor,timeslice-us", 0);
	expect("/chosen/vm0: property 'sbivisor,timeslice-us': must be > 0");
	u32p(P("vm0", NULL), "sbivisor,timeslice-us", 1);
	u32p(P("vm0", NULL), "sbivisor,period-us", 1000);
	expect("/chosen/vm0: property 'sbivisor,period-us': only with "
	       "sbivisor,sched = \"rm\"");
	strp(P("vm0", NULL), "sbivisor,sched", "rm");
	expect("/chosen/vm0: property 'sbivisor,timeslice-us': only with "
	       "sbivisor,sched = \"rr\"");
	delp(P("vm0", NULL), "sbivisor,timeslice-us");
	u32p(P("vm0", NULL), "sbivisor,priority", 1);
	expect("/chosen/vm0: property 'sbivisor,priority': only with "
	       "sbivisor,sched = \"rr\"");
	delp(P("vm0", NULL), "sbivisor,priority");
	expect("/chosen/vm0: property 'sbivisor,budget-us': required with "
	       "sbivisor,sched = \"rm\"");
	delp(P("vm0", NULL), "sbivisor,period-us");
	expect("/chosen/vm0: property 'sbivisor,period-us': required with "
	       "sbivisor,sched = \"rm\"");
	u32p(P("vm0", NULL), "sbivisor,period-us", 0);
	expect("/chosen/vm0: property 'sbivisor,period-us': must be > 0");
	u32p(P("vm0", NULL), "sbivisor,period-us", 1000);
	u32p(P("vm0", NULL), "sbivisor,budget-us", 0);
	expect("/chosen/vm0: property 'sbivisor,budget-us': must be > 0");
	u32p(P("vm0", NULL), "sbivisor,budget-us", 2000);
	expect("/chosen/vm0: property 'sbivisor,budget-us': 2000 exceeds the "
	       "period 1000");
	u32p(P("vm0", NULL), "sbivisor,budget-us", 1000);
	expect_ok();
	assert_int_equal(cfg.g[0].sched, CFG_SCHED_RM);
	assert_false(cfg.g[0].pinned);
	/* RM vCPUs never move: pinning them is a mistake, said so */
	setp(P("vm0", NULL), "sbivisor,pin-vcpus", NULL, 0);
	expect("/chosen/vm0: property 'sbivisor,pin-vcpus': rate-monotonic "
	       "vCPUs are always pinned");
	setp(P("vm0", NULL), "sbivisor,pin-vcpus", "x", 2);
	expect("/chosen/vm0: property 'sbivisor,pin-vcpus': must be empty");
	strp(P("vm0", NULL), "sbivisor,sched", "rr");
	delp(P("vm0", NULL), "sbivisor,period-us");
	delp(P("vm0", NULL), "sbivisor,budget-us");
	setp(P("vm0", NULL), "sbivisor,pin-vcpus", NULL, 0);
	expect_ok();
	assert_true(cfg.g[0].pinned);
}

static void test_bad_strings_and_flags(void **state)
{
	char s[CFG_BOOTARGS_MAX + 1];

	(void)state;
	simple("vm0", 0x90000000);
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	strp(P("vm0", NULL), "bootargs", s);
	expect("/chosen/vm0: property 'bootargs': longer than 1023 characters");
	setp(P("vm0", NULL), "bootargs", "abc", 3);
	expect("/chosen/vm0: property 'bootargs': not a string");
	emptyp(P("vm0", NULL), "bootargs");
	expect("/chosen/vm0: property 'bootargs': not a string");
	strp(P("vm0", NULL), "bootargs", "");
	u32p(P("vm0", NULL), "sbivisor,no-vuart", 1);
	expect("/chosen/vm0: property 'sbivisor,no-vuart': must be empty");
	delp(P("vm0", NULL), "sbivisor,no-vuart");
	strp("/chosen", "sbivisor,keep-running", "yes");
	expect("/chosen: property 'sbivisor,keep-running': must be empty");
}

/* An error line longer than the buffer is cut, still NUL-terminated */
static void test_short_err_buffer(void **state)
{
	char small[16];

	(void)state;
	simple("vm0", 0x90000000);
	u32p(P("vm0", NULL), "cpus", 0);
	assert_int_equal(cfg_parse(in_order(), &lim, &cfg, small,
				   sizeof(small)),
			 SBI_EINVAL);
	assert_string_equal(small, "/chosen/vm0: pr");
	assert_int_equal(cfg_parse(in_order(), &lim, &cfg, NULL, 0),
			 SBI_EINVAL);
}

/* ---- malformed trees: never a crash (ASan/UBSan watch), one line ---- */

static u32 rnd_state = 0x12345678;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void check_outcome(int rc)
{
	if (rc == 0) {
		assert_string_equal(err, "");
		assert_true(cfg.nguests <= CONFIG_MAX_GUESTS);
		return;
	}
	assert_int_equal(rc, SBI_EINVAL);
	assert_int_equal(cfg.nguests, 0);
	assert_true(strnlen(err, sizeof(err)) < sizeof(err));
	assert_true(strlen(err) > 0);
	assert_non_null(strstr(err, ": "));
}

/* Random values, of random lengths, for the properties the parser reads */
static void test_fuzz_properties(void **state)
{
	static const char *const nodes[] = {
		"/chosen",
		"/chosen/ping",
		"/chosen/pong",
		"/chosen/rtos",
		"/chosen/ping/kernel@90000000",
		"/chosen/ping/ramdisk@90400000",
		"/chosen/ping/shm@f0000000",
		"/chosen/pong/shm@40000000",
		"/chosen/rtos/device-tree@90600000",
	};
	static const char *const props[] = {
		"cpus",
		"sbivisor,harts",
		"sbivisor,sched",
		"sbivisor,priority",
		"sbivisor,timeslice-us",
		"sbivisor,period-us",
		"sbivisor,budget-us",
		"memory",
		"sbivisor,identity",
		"sbivisor,no-vuart",
		"bootargs",
		"reg",
		"sbivisor,peer",
		"sbivisor,doorbell",
		"#address-cells",
		"#size-cells",
		"compatible",
		"sbivisor,keep-running",
		"sbivisor,passthrough",
	};
	static char base[sizeof(fdt)];
	u8 v[40];
	int iter, k, n, len, ok = 0;

	(void)state;
	build_example();
	memcpy(base, fdt, sizeof(fdt));
	for (iter = 0; iter < 20000; iter++) {
		memcpy(fdt, base, sizeof(fdt));
		for (n = 1 + rnd() % 3; n > 0; n--) {
			len = rnd() % sizeof(v);
			for (k = 0; k < len; k++) {
				/* mostly small values and string bytes */
				switch (rnd() % 4) {
				case 0:
					v[k] = 0;
					break;
				case 1:
					v[k] = 0xff;
					break;
				case 2:
					v[k] = "pingrrm,sbiv"[rnd() % 12];
					break;
				default:
					v[k] = rnd();
				}
			}
			k = fdt_setprop(fdt,
					off(nodes[rnd() % ARRAY_SIZE(nodes)]),
					props[rnd() % ARRAY_SIZE(props)], v,
					len);
			assert_int_equal(k, 0);
		}
		k = parse();
		check_outcome(k);
		ok += !k;
	}
	/* most mutations break something, a few are harmless */
	assert_true(ok > 0 && ok < 20000);
}

/* Random bytes of the blob flipped (header left alone) */
static void test_fuzz_blob(void **state)
{
	static char base[sizeof(fdt)];
	u32 start, size, iter, n;

	(void)state;
	build_example();
	memcpy(base, in_order(), sizeof(base));
	start = fdt_off_dt_struct(base);
	size = fdt_totalsize(base);
	assert_int_equal(parse_blob(base), 0);
	for (iter = 0; iter < 20000; iter++) {
		memcpy(flat, base, size);
		for (n = 1 + rnd() % 4; n > 0; n--)
			flat[start + rnd() % (size - start)] ^= 1 << rnd() % 8;
		check_outcome(parse_blob(flat));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_example, setup),
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_no_config, setup),
		cmocka_unit_test_setup(test_cells, setup),
		cmocka_unit_test_setup(test_limits_ok, setup),
		cmocka_unit_test_setup(test_bad_header, setup),
		cmocka_unit_test_setup(test_bad_cpus, setup),
		cmocka_unit_test_setup(test_bad_harts, setup),
		cmocka_unit_test_setup(test_hart_load, setup),
		cmocka_unit_test_setup(test_bad_names, setup),
		cmocka_unit_test_setup(test_duplicate_name, setup),
		cmocka_unit_test_setup(test_too_many_guests, setup),
		cmocka_unit_test_setup(test_unknown_property, setup),
		cmocka_unit_test_setup(test_bad_memory, setup),
		cmocka_unit_test_setup(test_bad_identity, setup),
		cmocka_unit_test_setup(test_ram_total, setup),
		cmocka_unit_test_setup(test_bad_kernel, setup),
		cmocka_unit_test_setup(test_bad_module, setup),
		cmocka_unit_test_setup(test_module_in_identity_ram, setup),
		cmocka_unit_test_setup(test_bad_children, setup),
		cmocka_unit_test_setup(test_bad_shm, setup),
		cmocka_unit_test_setup(test_shm_windows, setup),
		cmocka_unit_test_setup(test_bad_sched, setup),
		cmocka_unit_test_setup(test_bad_strings_and_flags, setup),
		cmocka_unit_test_setup(test_short_err_buffer, setup),
		cmocka_unit_test_setup(test_fuzz_properties, setup),
		cmocka_unit_test_setup(test_fuzz_blob, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
