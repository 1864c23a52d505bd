# loops.awk - the tables of `bench/e2e.sh --loops` (mawk-compatible).
# Input: ROW lines (one client run) and SESSION lines (one server life) of the raw file.
# Each server is compared with pp-st (procprobe, one loop thread) run by run: both served the
# same client run back to back in the same repetition, so their ratio shares the machine's state.

$1 == "ROW" {
	delete a; kv($0, a)
	s = a["srv"]
	if (!(s in SEEN)) { SEEN[s] = 1; SRV[++NSRV] = s }
	k = s SUBSEP a["threads"] SUBSEP a["mode"]
	add(OPS, k, a["ops_per_s"] + 0); add(P50, k, a["p50_us"] + 0); add(P99, k, a["p99_us"] + 0)
	if (a["srv_cpu_us"] != "-" && a["srv_cpu_us"] != "") add(CPU, k, a["srv_cpu_us"] + 0)
	ERR[k] += a["errors"]
	RUN[k, a["rep"]] = a["ops_per_s"] + 0
	REPS[a["rep"]] = 1
}
$1 == "SESSION" {
	delete a; kv($0, a)
	l = a["label"]; sub(/\.s$/, "", l)
	if (a["handler_calls"] != "-") { HC[l] += a["handler_calls"]; WS[l] += a["writes_sent"] }
	LIVES[l]++
	if (a["left"] != "none") LEFT[l]++
	if (a["threads_start"] != "") add(THR0, l, a["threads_start"])
	if (a["threads_end"] != "") add(THR1, l, a["threads_end"])
}
END {
	split("read readonce write stream", modes, " ")
	print "**Unpinned, per row: medians over the runs** (ops/s of all client threads together; ratio = ops/s of the server ÷ ops/s of pp-st in the same run; \"faster\" = runs in which it beat pp-st)"
	print ""
	print "| client threads | mode | server | ops/s | ops/s min–max | p50 µs | p99 µs | server CPU µs/op | ÷ pp-st: median (min–max) | faster than pp-st | client errors |"
	print "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for (t = 1; t <= 2; t++) for (mi = 1; mi <= 4; mi++) {
		m = modes[mi]
		for (si = 1; si <= NSRV; si++) {
			s = SRV[si]; k = s SUBSEP t SUBSEP m; b = "pp-st" SUBSEP t SUBSEP m
			if (!(k in OPS)) continue
			ratios = ""; wins = 0; nr = 0
			for (r in REPS) if ((k, r) in RUN && (b, r) in RUN && RUN[b, r] > 0) {
				ratios = ratios " " RUN[k, r] / RUN[b, r]; nr++
				if (RUN[k, r] > RUN[b, r]) wins++
			}
			rc = (s == "pp-st" || nr == 0) ? "" : sprintf("%.2f× (%.2f–%.2f)", med(ratios), lmin(ratios), lmax(ratios))
			wc = (s == "pp-st" || nr == 0) ? "" : wins " of " nr
			printf "| %d | %s | %s | %s | %s–%s | %s | %s | %s | %s | %s | %d |\n", t, m, s, thou(med(OPS[k])), thou(lmin(OPS[k])), thou(lmax(OPS[k])), f1(med(P50[k])), f1(med(P99[k])), f2(med(CPU[k])), rc, wc, ERR[k]
		}
	}
	print ""
	print "**Per server over all runs**"
	print ""
	print "| server | write handler calls / write(2) calls issued | threads after start (median) | threads at stop (median) | server lives that left something behind |"
	print "|---|---:|---:|---:|---:|"
	for (si = 1; si <= NSRV; si++) {
		s = SRV[si]
		acc = (s in WS && WS[s] > 0) ? sprintf("%d / %d (%.3f)", HC[s], WS[s], HC[s] / WS[s]) : "–"
		printf "| %s | %s | %s | %s | %d of %d |\n", s, acc, (s in THR0) ? med(THR0[s]) : "–", (s in THR1) ? med(THR1[s]) : "–", LEFT[s] + 0, LIVES[s] + 0
	}
}
