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
