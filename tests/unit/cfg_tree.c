// SPDX-License-Identifier: BSD-2-Clause
/*
 * Device trees for the configuration parser's unit tests (test_cfg.c,
 * test_cfg_pt.c): built in memory with libfdt, node by node, and parsed
 * with the children of every node in the order the test added them.
 */
#include "cfg_tree.h"

char fdt[65536];
struct cfg cfg;
char err[CFG_ERR_MAX];
struct cfg_limits lim;

/* QEMU virt, -smp 4 -m 512M; firmware + HS in the first 2 MiB */
static const struct cfg_limits lim0 = {
	.harts = 0xf,
	.ram_base = 0x80000000,
	.ram_size = MB(512),
	.reserved_base = 0x80000000,
	.reserved_size = MB(2),
	.fdt_base = 0x9ff00000, /* QEMU puts it at the top of RAM */
	.fdt_size = 0x10000,
	.max_vcpus_per_hart = 4,
};

/* "/chosen/<g>[/<child>]" in one of a few rotating buffers */
const char *P(const char *g, const char *child)
{
	static char buf[8][128];
	static int n;
	char *b = buf[n++ % 8];

	if (child)
		snprintf(b, sizeof(buf[0]), "/chosen/%s/%s", g, child);
	else
		snprintf(b, sizeof(buf[0]), "/chosen/%s", g);
	return b;
}

int off(const char *path)
{
	int o = fdt_path_offset(fdt, path);

	if (o < 0)
		fail_msg("no node %s", path);
	return o;
}

void node(const char *parent, const char *name)
{
	assert_true(fdt_add_subnode(fdt, off(parent), name) >= 0);
}

void setp(const char *path, const char *name, const void *v, int len)
{
	assert_int_equal(fdt_setprop(fdt, off(path), name, v, len), 0);
}

void delp(const char *path, const char *name)
{
	assert_int_equal(fdt_delprop(fdt, off(path), name), 0);
}

void strp(const char *path, const char *name, const char *s)
{
	setp(path, name, s, strlen(s) + 1);
}

void emptyp(const char *path, const char *name)
{
	setp(path, name, NULL, 0);
}

/* n 32-bit cells */
void cells(const char *path, const char *name, int n, ...)
{
	fdt32_t v[16];
	va_list ap;
	int i;

	assert_true(n <= 16);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(va_arg(ap, u32));
	va_end(ap);
	setp(path, name, v, 4 * n);
}

void u32p(const char *path, const char *name, u32 v)
{
	cells(path, name, 1, v);
}

/* <u64 a u64 b> as 2 + 2 cells */
void pair64(const char *path, const char *name, u64 a, u64 b)
{
	cells(path, name, 4, (u32)(a >> 32), (u32)a, (u32)(b >> 32), (u32)b);
}

void guest(const char *g)
{
	node("/chosen", g);
	strp(P(g, NULL), "compatible", "sbivisor,guest");
	u32p(P(g, NULL), "#address-cells", 2);
	u32p(P(g, NULL), "#size-cells", 2);
}

void module(const char *g, const char *name, const char *kind, u64 a, u64 size)
{
	char compat[64];
	int n = snprintf(compat, sizeof(compat), "multiboot,%s", kind);

	memcpy(compat + n + 1, "multiboot,module", 17);
	node(P(g, NULL), name);
	setp(P(g, name), "compatible", compat, n + 1 + 17);
	pair64(P(g, name), "reg", a, size);
}

void shm(const char *g, const char *name, const char *peer, u64 gpa, u64 size,
	 u32 irq)
{
	node(P(g, NULL), name);
	strp(P(g, name), "compatible", "sbivisor,shmem");
	strp(P(g, name), "sbivisor,peer", peer);
	pair64(P(g, name), "reg", gpa, size);
	if (irq)
		u32p(P(g, name), "sbivisor,doorbell", irq);
}

/* A valid guest: 32 MiB at the default base, a 2 MiB kernel at kaddr */
void simple(const char *g, u64 kaddr)
{
	guest(g);
	cells(P(g, NULL), "memory", 2, 0, (u32)MB(32));
	module(g, "kernel", "kernel", kaddr, MB(2));
}

/*
 * fdt_add_subnode() puts a new node before its siblings: the parser gets a
 * copy with the children of every node in the order the test added them.
 */
char flat[sizeof(fdt)];

