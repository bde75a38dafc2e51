// SPDX-License-Identifier: BSD-2-Clause
/*
 * Checked device-tree accessors for the configuration parser: every
 * property length is checked before a cell is read, and every failure
 * becomes one error line naming the node path and the property.
 */
#include <sbi/sbi_string.h>
#include "config/cfg_ctx.h"
#include "../../lib/print.h"

void cfg_path(struct cfg_ctx *c, int node, char *buf, int len)
{
	const char *name;

	if (node < 0) {
		print_snprintf(buf, len, "/chosen");
	} else if (fdt_get_path(c->fdt, node, buf, len) < 0) {
		name = fdt_get_name(c->fdt, node, NULL);
		print_snprintf(buf, len, "/chosen/.../%s", name ? name : "?");
	}
}

/* One line "<path of c->at>: [property '<prop>': ]<message>"; -EINVAL */
int cfg_fail(struct cfg_ctx *c, const char *prop, const char *fmt, ...)
{
	char path[CFG_PATH_MAX];
	unsigned long n;
	va_list ap;

	if (!c->err || !c->errlen)
		return SBI_EINVAL;
	cfg_path(c, c->at, path, sizeof(path));
	if (prop)
		n = print_snprintf(c->err, c->errlen,
				   "%s: property '%s': ", path, prop);
	else
		n = print_snprintf(c->err, c->errlen, "%s: ", path);
	if (n < c->errlen) {
		va_start(ap, fmt);
		print_vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return SBI_EINVAL;
}

/* Every property of c->at must be a word of the list ok */
int cfg_known(struct cfg_ctx *c, const char *ok)
{
	const char *name, *w;
	int off, len;
	size_t n;

	fdt_for_each_property_offset(off, c->fdt, c->at) {
		name = NULL;
		if (!fdt_getprop_by_offset(c->fdt, off, &name, &len) || !name)
			return cfg_fail(c, NULL, "malformed property");
		n = sbi_strlen(name);
		for (w = ok; w; w = sbi_strchr(w, ' '), w = w ? w + 1 : w)
			if (!sbi_strncmp(w, name, n) &&
			    (w[n] == ' ' || w[n] == '\0'))
				break;
		if (!w || !n)
			return cfg_fail(c, NULL, "unknown property '%s'", name);
	}
	if (off != -FDT_ERR_NOTFOUND)
		return cfg_fail(c, NULL, "malformed node (%s)",
				fdt_strerror(off));
	return 0;
}

/* A property of c->at: 0: absent, 1: present, <0: not `want` bytes */
int cfg_get(struct cfg_ctx *c, const char *prop, int want, const void **p)
{
	int len;

	*p = fdt_getprop(c->fdt, c->at, prop, &len);
	if (!*p)
		return 0;
	if (want == 0 && len)
		return cfg_fail(c, prop, "must be empty");
	if (want > 0 && len != want)
		return cfg_fail(c, prop, "length %d, expected %d", len, want);
	/* want < 0: one NUL-terminated string */
	if (want < 0 && (len < 1 || sbi_strnlen(*p, len) != (size_t)len - 1))
		return cfg_fail(c, prop, "not a string");
	return 1;
}

/* 0: absent (*v unchanged), 1: read, <0: error */
int cfg_u32(struct cfg_ctx *c, const char *prop, u32 *v)
{
	const void *p;
	int rc = cfg_get(c, prop, 4, &p);

	if (rc > 0)
		*v = fdt32_ld(p);
	return rc;
}

int cfg_flag(struct cfg_ctx *c, const char *prop, bool *v)
{
	const void *p;
	int rc = cfg_get(c, prop, 0, &p);

	*v = rc > 0;
	return rc;
}

int cfg_string(struct cfg_ctx *c, const char *prop, const char **s)
{
	return cfg_get(c, prop, -1, (const void **)s);
}

/* One <address size> pair in the guest node's cells (ac, sc) */
int cfg_reg(struct cfg_ctx *c, int ac, int sc, u64 *base, u64 *size)
{
	const void *p;
	int rc = cfg_get(c, "reg", 4 * (ac + sc), &p);

	if (!rc)
		return cfg_fail(c, NULL, "missing property 'reg'");
	if (rc < 0)
		return rc;
	*base = dt_cells(p, ac);
	*size = dt_cells((const fdt32_t *)p + ac, sc);
	return 0;
}
