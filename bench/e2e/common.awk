# common.awk - helpers shared by report.awk and loops.awk (mawk-compatible): key=value fields,
# median/min/max of space-separated lists, thousands grouping, fixed decimals.

function kv(line, arr,    i, n, tok, p) {
	n = split(line, tok, " ")
	for (i = 2; i <= n; i++) {
		p = index(tok[i], "=")
		if (p > 0) arr[substr(tok[i], 1, p - 1)] = substr(tok[i], p + 1)
	}
}
# median of list "a b c ..." (numeric); "" if empty
function med(list,    n, v, i, j, t) {
	n = split(list, v, " ")
	if (n == 0) return ""
	for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
	return (n % 2) ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
}
function lmin(list,    n, v, i, m) { n = split(list, v, " "); if (n == 0) return ""; m = v[1] + 0; for (i = 2; i <= n; i++) if (v[i] + 0 < m) m = v[i] + 0; return m }
function lmax(list,    n, v, i, m) { n = split(list, v, " "); if (n == 0) return ""; m = v[1] + 0; for (i = 2; i <= n; i++) if (v[i] + 0 > m) m = v[i] + 0; return m }
function add(arr, k, v) { arr[k] = (k in arr) ? arr[k] " " v : v }
function thou(x,    s, r) { # 12345 -> 12 345 (thin grouping like the reference tables)
	if (x == "") return "–"
	s = sprintf("%.0f", x); r = ""
	while (length(s) > 3) { r = " " substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return s r
}
function f1(x) { return x == "" ? "–" : sprintf("%.1f", x) }
function f2(x) { return x == "" ? "–" : sprintf("%.2f", x) }
