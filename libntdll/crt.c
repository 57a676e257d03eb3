// SPDX-License-Identifier: GPL-2.0
/*
 * The C-runtime subset XP's ntdll exports and native programs use (the
 * native subsystem has no msvcrt): memory and string functions, their
 * wide (16-bit WCHAR) forms, number parsing, character classes and the
 * printf family with Microsoft's semantics:
 *
 *  - _snprintf/_vsnprintf/_snwprintf/_vsnwprintf: the count includes no
 *    terminator; output that exactly fills the buffer is not terminated
 *    and returns count; longer output is cut and returns -1 (Wine's
 *    dlls/ntdll/tests/string.c and msvcrt's printf tests show this).
 *  - In the narrow functions %s/%c take char and %S/%C take WCHAR, in
 *    the wide ones the other way round; %hs/%hc are always narrow,
 *    %ls/%lc/%ws/%wc always wide. %Z takes an ANSI_STRING*, %wZ a
 *    UNICODE_STRING*. %I64/%ll, %I32, %I (pointer-sized), %h, %l, %z.
 *  - swprintf is XP's old form, swprintf(buffer, format, ...), unbounded.
 *
 * Narrow text is UTF-8 here as everywhere in this project's ntdll (XP
 * uses the ANSI code page): wide text printed into a narrow buffer is
 * encoded, narrow text printed into a wide buffer is decoded.
 * Floating-point conversions are not supported (XP's ntdll has none
 * either); an unknown conversion is copied to the output as it stands.
 *
 * In ntdll.dll these are the plain names; in the ELF libntdll, where
 * glibc owns them, NtpCrt_<name> (see ntdll_private.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include "ntdll_private.h"

/* memory */

