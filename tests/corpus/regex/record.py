#!/usr/bin/env python3
"""Records stap 4.8's own sub-matches for random patterns: submatches.tsv.

stap compiles each =~ pattern into a tagged DFA in C (visible with -p3); this script takes that
function out of stap's pass-3 output, compiles it in user space with gcc and runs it on the
subjects, so the expected groups are exactly what a stap module would report through matched(n).
Usage: record.py SEED PATTERNS > submatches.tsv   (needs ../shared/tools/stap-oracle and gcc)
Each line: pattern, subject, then "no" or every group as [text] ("[]" for a group not set).
"""
import json, os, random, re, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

ORACLE = os.environ.get("STAP_ORACLE", os.path.join(os.path.dirname(__file__), "../../../../shared/tools/stap-oracle"))
MAX_DFA_SOURCE = 200_000  # some patterns give DFAs of megabytes of C; they are skipped

def generate(seed, count):
    r = random.Random(seed)
    def atom(d):
        x = r.random()
        if d > 1 or x < 0.45:
            return r.choice("abc.")
        if x < 0.85:
            return "(" + alt(d + 1) + ")"
        return "[" + r.choice(["ab", "bc", "^a"]) + "]"
    def piece(d):
        a, q = atom(d), r.random()
        return a + ("*" if q < 0.2 else "+" if q < 0.3 else "?" if q < 0.4 else "")
    def alt(d):
        k = 1 if r.random() < 0.6 else r.randint(2, 3)
        return "|".join("".join(piece(d) for _ in range(r.randint(1, 3))) for _ in range(k))
    for _ in range(count):
        p = alt(0)
        yield p, ["".join(r.choice("abc") for _ in range(r.randint(0, 7))) for _ in range(4)]

def stap_dfa(work, i, pattern):
    script = os.path.join(work, f"p{i}.stp")
    with open(script, "w") as f:
        f.write('global s\nprobe begin { s = "x"\n  if (s =~ "%s") print(matched(0)) }\n' % pattern)
    c = subprocess.run([ORACLE, "-p3", script], capture_output=True, text=True)
    m = re.search(r"(int __stp_dfa0 \(struct context \* __restrict__ c, const char \*str\) \{.*?\n\}\n)", c.stdout, re.S)
    if c.returncode != 0 or not m or len(m.group(1)) > MAX_DFA_SOURCE:
        return None
    return m.group(1).replace("__stp_dfa0", f"dfa{i}")

def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    cases = list(generate(seed, count))
    with tempfile.TemporaryDirectory() as work:
        with ThreadPoolExecutor(4) as ex:
            dfas = list(ex.map(lambda ic: stap_dfa(work, ic[0], ic[1][0]), enumerate(cases)))
        src = ["#include <stdio.h>\n#include <string.h>\n#define MAXSTRINGLEN 512\n"
               "#define STAPREGEX_MAX_TAG 128\n#define STAPREGEX_MAX_MAP 128\n"
               "static size_t strlcpy(char *d, const char *s, size_t n) { size_t l = strlen(s); if (n) { size_t k = l < n - 1 ? l : n - 1; memcpy(d, s, k); d[k] = 0; } return l; }\n"
               "struct context { struct { char matched_str[MAXSTRINGLEN]; unsigned result:1; unsigned num_final_tags;"
               " int tag_states[STAPREGEX_MAX_TAG][STAPREGEX_MAX_MAP]; int tag_vals[STAPREGEX_MAX_TAG]; } last_match; };\n"
               "static struct context ctx;\n"
               "static void show(const char *p, const char *s, int r) { printf(\"%s\\t%s\\t\", p, s);"
               " if (!r) { printf(\"no\\n\"); return; }"
               " for (unsigned i = 0; i < ctx.last_match.num_final_tags; i += 2) { int a = ctx.last_match.tag_vals[i], b = ctx.last_match.tag_vals[i + 1];"
               " if (a < 0 || b < 0) printf(\"[]\"); else printf(\"[%.*s]\", b - a, s + a); } printf(\"\\n\"); }\n"]
        body = ["int main(void) {\n"]
        for i, ((pattern, subjects), dfa) in enumerate(zip(cases, dfas)):
            if dfa is None:
                continue
            src.append(dfa)
            for s in subjects:
                body.append(f"  show({json.dumps(pattern)}, {json.dumps(s)}, dfa{i}(&ctx, {json.dumps(s)}));\n")
        body.append("  return 0;\n}\n")
        with open(os.path.join(work, "h.c"), "w") as f:
            f.write("".join(src + body))
        subprocess.run(["gcc", "-O0", "-w", "-o", os.path.join(work, "h"), os.path.join(work, "h.c")], check=True)
        sys.stdout.write(subprocess.run([os.path.join(work, "h")], capture_output=True, text=True, check=True).stdout)

main()
