# SPDX-License-Identifier: GPL-2.0
#
# Parser shared by the scripts/gen-* generators: reads module/nt_services.tbl
# (format documented at its top), checks each line and calls the
# generator's hooks. A generator script supplies
#	function gen_begin()	before the first service
#	function gen_service()	once per service, with the globals below set
#	function gen_end()	after the last one
# Globals for the current service: idx (0x019), num (25), name (NtClose),
# bytes (0x04), nbytes (4), state (impl/notimpl), proto (the raw prototype),
# nparams, ptype[1..nparams], pname[1..nparams], pann[1..nparams].
# Any inconsistency is reported as FILE:LINE: message and fails the run.
# Plain POSIX awk (checked with gawk --posix, mawk and busybox awk).

BEGIN {
	FS = "\t"
	nt_count = 0
	nt_failed = 0
	gen_begin()
}

function nt_die(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	nt_failed = 1
	exit 1
}

function nt_hex(s,	i, c, v) {
	v = 0
	s = tolower(s)
	sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1))
		if (c == 0)
			return -1
		v = v * 16 + c - 1
	}
	return v
}

# Split one "ANNOTATION TYPE NAME" parameter into pann/ptype/pname[i].
function nt_param(i, p,	rest) {
	if (!match(p, /^_[A-Za-z_]+_(\([^ ()]+\))? /))
		nt_die("parameter " i " of " name " lacks a SAL annotation: " p)
	pann[i] = substr(p, 1, RLENGTH - 1)
	rest = substr(p, RLENGTH + 1)
	if (!match(rest, /[A-Za-z_][A-Za-z0-9_]*$/) || RSTART == 1)
		nt_die("parameter " i " of " name " needs a type and a name: " p)
	pname[i] = substr(rest, RSTART)
	ptype[i] = substr(rest, 1, RSTART - 1)
	sub(/ +$/, "", ptype[i])
	if (ptype[i] ~ /\*/ && (ptype[i] !~ /[^ *] \*+$/ ||
	    substr(rest, RSTART - 1, 1) != "*"))
		nt_die("parameter " i " of " name ": write pointers as TYPE *Name")
}

/^#/ || /^[ \t]*$/ { next }

{
	if (NF != 5)
		nt_die("expected 5 tab-separated fields, found " NF)
	idx = $1; name = $2; bytes = $3; state = $4; proto = $5
	if (idx !~ /^0x[0-9a-f][0-9a-f][0-9a-f]$/)
		nt_die("index must look like 0x01f: " idx)
	num = nt_hex(idx)
	if (num != nt_count)
		nt_die("index " idx " out of order: expected entry " nt_count)
	if (name !~ /^Nt[A-Za-z0-9]+$/)
		nt_die("bad service name: " name)
	if (name in nt_seen)
		nt_die("duplicate service name: " name)
	nt_seen[name] = 1
	if (bytes !~ /^0x[0-9a-f][0-9a-f]$/)
		nt_die("argbytes must look like 0x0c: " bytes)
	nbytes = nt_hex(bytes)
	if (state != "impl" && state != "notimpl")
		nt_die("state must be impl or notimpl: " state)
	nparams = 0
	if (proto != "void") {
		nparams = split(proto, nt_parts, /, /)
		for (nt_i = 1; nt_i <= nparams; nt_i++)
			nt_param(nt_i, nt_parts[nt_i])
	}
	if (nparams * 4 != nbytes)
		nt_die(name ": " nparams " parameters but argbytes " bytes)
	if (nbytes > 68)
		nt_die(name ": more than 0x44 argument bytes")
	nt_count++
	gen_service()
}

END {
	if (nt_failed)
		exit 1
	gen_end()
}

# Helpers for generators.

# Is parameter type t a pointer?
function nt_is_ptr(t) {
	return t ~ /\*$/
}

# The kernel's view of a parameter type: every pointer is a __user
# pointer; a pointer to a pointer (void **BaseAddress) is a user slot that
# holds a 32-bit user address, so it becomes ULONG_PTR __user *.
function nt_ktype(t) {
	if (t ~ /\*\*$/)
		return "ULONG_PTR __user *"
	if (t ~ /\*$/)
		sub(/ *\*$/, " __user *", t)
	return t
}

# "TYPE NAME" with kernel spacing ("T *name", "T name").
function nt_decl(t, n) {
	return (t ~ /\*$/) ? t n : t " " n
}

# Join items with ", ", wrapping before column 80; continuation lines
# start with indent. col is the column where the first item starts.
function nt_wrap(items, n, col, indent, tail,	i, s, out, w) {
	out = ""
	w = col
	for (i = 1; i <= n; i++) {
		s = items[i] (i < n ? "," : tail)
		if (i > 1) {
			if (w + 1 + length(s) > 80) {
				out = out "\n" indent
				w = nt_indent_width(indent)
			} else {
				out = out " "
				w++
			}
		}
		out = out s
		w += length(s)
	}
	return out
}

function nt_indent_width(indent,	i, w, c) {
	w = 0
	for (i = 1; i <= length(indent); i++) {
		c = substr(indent, i, 1)
		w = (c == "\t") ? w - w % 8 + 8 : w + 1
	}
	return w
}

# How a tracer records parameter i, in two characters that the kernel's
# capture (module/dispatch_trace.c) and ntstrace's decoder both read:
#   first	.  nothing beyond the argument word
#		o  OBJECT_ATTRIBUTES, at entry	s  UNICODE_STRING, at entry
#		b w q  1, 4 or 8 bytes pointed to, at entry
#		B W Q  the same at exit		X Y  4 or 8 bytes, entry and exit
#		r  bytes at entry		R  bytes at exit
#   second	for r and R, the parameter holding the byte count as one
#		base-36 digit (1-based); "." otherwise
function nt_capture(i,	t, a, dir, n, j, sz) {
	t = ptype[i]
	a = pann[i]
	if (!nt_is_ptr(t))
		return ".."
	if (a ~ /^_Inout/)
		dir = "io"
	else if (a ~ /^_Out/)
		dir = "o"
	else if (a ~ /^_In/)
		dir = "i"
	else
		return ".."
	if (a ~ /_(reads|writes)_bytes/) {
		n = a
		sub(/^[^(]*\(/, "", n)
		sub(/\).*$/, "", n)
		for (j = 1; j <= nparams; j++)
			if (pname[j] == n && !nt_is_ptr(ptype[j]))
				break
		if (j > nparams || dir == "io")
			return ".."
		return (dir == "i" ? "r" : "R") substr("0123456789abcdefgh", j + 1, 1)
	}
	sub(/^const /, "", t)
	if (t == "OBJECT_ATTRIBUTES *")
		return dir == "i" ? "o." : ".."
	if (t == "UNICODE_STRING *")
		return dir == "i" ? "s." : ".."
	if (t ~ /^(BOOLEAN|UCHAR) \*$/)
		sz = 1
	else if (t ~ /^(ULONG|LONG|HANDLE|ACCESS_MASK|NTSTATUS|SIZE_T|ULONG_PTR|KPRIORITY|KAFFINITY) \*$/ || t == "void **")
		sz = 4
	else if (t ~ /^(LARGE_INTEGER|ULARGE_INTEGER|IO_STATUS_BLOCK|CLIENT_ID) \*$/)
		sz = 8
	else
		return ".."
	if (dir == "io")
		return (sz == 8 ? "Y" : sz == 4 ? "X" : ".") "."
	if (dir == "i")
		return (sz == 8 ? "q" : sz == 4 ? "w" : "b") "."
	return (sz == 8 ? "Q" : sz == 4 ? "W" : "B") "."
}
