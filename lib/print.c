// SPDX-License-Identifier: BSD-2-Clause
#include "print.h"

struct print_out {
	char *buf;
	unsigned long size, len;
};

static void print_ch(struct print_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void print_num(struct print_out *o, unsigned long v, unsigned base,
		      int neg, int width, char pad, int left)
{
	char tmp[24];
	int n = 0, total;

	do {
		unsigned d = v % base;

		tmp[n++] = d < 10 ? '0' + d : 'a' + d - 10;
		v /= base;
	} while (v);
	total = n + neg;
	if (neg && pad == '0')
		print_ch(o, '-');
	if (!left)
		for (; total < width; total++)
			print_ch(o, pad);
	if (neg && pad != '0')
		print_ch(o, '-');
	while (n)
		print_ch(o, tmp[--n]);
	if (left)
		for (; total < width; total++)
			print_ch(o, ' ');
}

int print_vsnprintf(char *buf, unsigned long size, const char *fmt, va_list ap)
{
	struct print_out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int lng = 0, width = 0, left = 0;
		char pad = ' ';
		const char *s;
		unsigned long u;
		long d;

		if (*fmt != '%') {
			print_ch(&o, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '0' || *fmt == '-'; fmt++) {
			if (*fmt == '0')
				pad = '0';
			else
				left = 1;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng = 1;
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			for (u = 0; s[u]; u++)
				;
			if (!left)
				for (; (int)u < width; width--)
					print_ch(&o, ' ');
			for (; *s; s++)
				print_ch(&o, *s);
			if (left)
				for (; (int)u < width; width--)
					print_ch(&o, ' ');
			break;
		case 'c':
			print_ch(&o, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			d = lng ? va_arg(ap, long) : va_arg(ap, int);
			print_num(&o,
				  d < 0 ? -(unsigned long)d : (unsigned long)d,
				  10, d < 0, width, pad, left);
			break;
		case 'u':
			u = lng ? va_arg(ap, unsigned long)
				: va_arg(ap, unsigned);
			print_num(&o, u, 10, 0, width, pad, left);
			break;
		case 'x':
			u = lng ? va_arg(ap, unsigned long)
				: va_arg(ap, unsigned);
			print_num(&o, u, 16, 0, width, pad, left);
			break;
		case 'p':
			print_ch(&o, '0');
			print_ch(&o, 'x');
			print_num(&o, (unsigned long)va_arg(ap, void *), 16, 0,
				  width, pad, left);
			break;
		case '%':
			print_ch(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			print_ch(&o, '%');
			print_ch(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int print_snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