static void copy_node(int node)
{
	int kids[64], n = 0, child, prop, len;
	const char *name;
	const void *v;

	fdt_for_each_property_offset(prop, fdt, node) {
		v = fdt_getprop_by_offset(fdt, prop, &name, &len);
		assert_non_null(v);
		assert_int_equal(fdt_property(flat, name, v, len), 0);
	}
	fdt_for_each_subnode(child, fdt, node) {
		assert_true(n < 64);
		kids[n++] = child;
	}
	while (n--) {
		name = fdt_get_name(fdt, kids[n], NULL);
		assert_int_equal(fdt_begin_node(flat, name), 0);
		copy_node(kids[n]);
		assert_int_equal(fdt_end_node(flat), 0);
	}
}

const void *in_order(void)
{
	if (fdt_check_header(fdt))
		return fdt;
	assert_int_equal(fdt_create(flat, sizeof(flat)), 0);
	assert_int_equal(fdt_finish_reservemap(flat), 0);
	assert_int_equal(fdt_begin_node(flat, ""), 0);
	copy_node(0);
	assert_int_equal(fdt_end_node(flat), 0);
	assert_int_equal(fdt_finish(flat), 0);
	return flat;
}

int parse_blob(const void *blob)
{
	memset(&cfg, 0xa5, sizeof(cfg));
	memset(err, 'x', sizeof(err));
	return cfg_parse(blob, &lim, &cfg, err, sizeof(err));
}

int parse(void)
{
	return parse_blob(in_order());
}

void expect(const char *msg)
{
	assert_int_equal(parse(), SBI_EINVAL);
	assert_string_equal(err, msg);
	assert_int_equal(cfg.nguests, 0);
}

void expect_ok(void)
{
	int rc = parse();

	if (rc)
		fail_msg("cfg_parse: %d: %s", rc, err);
	assert_string_equal(err, "");
}

int setup(void **state)
{
	(void)state;
	lim = lim0;
	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	node("/", "chosen");
	return 0;
}

/* A device node under parent: reg <base size> (2 + 2 cells), irq 0: none */
void dev(const char *parent, const char *name, const char *compat, u64 base,
	 u64 size, u32 irq, u32 phandle)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/%s", parent, name);
	node(parent, name);
	strp(path, "compatible", compat);
	pair64(path, "reg", base, size);
	if (irq) {
		u32p(path, "interrupts", irq);
		u32p(path, "interrupt-parent", PH_PLIC);
	}
	if (phandle)
		u32p(path, "phandle", phandle);
}

/* QEMU virt's devices (-smp 4 -m 512M), plus an SRAM without interrupt */
void host_tree(void)
{
	u32p("/", "#address-cells", 2);
	u32p("/", "#size-cells", 2);
	strp("/chosen", "stdout-path", "/soc/serial@10000000");
	node("/", "memory@80000000");
	strp("/memory@80000000", "device_type", "memory");
	pair64("/memory@80000000", "reg", 0x80000000, MB(512));
	u32p("/memory@80000000", "phandle", PH_MEM);
	node("/", "cpus");
	node("/cpus", "cpu@0");
	u32p("/cpus/cpu@0", "reg", 0);
	u32p("/cpus/cpu@0", "phandle", PH_CPU);
	node("/", "soc");
	u32p("/soc", "#address-cells", 2);
	u32p("/soc", "#size-cells", 2);
	strp("/soc", "compatible", "simple-bus");
	emptyp("/soc", "ranges");
	dev("/soc", "plic@c000000", "sifive,plic-1.0.0", 0xc000000, 0x600000, 0,
	    PH_PLIC);
	u32p("/soc/plic@c000000", "#interrupt-cells", 1);
	u32p("/soc/plic@c000000", "riscv,ndev", 96);
	dev("/soc", "clint@2000000", "sifive,clint0", 0x2000000, 0x10000, 0,
	    PH_CLINT);
	dev("/soc", "test@100000", "sifive,test0", 0x100000, 0x1000, 0,
	    PH_TEST);
	dev("/soc", "serial@10000000", "ns16550a", 0x10000000, 0x100, 10,
	    PH_UART);
	dev("/soc", "rtc@101000", "google,goldfish-rtc", 0x101000, 0x1000, 11,
	    PH_RTC);
	dev("/soc", "virtio_mmio@10008000", "virtio,mmio", 0x10008000, 0x1000,
	    8, PH_VIO8);
	dev("/soc", "virtio_mmio@10007000", "virtio,mmio", 0x10007000, 0x1000,
	    7, PH_VIO7);
	dev("/soc", "sram@3000000", "mmio-sram", 0x3000000, 0x2000, 0, PH_SRAM);
}
