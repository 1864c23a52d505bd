# report.awk - turns the raw lines of bench/e2e.sh into markdown tables (mawk-compatible).
# Input lines: ROW (one client run), SESSION (one server life), LAT (exec -> readable), FLOOR
# (exec -> readable of programs that only write the file), RSS.
# Variables: with_stap, pp_size, c_size, rss_reads, lat_runs.

$1 == "ROW" {
	delete a; kv($0, a)
	k = a["srv"] SUBSEP a["place"] SUBSEP a["threads"] SUBSEP a["mode"]
	add(OPS, k, a["ops_per_s"] + 0); add(P50, k, a["p50_us"] + 0); add(P99, k, a["p99_us"] + 0)
	if (a["srv_cpu_us"] != "-" && a["srv_cpu_us"] != "") add(CPU, k, a["srv_cpu_us"] + 0)
	ERR[k] += a["errors"]; NOPS[k] += a["ops"]
	RUNOPS[k, a["rep"]] = a["ops_per_s"] + 0
	REPS[a["rep"]] = 1
	if (a["errors"] + 0 > 0 && !(k in FIRSTERR)) { p = index($0, "first_error="); if (p) FIRSTERR[k] = substr($0, p + 12) }
	SEEN[a["srv"]] = 1
	next
}
$1 == "SESSION" {
	delete a; kv($0, a)
	s = a["srv"]
	if (a["handler_calls"] != "-" && a["writes_sent"] + 0 > 0) { HC[s] += a["handler_calls"]; WS[s] += a["writes_sent"]; HCN[s]++ }
	else if (a["writes_sent"] + 0 > 0) HCMISS[s]++
	if (s == "stap") add(STAPSTART, "x", a["start"])
	if (a["left"] != "none") LEFT[s]++
	if (a["stop_ms"] != "-") add(STOP, s, a["stop_ms"])
	NSESS[s]++
	next
}
$1 == "LAT" {
	delete a; kv($0, a)
	if (a["ms"] != "") add(LAT, a["srv"], a["ms"])
	if (a["left"] != "none") LEFT[a["srv"]]++
	add(STOP, a["srv"], a["stop_ms"])
	NSESS[a["srv"]]++
	next
}
$1 == "FLOOR" {
	delete a; kv($0, a)
	if (a["ms"] != "") add(FLOOR, a["what"], a["ms"])
	next
}
$1 == "RSS" {
	delete a; kv($0, a)
	s = a["srv"]; IDLE[s] = a["idle_kb"]; RSS[s] = a["rss_kb"]; HWM[s] = a["hwm_kb"]; THR[s] = a["threads"]; RSSERR[s] = a["errors"]
	if (a["left"] != "none") LEFT[s]++
	NSESS[s]++
	next
}