void *NTDLL_CRT(memmove)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || !n)
		return dst;
	if (d < s || d >= s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

/* XP's ntdll exports memcpy as an alias of memmove: overlap is allowed. */
void *NTDLL_CRT(memcpy)(void *dst, const void *src, size_t n)
{
	return NTDLL_CRT(memmove)(dst, src, n);
}

void *NTDLL_CRT(memset)(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int NTDLL_CRT(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

void *NTDLL_CRT(memchr)(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

/* characters */

int NTDLL_CRT(toupper)(int c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

int NTDLL_CRT(tolower)(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

WCHAR NTDLL_CRT(towupper)(WCHAR c)
{
	return RtlUpcaseUnicodeChar(c);
}

WCHAR NTDLL_CRT(towlower)(WCHAR c)
{
	return RtlDowncaseUnicodeChar(c);
}

int NTDLL_CRT(isdigit)(int c)
{
	return c >= '0' && c <= '9';
}

int NTDLL_CRT(isspace)(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

int NTDLL_CRT(isxdigit)(int c)
{
	return NTDLL_CRT(isdigit)(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

int NTDLL_CRT(isalpha)(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int NTDLL_CRT(isupper)(int c)
{
	return c >= 'A' && c <= 'Z';
}

int NTDLL_CRT(islower)(int c)
{
	return c >= 'a' && c <= 'z';
}

int NTDLL_CRT(isalnum)(int c)
{
	return NTDLL_CRT(isalpha)(c) || NTDLL_CRT(isdigit)(c);
}

int NTDLL_CRT(isprint)(int c)
{
	return c >= 0x20 && c < 0x7f;
}

/* narrow strings */

size_t NTDLL_CRT(strlen)(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

char *NTDLL_CRT(strcpy)(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

char *NTDLL_CRT(strncpy)(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

char *NTDLL_CRT(strcat)(char *dst, const char *src)
{
	NTDLL_CRT(strcpy)(dst + NTDLL_CRT(strlen)(dst), src);
	return dst;
}

int NTDLL_CRT(strcmp)(const char *a, const char *b)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	while (*x && *x == *y)
		x++, y++;
	return *x == *y ? 0 : *x < *y ? -1 : 1;
}

int NTDLL_CRT(strncmp)(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (!*x)
			break;
	}
	return 0;
}

/* _stricmp compares lowercased, as Microsoft's does ('_' < 'a'). */
int NTDLL_CRT(_strnicmp)(const char *a, const char *b, size_t n)
{
	int x, y;

	for (; n; n--, a++, b++) {
		x = NTDLL_CRT(tolower)((unsigned char)*a);
		y = NTDLL_CRT(tolower)((unsigned char)*b);
		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

int NTDLL_CRT(_stricmp)(const char *a, const char *b)
{
	return NTDLL_CRT(_strnicmp)(a, b, (size_t)-1);
}

char *NTDLL_CRT(strchr)(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *NTDLL_CRT(strrchr)(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *NTDLL_CRT(strstr)(const char *s, const char *find)
{
	size_t n = NTDLL_CRT(strlen)(find);

	for (; *s; s++)
		if (!NTDLL_CRT(strncmp)(s, find, n))
			return (char *)s;
	return n ? NULL : (char *)s;
}

/* wide strings */

size_t NTDLL_CRT(wcslen)(const WCHAR *s)
{
	const WCHAR *p = s;

	while (*p)
		p++;
	return p - s;
}

WCHAR *NTDLL_CRT(wcscpy)(WCHAR *dst, const WCHAR *src)
{
	WCHAR *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

WCHAR *NTDLL_CRT(wcsncpy)(WCHAR *dst, const WCHAR *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

WCHAR *NTDLL_CRT(wcscat)(WCHAR *dst, const WCHAR *src)
{
	NTDLL_CRT(wcscpy)(dst + NTDLL_CRT(wcslen)(dst), src);
	return dst;
}

int NTDLL_CRT(wcscmp)(const WCHAR *a, const WCHAR *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b ? 0 : *a < *b ? -1 : 1;
}

int NTDLL_CRT(wcsncmp)(const WCHAR *a, const WCHAR *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return *a < *b ? -1 : 1;
		if (!*a)
			break;
	}
	return 0;
}

int NTDLL_CRT(_wcsnicmp)(const WCHAR *a, const WCHAR *b, size_t n)
{
	WCHAR x, y;

	for (; n; n--, a++, b++) {
		x = RtlDowncaseUnicodeChar(*a);
		y = RtlDowncaseUnicodeChar(*b);
		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

int NTDLL_CRT(_wcsicmp)(const WCHAR *a, const WCHAR *b)
{
	return NTDLL_CRT(_wcsnicmp)(a, b, (size_t)-1);
}

WCHAR *NTDLL_CRT(wcschr)(const WCHAR *s, WCHAR c)
{
	for (;; s++) {
		if (*s == c)
			return (WCHAR *)s;
		if (!*s)
			return NULL;
	}
}

WCHAR *NTDLL_CRT(wcsrchr)(const WCHAR *s, WCHAR c)
{
	const WCHAR *last = NULL;

	for (;; s++) {
		if (*s == c)
			last = s;
		if (!*s)
			return (WCHAR *)last;
	}
}

WCHAR *NTDLL_CRT(wcsstr)(const WCHAR *s, const WCHAR *find)
{
	size_t n = NTDLL_CRT(wcslen)(find);

	for (; *s; s++)
		if (!NTDLL_CRT(wcsncmp)(s, find, n))
			return (WCHAR *)s;
	return n ? NULL : (WCHAR *)s;
}

/* numbers */

/*
 * strtoul's core over narrow or wide text: optional space and sign,
 * base 0 (0x / 0 prefixes), 2..36. Overflow saturates: ULONG_MAX for
 * unsigned, LONG_MIN/LONG_MAX for signed, as msvcrt.
 */
static ULONG parse(const void *str, int wide, void *endp, int base,
		   int is_signed)
{
	const char *n8 = str;
	const WCHAR *n16 = str;
	size_t i = 0;
	int neg = 0, any = 0, over = 0, d;
	ULONG v = 0, lim;
	unsigned int c;

#define CH(k) (wide ? (unsigned int)n16[k] : (unsigned int)(unsigned char)n8[k])
	while (NTDLL_CRT(isspace)(CH(i)))
		i++;
	if (CH(i) == '-' || CH(i) == '+')
		neg = CH(i++) == '-';
	if ((base == 0 || base == 16) && CH(i) == '0' &&
	    (CH(i + 1) == 'x' || CH(i + 1) == 'X') && NTDLL_CRT(isxdigit)(CH(i + 2))) {
		i += 2;
		base = 16;
	} else if (base == 0) {
		base = CH(i) == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36)
		goto out;
	lim = is_signed ? (neg ? 0x80000000u : 0x7fffffffu) : 0xffffffffu;
	for (;; i++) {
		c = CH(i);
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'Z')
			d = c - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		any = 1;
		if (v > (lim - d) / base)
			over = 1;
		else
			v = v * base + d;
	}
#undef CH
out:
	if (endp) {
		if (wide)
			*(const WCHAR **)endp = any ? n16 + i : n16;
		else
			*(const char **)endp = any ? n8 + i : n8;
	}
	if (over)
		return is_signed ? lim : 0xffffffffu;
	/* a minus sign negates unsigned results too, as msvcrt's strtoul */
	return neg ? 0u - v : v;
}

long NTDLL_CRT(strtol)(const char *s, char **end, int base)
{
	return (LONG)parse(s, 0, end, base, 1);
}

unsigned long NTDLL_CRT(strtoul)(const char *s, char **end, int base)
{
	return parse(s, 0, end, base, 0);
}

long NTDLL_CRT(wcstol)(const WCHAR *s, WCHAR **end, int base)
{
	return (LONG)parse(s, 1, end, base, 1);
}

unsigned long NTDLL_CRT(wcstoul)(const WCHAR *s, WCHAR **end, int base)
{
	return parse(s, 1, end, base, 0);
}

/* atoi does no overflow checking in msvcrt: it wraps. */
static LONG ato(const void *s, int wide)
{
	const char *n8 = s;
	const WCHAR *n16 = s;
	size_t i = 0;
	ULONG v = 0;
	int neg = 0;
	unsigned int c;

#define CH(k) (wide ? (unsigned int)n16[k] : (unsigned int)(unsigned char)n8[k])
	while (NTDLL_CRT(isspace)(CH(i)))
		i++;
	if (CH(i) == '-' || CH(i) == '+')
		neg = CH(i++) == '-';
	for (; (c = CH(i)) >= '0' && c <= '9'; i++)
		v = v * 10 + (c - '0');
#undef CH
	return neg ? -(LONG)v : (LONG)v;
}

int NTDLL_CRT(atoi)(const char *s)
{
	return ato(s, 0);
}

long NTDLL_CRT(atol)(const char *s)
{
	return ato(s, 0);
}

int NTDLL_CRT(_wtoi)(const WCHAR *s)
{
	return ato(s, 1);
}

long NTDLL_CRT(_wtol)(const WCHAR *s)
{
	return ato(s, 1);
}

int NTDLL_CRT(abs)(int v)
{
	return v < 0 ? -v : v;
}

long NTDLL_CRT(labs)(long v)
{
	return v < 0 ? -v : v;
}

/* printf */

struct out {
	void *buf;
	size_t cap;		/* code units, (size_t)-1: unbounded */
	size_t len;		/* code units produced (also past cap) */
	int wide;
};

static void put(struct out *o, unsigned int c)
{
	if (o->len < o->cap) {
		if (o->wide)
			((WCHAR *)o->buf)[o->len] = c;
		else
			((char *)o->buf)[o->len] = c;
	}
	o->len++;
}

/* One code point into o: UTF-16 or UTF-8 as the output is. */
static void put_cp(struct out *o, uint32_t cp)
{
	if (o->wide) {
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put(o, 0xd800 | (cp >> 10));
			put(o, 0xdc00 | (cp & 0x3ff));
		} else {
			put(o, cp);
		}
	} else if (cp < 0x80) {
		put(o, cp);
	} else if (cp < 0x800) {
		put(o, 0xc0 | cp >> 6);
		put(o, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		put(o, 0xe0 | cp >> 12);
		put(o, 0x80 | ((cp >> 6) & 0x3f));
		put(o, 0x80 | (cp & 0x3f));
	} else {
		put(o, 0xf0 | cp >> 18);
		put(o, 0x80 | ((cp >> 12) & 0x3f));
		put(o, 0x80 | ((cp >> 6) & 0x3f));
		put(o, 0x80 | (cp & 0x3f));
	}
}

/* Code points of a string argument, n units (or to NUL when n < 0). */
static size_t str_units(const void *s, int wide, long n)
{
	size_t k = 0;

	if (n >= 0)
		return n;
	if (wide)
		while (((const WCHAR *)s)[k])
			k++;
	else
		while (((const char *)s)[k])
			k++;
	return k;
}

/* Next code point of narrow (UTF-8) or wide (UTF-16) text. */
static uint32_t next_cp(const void *s, int wide, size_t n, size_t *i)
{
	const WCHAR *w = s;
	const unsigned char *b = s;
	uint32_t c, need, cp;

	if (wide) {
		c = w[(*i)++];
		if (c >= 0xd800 && c <= 0xdbff && *i < n &&
		    w[*i] >= 0xdc00 && w[*i] <= 0xdfff)
			return 0x10000 + ((c - 0xd800) << 10) + (w[(*i)++] - 0xdc00);
		return c;
	}
	c = b[(*i)++];
	if (c < 0x80)
		return c;
	need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
	if (!need)
		return 0xfffd;
	cp = c & (0x3f >> need);
	while (need--) {
		if (*i >= n || (b[*i] & 0xc0) != 0x80)
			return 0xfffd;
		cp = cp << 6 | (b[(*i)++] & 0x3f);
	}
	return cp;
}

/* Count of output code points of s[0..n) (for width padding). */
static size_t count_cps(const void *s, int wide, size_t n)
{
	size_t i = 0, k = 0;

	while (i < n) {
		next_cp(s, wide, n, &i);
		k++;
	}
	return k;
}

static void pad(struct out *o, int n, unsigned int c)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const void *s, int wide, long units,
		    int width, int prec, int left)
{
	size_t n, i = 0, cps, k = 0;

	if (!s) {
		s = wide ? (const void *)u"(null)" : "(null)";
		units = 6;
	}
	n = str_units(s, wide, units);
	if (prec >= 0 && wide == o->wide && (size_t)prec < n)
		n = prec;		/* cut in units of the same kind */
	cps = count_cps(s, wide, n);
	if (prec >= 0 && (size_t)prec < cps)
		cps = prec;
	if (!left)
		pad(o, width - (int)cps, ' ');
	while (i < n && k++ < cps)
		put_cp(o, next_cp(s, wide, n, &i));
	if (left)
		pad(o, width - (int)cps, ' ');
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

static void put_num(struct out *o, uint64_t v, int neg, int base, int upper,
		    int flags, int width, int prec)
{
	char digits[24];
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int nd = 0, len, zeros;
	char sign = 0;
	const char *prefix = "";

	while (v) {
		digits[nd++] = set[v % base];
		v /= base;
	}
	if (prec < 0)
		prec = 1;
	else
		flags &= ~F_ZERO;
	zeros = prec > nd ? prec - nd : 0;
	if (neg)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';
	if ((flags & F_ALT) && nd) {
		if (base == 16)
			prefix = upper ? "0X" : "0x";
		else if (base == 8 && !zeros)
			prefix = "0";
	}
	len = nd + zeros + (sign ? 1 : 0) + (int)NTDLL_CRT(strlen)(prefix);
	if (!(flags & (F_LEFT | F_ZERO)))
		pad(o, width - len, ' ');
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	if (flags & F_ZERO)
		pad(o, width - len, '0');
	pad(o, zeros, '0');
	while (nd)
		put(o, digits[--nd]);
	if (flags & F_LEFT)
		pad(o, width - len, ' ');
}

/* The engine: format (narrow or wide as o->wide) into o. */
static void format(struct out *o, const void *fmt, va_list ap)
{
	const char *f8 = fmt;
	const WCHAR *f16 = fmt;
	size_t i = 0, start;
	unsigned int c;
	int flags, width, prec, size, hw;	/* hw: -1 narrow, 1 wide, 0 default */
	uint64_t v;
	int64_t sv;

#define FC(k) (o->wide ? (unsigned int)f16[k] : (unsigned int)(unsigned char)f8[k])
	while ((c = FC(i))) {
		if (c != '%') {
			put(o, c);
			i++;
			continue;
		}
		start = i++;
		flags = 0;
		for (;; i++) {
			c = FC(i);
			if (c == '-')
				flags |= F_LEFT;
			else if (c == '+')
				flags |= F_PLUS;
			else if (c == ' ')
				flags |= F_SPACE;
			else if (c == '#')
				flags |= F_ALT;
			else if (c == '0')
				flags |= F_ZERO;
			else
				break;
		}
		width = 0;
		if (FC(i) == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			i++;
		} else {
			while (FC(i) >= '0' && FC(i) <= '9')
				width = width * 10 + FC(i++) - '0';
		}
		prec = -1;
		if (FC(i) == '.') {
			i++;
			prec = 0;
			if (FC(i) == '*') {
				prec = va_arg(ap, int);
				i++;
			} else {
				while (FC(i) >= '0' && FC(i) <= '9')
					prec = prec * 10 + FC(i++) - '0';
			}
		}
		size = 32;
		hw = 0;
		for (;; i++) {
			c = FC(i);
			if (c == 'l' && FC(i + 1) == 'l') {
				size = 64;
				i++;
			} else if (c == 'I' && FC(i + 1) == '6' && FC(i + 2) == '4') {
				size = 64;
				i += 2;
			} else if (c == 'I' && FC(i + 1) == '3' && FC(i + 2) == '2') {
				size = 32;
				i += 2;
			} else if (c == 'I' || c == 'z') {
				size = 32;
			} else if (c == 'h') {
				hw = -1;
				if (size == 32)
					size = 16;
			} else if (c == 'l' || c == 'w') {
				hw = 1;
			} else {
				break;
			}
		}
		switch (c = FC(i++)) {
		case 'd':
		case 'i':
			sv = size == 64 ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (size == 16)
				sv = (short)sv;
			put_num(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0,
				10, 0, flags, width, prec);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			v = size == 64 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			if (size == 16)
				v = (unsigned short)v;
			put_num(o, v, 0, c == 'o' ? 8 : c == 'u' ? 10 : 16,
				c == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
			break;
		case 'p':
			put_num(o, (uintptr_t)va_arg(ap, void *), 0, 16, 1, 0, 8, 8);
			break;
		case 'c':
		case 'C': {
			int w = hw ? hw > 0 : (c == 'c') == o->wide;
			unsigned int ch = va_arg(ap, int);

			if (!(flags & F_LEFT))
				pad(o, width - 1, ' ');
			put_cp(o, w ? (WCHAR)ch : (unsigned char)ch);
			if (flags & F_LEFT)
				pad(o, width - 1, ' ');
			break;
		}
		case 's':
		case 'S': {
			int w = hw ? hw > 0 : (c == 's') == o->wide;

			put_str(o, va_arg(ap, const void *), w, -1, width, prec,
				flags & F_LEFT);
			break;
		}
		case 'Z': {
			const void *p = va_arg(ap, const void *);

			if (!p) {
				put_str(o, NULL, 0, -1, width, prec, flags & F_LEFT);
			} else if (hw > 0) {
				const UNICODE_STRING *us = p;

				put_str(o, us->Buffer ? us->Buffer : u"", 1,
					us->Length / 2, width, prec, flags & F_LEFT);
			} else {
				const ANSI_STRING *as = p;

				put_str(o, as->Buffer ? as->Buffer : "", 0,
					as->Length, width, prec, flags & F_LEFT);
			}
			break;
		}
		case 'n':
			*va_arg(ap, int *) = (int)o->len;
			break;
		case '%':
			put(o, '%');
			break;
		default:
			/* unknown: copy "%..." through as written */
			if (!c)
				i--;
			for (; start < i; start++)
				put(o, FC(start));
			break;
		}
	}
#undef FC
}

/* Microsoft's bounded convention: see the top of the file. */
int NTDLL_CRT(_vsnprintf)(char *buf, size_t count, const char *fmt, va_list ap)
{
	struct out o = { buf, count, 0, 0 };
	size_t n;

	format(&o, fmt, ap);
	n = o.len;
	if (n > count)
		return -1;
	if (n < count)
		buf[n] = 0;
	return (int)n;
}

int NTDLL_CRT(_vsnwprintf)(WCHAR *buf, size_t count, const WCHAR *fmt,
			   va_list ap)
{
	struct out o = { buf, count, 0, 1 };
	size_t n;

	format(&o, fmt, ap);
	n = o.len;
	if (n > count)
		return -1;
	if (n < count)
		buf[n] = 0;
	return (int)n;
}

int NTDLL_CRT(_snprintf)(char *buf, size_t count, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = NTDLL_CRT(_vsnprintf)(buf, count, fmt, ap);
	va_end(ap);
	return r;
}

int NTDLL_CRT(_snwprintf)(WCHAR *buf, size_t count, const WCHAR *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = NTDLL_CRT(_vsnwprintf)(buf, count, fmt, ap);
	va_end(ap);
	return r;
}

int NTDLL_CRT(vsprintf)(char *buf, const char *fmt, va_list ap)
{
	struct out o = { buf, (size_t)-1, 0, 0 };

	format(&o, fmt, ap);
	put(&o, 0);
	return (int)o.len - 1;
}

int NTDLL_CRT(sprintf)(char *buf, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = NTDLL_CRT(vsprintf)(buf, fmt, ap);
	va_end(ap);
	return r;
}

int NTDLL_CRT(swprintf)(WCHAR *buf, const WCHAR *fmt, ...)
{
	struct out o = { buf, (size_t)-1, 0, 1 };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	put(&o, 0);
	return (int)o.len - 1;
}
