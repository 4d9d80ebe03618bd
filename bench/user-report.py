#!/usr/bin/env python3
"""Summarise bench/user.sh's fio JSON files into a Markdown report.

Usage: user-report.py [--mode M] [--kver K] [--wall S] DIR OUT.md

DIR holds CONFIG.JOB.REP.json and info.txt (the layout of bench/lib.sh's
run_job; the JSON parsing is bench/report.py's).  Per job: IOPS, MB/s, mean
and p99 latency of each configuration (means over the repetitions), the
ratios to vdisk_nullio and, like for like (both user-space handlers on a
file in the same tmpfs), scst_user file disk / LIO TCMU.
"""
import argparse
import glob
import os
import sys

sys.dont_write_bytecode = True	# no bench/__pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import load, mean  # noqa: E402

CONFIGS = ["scst-nullio", "scst-user-ram", "scst-user-file", "lio-tcmu"]
LABEL = {
    "scst-nullio": "scst_local + vdisk_nullio",
    "scst-user-ram": "scst_local + scst_user RAM disk (usr/)",
    "scst-user-file": "scst_local + scst_user file disk (usr/, tmpfs)",
    "lio-tcmu": "tcm_loop + TCMU, tcmu-runner qcow handler (raw file, tmpfs)",
}
REF = "scst-nullio"
# The ratio columns of the summary: (numerator, denominator, heading).
RATIOS = [
    ("scst-user-ram", REF, "user RAM / nullio"),
    ("scst-user-file", REF, "user file / nullio"),
    ("lio-tcmu", REF, "TCMU / nullio"),
    ("scst-user-file", "lio-tcmu",
     "**scst_user file / TCMU file** (like for like)"),
]
JOBS = ["randread-4k-qd1", "randwrite-4k-qd1", "randread-4k-qd32-j1",
        "randwrite-4k-qd32-j1", "seqread-128k-qd8", "seqwrite-128k-qd8"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="?")
    ap.add_argument("--kver", default="?")
    ap.add_argument("--wall", default="?")
    ap.add_argument("dir")
    ap.add_argument("md")
    a = ap.parse_args()

    runs, bad = {}, []
    for p in sorted(glob.glob(os.path.join(a.dir, "*.json"))):
        c, j, _r = os.path.basename(p)[:-5].split(".")
        try:
            runs.setdefault((c, j), []).append(load(p))
        except (ValueError, KeyError, IndexError) as e:
            bad.append(f"{os.path.basename(p)}: {e}")
    info = {}
    ip = os.path.join(a.dir, "info.txt")
    if os.path.exists(ip):
        for line in open(ip):
            k, _, v = line.rstrip("\n").partition("=")
            info[k] = v
    stat = {}
    for key, rs in runs.items():
        iops = [r["iops"] for r in rs]
        m = mean(iops)
        stat[key] = {"iops": m, "mbs": mean([r["mbs"] for r in rs]),
                     "lat": mean([r["lat"] for r in rs]),
                     "p99": mean([r["p99"] for r in rs]),
                     "spread": (max(iops) - min(iops)) / m if m else 0.0}
    jobs = [j for j in JOBS if any((c, j) in stat for c in CONFIGS)]

    def ratio(c, j, ref=REF):
        if (c, j) in stat and (ref, j) in stat and stat[(ref, j)]["iops"]:
            return stat[(c, j)]["iops"] / stat[(ref, j)]["iops"]
        return None

    configs = [c for c in CONFIGS if any((c, j) in stat for j in jobs)]
    ratios = [r for r in RATIOS if r[0] in configs and r[1] in configs]

    mode = {"icount": "qemu TCG, -icount shift=4,sleep=off (guest time "
            "counts instructions)", "tcg": "qemu TCG, multi-threaded, "
            "wall-clock guest time"}.get(a.mode, a.mode)
    out = []
    w = out.append
    w(f"# scst_user benchmark ({a.mode})\n")
    w(f"- kernel {info.get('kernel', a.kver)}, {info.get('cpus', '?')} vCPUs, "
      f"{mode}")
    w(f"- {info.get('fio', 'fio')}, direct=1, ioengine=libaio, numjobs=1, "
      f"time_based, runtime {info.get('runtime', '?')} s (+0.5 s ramp), "
      f"{info.get('reps', '?')} repetitions; means over the repetitions, "
      "spread = (max-min)/mean of IOPS")
    w(f"- 256 MiB LUNs; scst_user handlers: queue depth "
      f"{info.get('user_qd', '?')}, 1 MiB data buffers; I/O scheduler none")
    if "lio-tcmu" in configs:
        w(f"- TCMU: {info.get('tcmu', '?')}; the file of both file "
          "configurations is written in full first (no holes)")
    w(f"- VM wall-clock time: {a.wall} s")
    for c in CONFIGS:
        if c in info:
            w(f"- {c}: {info[c]}")
    w("- ratio = IOPS of the configuration / IOPS of vdisk_nullio; the "
      "last column of the summary compares the two user-space handlers "
      "that store the data the same way (pread/pwrite on a tmpfs file)\n")
    w("vdisk_nullio moves no data at all; the user-space RAM disk makes a "
      "round trip to user space per batch and copies every block twice "
      "(the kernel between the command's buffer and the mmap'ed slot, the "
      "handler between the slot and its memory), so the ratio is the "
      "scst_user overhead plus two copies, under emulated CPUs (a copy is "
      "expensive under TCG: see the 128k jobs).  The file disks add a "
      "pread/pwrite on tmpfs per command.  LIO's TCMU does the same round "
      "trip (a command ring and data area mmap'ed by tcmu-runner, through "
      "UIO) and tcmu-runner's qcow handler, given a raw image, reads and "
      "writes the file.  The like-for-like ratio also holds the "
      "difference of the two cores and loopback HBAs (scst_local vs "
      "tcm_loop), which bench/run.sh's local path measures on its own.\n")
    w("| job | " + " | ".join(f"{LABEL[c]} IOPS" for c in configs) +
      "".join(f" | {r[2]}" for r in ratios) + " |")
    w("|---|" + "---:|" * (len(configs) + len(ratios)))
    for j in jobs:
        cells = [f"{stat[(c, j)]['iops']:.0f}" if (c, j) in stat else "-"
                 for c in configs]
        for num, den, _h in ratios:
            r = ratio(num, j, den)
            cells.append("-" if r is None else f"{r:.2f}x")
        w(f"| {j} | " + " | ".join(cells) + " |")
    w("")
    for j in jobs:
        w(f"## {j}\n")
        w("| target | IOPS | spread | MB/s | mean lat (us) | p99 lat (us) "
          "| ratio |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for c in configs:
            s = stat.get((c, j))
            if not s:
                w(f"| {LABEL[c]} | - | - | - | - | - | - |")
                continue
            r = ratio(c, j)
            w(f"| {LABEL[c]} | {s['iops']:.0f} | {s['spread'] * 100:.1f}% "
              f"| {s['mbs']:.1f} | {s['lat']:.1f} | {s['p99']:.1f} "
              f"| {r:.2f}x |")
        w("")
    if bad:
        w("Unreadable runs: " + "; ".join(bad) + "\n")
    open(a.md, "w").write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
