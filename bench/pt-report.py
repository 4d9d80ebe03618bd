#!/usr/bin/env python3
"""Summarise bench/passthrough.sh's results as Markdown table rows.

Usage: pt-report.py [--mode icount|tcg] DIR

DIR holds CONFIG.JOB.REP.{json,cpu,cnt} (see bench/passthrough.sh).  Per
job and configuration: the median over the repetitions of IOPS (4k jobs)
or MB/s (128k jobs) with its range, the ratios SCST / LIO and to the raw
disk, and per I/O: CPU cost (icount: instructions, the upper bound of
bench/report.py's method; tcg: busy vCPU us), context switches, BLOCK
softirqs handled and ksoftirqd context switches (these three over the
whole fio run, start-up included).
"""
import argparse
import glob
import os
import statistics
import sys

sys.dont_write_bytecode = True	# no bench/__pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import NS_PER_INSN, load, load_cpu  # noqa: E402

CONFIGS = ["raw", "lio-pscsi", "scst-pt"]
JOBS = ["randread-4k-qd1", "randread-4k-qd32-j1", "randwrite-4k-qd1",
        "randwrite-4k-qd32-j1", "seqread-128k-qd8", "seqwrite-128k-qd8"]


def load_cnt(path):
    """(context switches, BLOCK softirqs, ksoftirqd switches) per I/O."""
    a, b = [[int(x) for x in line.split()]
            for line in open(path).read().split("\n")[:2]]
    ios = b[0] - a[0]
    if ios <= 0:
        return None
    return [(y - x) / ios for x, y in zip(a[1:], b[1:])]


def med(v):
    return statistics.median(v) if v else None


def collect(d, icount):
    res = {}
    for p in sorted(glob.glob(os.path.join(d, "*.json"))):
        c, j, _r = os.path.basename(p)[:-5].split(".")
        try:
            r = load(p)
        except (ValueError, KeyError, IndexError):
            continue
        e = res.setdefault((c, j), {"v": [], "cpu": [], "cnt": []})
        e["v"].append(r["iops"] if "-4k-" in j else r["mbs"])
        try:
            cp = load_cpu(p[:-5] + ".cpu", 100)
            if cp:
                e["cpu"].append(cp["hi"] / NS_PER_INSN if icount
                                else cp["sum"] / 1000)
        except (OSError, ValueError, IndexError):
            pass
        try:
            cn = load_cnt(p[:-5] + ".cnt")
            if cn:
                e["cnt"].append(cn)
        except (OSError, ValueError, IndexError):
            pass
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="icount")
    ap.add_argument("dir")
    a = ap.parse_args()
    icount = a.mode == "icount"
    res = collect(a.dir, icount)
    cpu_h = "insn/IO" if icount else "CPU us/IO"
    print(f"| job | config | unit | median (min-max) | **SCST / LIO** | "
          f"/ raw | {cpu_h} | ctxsw/IO | BLOCK softirq/IO | "
          f"ksoftirqd sw/IO |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    jobs = [j for j in JOBS if any(k[1] == j for k in res)]
    jobs += sorted({j for _c, j in res} - set(jobs))
    for j in jobs:
        unit = "IOPS" if "-4k-" in j else "MB/s"
        base = {c: med(res[(c, j)]["v"]) for c in CONFIGS if (c, j) in res}
        for c in CONFIGS:
            if (c, j) not in res:
                continue
            e = res[(c, j)]
            m = med(e["v"])
            fmt = "{:.0f}" if unit == "IOPS" else "{:.1f}"
            val = (fmt.format(m) + " (" + fmt.format(min(e["v"])) + "-" +
                   fmt.format(max(e["v"])) + ")")
            rl = (f"**{m / base['lio-pscsi']:.2f}**"
                  if c == "scst-pt" and base.get("lio-pscsi") else "")
            rr = (f"{m / base['raw']:.2f}"
                  if c != "raw" and base.get("raw") else "")
            cpu = med(e["cpu"])
            cpu_s = "-" if cpu is None else (
                f"{cpu / 1000:.1f}k" if icount else f"{cpu:.0f}")
            cnt = ["-"] * 3
            if e["cnt"]:
                cnt = [f"{med([x[i] for x in e['cnt']]):.2f}"
                       for i in range(3)]
            print(f"| {j} | {c} | {unit} | {val} | {rl} | {rr} | {cpu_s} | "
                  f"{' | '.join(cnt)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