END {
	nplace = split("pinned unpinned", PL, " ")
	nmode = split("read readonce write stream", MO, " ")
	has_pp = ("pp" in SEEN)

	print "### Throughput and latency (same C client against each server; medians of the runs)"
	print ""
	hdr = "| placement | client threads | mode | C ops/s | C p50 µs | C p99 µs | pp ops/s | pp p50 µs | pp p99 µs | **pp/C** | pp/C per run (min–max) | server CPU µs/op C / pp | client errors C / pp |"
	sep = "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	if (with_stap) { hdr = hdr " stap ops/s | stap p50 µs | stap client errors / ops |"; sep = sep "---:|---:|---:|" }
	print hdr; print sep
	for (i = 1; i <= nplace; i++) for (t = 1; t <= 2; t++) for (j = 1; j <= nmode; j++) {
		kc = "c" SUBSEP PL[i] SUBSEP t SUBSEP MO[j]
		kp = "pp" SUBSEP PL[i] SUBSEP t SUBSEP MO[j]
		ks = "stap" SUBSEP PL[i] SUBSEP t SUBSEP MO[j]
		if (!(kc in OPS) && !(kp in OPS)) continue
		hc = (kc in OPS); hp = (kp in OPS); hs = (ks in OPS)
		co = hc ? med(OPS[kc]) : ""; po = hp ? med(OPS[kp]) : ""
		ratio = (co > 0 && po != "") ? sprintf("**%.2f×**", po / co) : "–"
		rl = ""
		for (r in REPS) if (((kc, r) in RUNOPS) && ((kp, r) in RUNOPS) && RUNOPS[kc, r] > 0) rl = rl " " RUNOPS[kp, r] / RUNOPS[kc, r]
		rr = rl == "" ? "–" : sprintf("%.2f–%.2f", lmin(rl), lmax(rl))
		RATIO[PL[i], t, MO[j]] = (co > 0 && po != "") ? po / co : ""
		line = sprintf("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |",
			PL[i], t, MO[j], thou(co), hc ? f1(med(P50[kc])) : "–", hc ? f1(med(P99[kc])) : "–",
			thou(po), hp ? f1(med(P50[kp])) : "–", hp ? f1(med(P99[kp])) : "–", ratio, rr,
			(kc in CPU) ? f1(med(CPU[kc])) : "–", (kp in CPU) ? f1(med(CPU[kp])) : "–",
			hc ? ERR[kc] + 0 : "–", hp ? ERR[kp] + 0 : "–")
		if (with_stap) line = line sprintf(" %s | %s | %s |", hs ? thou(med(OPS[ks])) : "–", hs ? f1(med(P50[ks])) : "–",
			hs ? sprintf("%d / %d", ERR[ks], NOPS[ks]) : "–")
		print line
		if (hp) PPERR += ERR[kp]
	}
	print ""
	print "ops/s: client operations per second over all client threads (read = open + read until EOF + close; readonce = open + one read + close; write = open(O_TRUNC) + 4-byte write + close; stream = one 4 KiB write, 256 per open). p50/p99: per-operation latency. Server CPU: on-CPU time of all server threads per client operation (`/proc/PID/task/*/schedstat`, warm-up included). pp/C per run: min and max over the runs of the ratio within one run (each client run against C is followed or preceded directly by the same run against procprobe; the order alternates between runs)."
	errnotes = ""
	for (k in FIRSTERR) { split(k, q, SUBSEP); errnotes = errnotes sprintf("\n- %s %s t=%s %s: first error `%s`", q[1], q[2], q[3], q[4], FIRSTERR[k]) }
	if (errnotes != "") { print ""; print "First client error per row with errors:" errnotes }

	print ""
	print "### Start-up, memory, size, write accounting"
	print ""
	h = "| | C (`ll_server -f -s`) | procprobe | pp / C |"; sp = "|---|---:|---:|---:|"
	if (with_stap) { h = h " stapbpf |"; sp = sp "---:|" }
	print h; print sp
	cl = ("c" in LAT) ? med(LAT["c"]) : ""; pl = ("pp" in LAT) ? med(LAT["pp"]) : ""
	row = sprintf("| exec → file readable, ms: median (min–max) of %d, unpinned | %s | %s | %s |", lat_runs,
		("c" in LAT) ? sprintf("%.2f (%.2f–%.2f)", cl, lmin(LAT["c"]), lmax(LAT["c"])) : "–",
		("pp" in LAT) ? sprintf("%.2f (%.2f–%.2f)", pl, lmin(LAT["pp"]), lmax(LAT["pp"])) : "–",
		(cl > 0 && pl != "") ? sprintf("%.2f×", pl / cl) : "–")
	if (with_stap) row = row sprintf(" %s s (start → FIFOs exist, incl. compile; median) |", f2(med(STAPSTART["x"])))
	print row
	if ("c" in FLOOR) {
		fc = med(FLOOR["c"]); fa = ("aot" in FLOOR) ? med(FLOOR["aot"]) : ""
		row = sprintf("| the floor: exec → file readable for a program that only writes the file, ms: median (min–max) of %d, unpinned (C: `bench/e2e/floor.c`; procprobe column: `bench/e2e/floor`, the same in Native AOT with procprobe's settings) | %s | %s | %s |", lat_runs,
			sprintf("%.2f (%.2f–%.2f)", fc, lmin(FLOOR["c"]), lmax(FLOOR["c"])),
			("aot" in FLOOR) ? sprintf("%.2f (%.2f–%.2f)", fa, lmin(FLOOR["aot"]), lmax(FLOOR["aot"])) : "–",
			(fa != "" && cl > 0) ? sprintf("%.2f× C's server", fa / cl) : "–")
		if (with_stap) row = row " – |"
		print row
	}
	row = sprintf("| SIGTERM → process gone, ms (median over all starts) | %s | %s | |", f1(med(STOP["c"])), f1(med(STOP["pp"])))
	if (with_stap) row = row " – |"
	print row
	row = sprintf("| VmRSS idle after start, kB | %s | %s | %s |", thou(IDLE["c"]), thou(IDLE["pp"]), (IDLE["c"] + 0 > 0 && IDLE["pp"] != "") ? sprintf("%.1f×", IDLE["pp"] / (IDLE["c"] + 0)) : "–")
	if (with_stap) row = row sprintf(" %s |", thou(IDLE["stap"]))
	print row
	row = sprintf("| VmRSS after %s reads, kB | %s | %s | %s |", thou(rss_reads), thou(RSS["c"]), thou(RSS["pp"]), (RSS["c"] + 0 > 0 && RSS["pp"] != "") ? sprintf("%.1f×", RSS["pp"] / (RSS["c"] + 0)) : "–")
	if (with_stap) row = row sprintf(" %s |", thou(RSS["stap"]))
	print row
	row = sprintf("| VmHWM after %s reads, kB | %s | %s | %s |", thou(rss_reads), thou(HWM["c"]), thou(HWM["pp"]), (HWM["c"] + 0 > 0 && HWM["pp"] != "") ? sprintf("%.1f×", HWM["pp"] / (HWM["c"] + 0)) : "–")
	if (with_stap) row = row sprintf(" %s |", thou(HWM["stap"]))
	print row
	row = sprintf("| threads after the reads | %s | %s | |", THR["c"], THR["pp"])
	if (with_stap) row = row sprintf(" %s |", THR["stap"])
	print row
	row = sprintf("| client errors in those reads | %s | %s | |", RSSERR["c"], RSSERR["pp"])
	if (with_stap) row = row sprintf(" %s |", RSSERR["stap"])
	print row
	row = sprintf("| executable size, bytes | %s (+ libfuse3.so) | %s | |", thou(c_size), pp_size > 0 ? sprintf("%s (%.2f MiB)", thou(pp_size), pp_size / 1048576) : "–")
	if (with_stap) row = row " – |"
	print row
	for (s in HC) HCR[s] = sprintf("%s / %s (%.3f)", thou(HC[s]), thou(WS[s]), WS[s] > 0 ? HC[s] / WS[s] : 0)
	row = sprintf("| write handler calls / write(2) calls issued | %s | %s | |", ("c" in HC) ? HCR["c"] : "–", ("pp" in HC) ? HCR["pp"] : "–")
	if (with_stap) row = row sprintf(" %s |", ("stap" in HC) ? HCR["stap"] : "–")
	print row
	row = sprintf("| server lives that left a mount, directory or process behind | %d of %d | %d of %d | |", LEFT["c"], NSESS["c"], LEFT["pp"], NSESS["pp"])
	if (with_stap) row = row sprintf(" %d of %d |", LEFT["stap"], NSESS["stap"])
	print row
	print ""
	print "Write accounting: the handler count comes from the server at exit (C: `LL_SERVER_VERBOSE`; procprobe and stapbpf: the script's end probe printing `n`) and is compared with the write(2) calls the client issued, warm-up included. Equal means nothing lost, merged or duplicated."

	if (!has_pp) exit
	print ""
	print "### Targets"
	print ""
	print "| target | measured | met? |"
	print "|---|---:|---|"
	split("read readonce write", TM, " ")
	for (j = 1; j <= 3; j++) {
		r = RATIO["pinned", 1, TM[j]]
		printf "| pinned, 1 client thread, %s ≥ 1.00× C | %s | %s |\n", TM[j], r == "" ? "–" : sprintf("%.2f×", r), r == "" ? "–" : (r >= 1.0 ? "yes" : "**no**")
	}
	r = RATIO["pinned", 1, "stream"]
	printf "| pinned, 1 client thread, stream ≥ 0.90× C | %s | %s |\n", r == "" ? "–" : sprintf("%.2f×", r), r == "" ? "–" : (r >= 0.9 ? "yes" : "**no**")
	r = (cl > 0 && pl != "") ? pl / cl : ""
	cpuline = ""
	for (j = 1; j <= nmode; j++) {
		kc = "c" SUBSEP "pinned" SUBSEP 1 SUBSEP MO[j]; kp = "pp" SUBSEP "pinned" SUBSEP 1 SUBSEP MO[j]
		if ((kc in CPU) && (kp in CPU)) cpuline = cpuline sprintf("%s%s %+.1f µs (%.2f×)", cpuline == "" ? "" : "; ", MO[j], med(CPU[kp]) - med(CPU[kc]), med(CPU[kp]) / med(CPU[kc]))
	}
	if (cpuline != "") printf "| (not a target; robust under load) pinned, 1 client thread: server CPU per operation, procprobe − C | %s | |\n", cpuline
	printf "| exec → readable ≤ 2× C | %s | %s |\n", r == "" ? "–" : sprintf("%.2f× (%.2f vs %.2f ms)", r, pl, cl), r == "" ? "–" : (r <= 2 ? "yes" : "**no**")
	printf "| RSS ≤ 16 MiB (VmRSS after %s reads; VmHWM) | %s kB; %s kB | %s |\n", thou(rss_reads), thou(RSS["pp"]), thou(HWM["pp"]), RSS["pp"] == "" ? "–" : (RSS["pp"] + 0 <= 16384 && HWM["pp"] + 0 <= 16384 ? "yes" : (RSS["pp"] + 0 <= 16384 ? "VmRSS yes, VmHWM **no**" : "**no**"))
	printf "| executable ≤ 4 MiB | %.2f MiB | %s |\n", pp_size / 1048576, pp_size + 0 <= 4194304 ? "yes" : "**no**"
	printf "| zero client errors (all procprobe rows) | %d | %s |\n", PPERR + RSSERR["pp"], (PPERR + RSSERR["pp"]) == 0 ? "yes" : "**no**"
	printf "| nothing left behind | %d of %d server lives | %s |\n", LEFT["pp"], NSESS["pp"], LEFT["pp"] == 0 ? "yes" : "**no**"
}
