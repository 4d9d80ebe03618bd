#!/usr/bin/env python3
"""Summarise bench/local.sh's fio JSON files into a Markdown report.

Usage: local-report.py [--mode M] [--kver K] [--wall S] DIR OUT.md [OUT.png]

DIR holds CONFIG.JOB.REP.json (fio --output-format=json) and info.txt.
Per job: one table row per configuration with the mean over the
repetitions of IOPS, MB/s, mean latency and p99 completion latency, the
IOPS spread (max-min)/mean, the share of the null_blk ceiling and the
ratio to LIO with the same backing (scst-nullio / lio-rd,
scst-blockio / lio-iblock).  With gnuplot on PATH and OUT.png given, a
chart of IOPS relative to null_blk is drawn.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

CONFIGS = ["null", "scst-nullio", "lio-rd", "scst-blockio", "lio-iblock"]
LABEL = {
    "null": "null_blk (ceiling)",
    "scst-nullio": "SCST scst_local + vdisk_nullio",
    "lio-rd": "LIO tcm_loop + rd_mcp",
    "scst-blockio": "SCST scst_local + vdisk_blockio",
    "lio-iblock": "LIO tcm_loop + iblock",
}
PAIR = {"scst-nullio": "lio-rd", "scst-blockio": "lio-iblock"}
JOBS = ["randread-4k-qd1", "randwrite-4k-qd1", "randread-4k-qd32-j1",
        "randread-4k-qd32-j2", "seqread-128k-qd8", "seqwrite-128k-qd8"]


def load(path):
    text = open(path).read()
    # fio may print warnings before the JSON document.
    d = json.loads(text[text.index("{"):])["jobs"][0]
    s = d["write"] if d["write"]["io_bytes"] > d["read"]["io_bytes"] else d["read"]
    # p99 of the total latency (--lat_percentiles=1), else of clat.
    pct = s["lat_ns"].get("percentile") or s["clat_ns"].get("percentile", {})
    return {
        "iops": s["iops"],
        "mbs": s["bw_bytes"] / 1e6,
        "lat": s["lat_ns"]["mean"] / 1e3,
        "p99": pct.get("99.000000", 0) / 1e3,
    }


def mean(v):
    return sum(v) / len(v) if v else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="?")
    ap.add_argument("--kver", default="?")
    ap.add_argument("--wall", default="?")
    ap.add_argument("dir")
    ap.add_argument("md")
    ap.add_argument("png", nargs="?")
    a = ap.parse_args()

    runs = {}	# (config, job) -> [result]
    bad = []
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
    jobs = [j for j in JOBS if any((c, j) in runs for c in CONFIGS)]
    jobs += sorted({j for _c, j in runs} - set(jobs))

    stat = {}	# (config, job) -> dict of means + spread
    for key, rs in runs.items():
        iops = [r["iops"] for r in rs]
        m = mean(iops)
        stat[key] = {
            "n": len(rs),
            "iops": m,
            "spread": (max(iops) - min(iops)) / m if m else 0.0,
            "mbs": mean([r["mbs"] for r in rs]),
            "lat": mean([r["lat"] for r in rs]),
            "p99": mean([r["p99"] for r in rs]),
        }

    def ratio(c, j):
        o = PAIR.get(c)
        if o and (c, j) in stat and (o, j) in stat and stat[(o, j)]["iops"]:
            return stat[(c, j)]["iops"] / stat[(o, j)]["iops"]
        return None

    mode = {"icount": "qemu TCG, -icount shift=4,sleep=off (guest time "
            "counts instructions)", "tcg": "qemu TCG, multi-threaded, "
            "wall-clock guest time"}.get(a.mode, a.mode)
    out = []
    w = out.append
    w(f"# Local HBA benchmark ({a.mode})\n")
    w(f"- kernel {info.get('kernel', a.kver)}, {info.get('cpus', '?')} vCPUs, "
      f"{mode}")
    w(f"- {info.get('fio', 'fio')}, direct=1, ioengine=libaio, time_based, "
      f"runtime {info.get('runtime', '?')} s (+1 s ramp), "
      f"{info.get('reps', '?')} repetitions; values are means over the "
      "repetitions, spread = (max-min)/mean of IOPS")
    w("- backing: null_blk queue_mode=2 irqmode=0 bs=512 (memory_backed=0); "
      "rd_mcp and vdisk_nullio 256 MiB; I/O scheduler none on every device")
    w(f"- VM wall-clock time: {a.wall} s")
    for c in CONFIGS:
        if c in info:
            w(f"- {c}: {info[c]}")
    w("- ratio = IOPS of SCST / IOPS of LIO with the same backing "
      "(vdisk_nullio vs rd_mcp, vdisk_blockio vs iblock); "
      "ceiling = IOPS / raw null_blk IOPS\n")
    w("Emulated hardware: absolute numbers mean little, the ratios are what "
      "this measures.  Under TCG the emulated CPUs are the bottleneck even "
      "for raw null_blk (its IOPS hardly change with the queue depth), so "
      "IOPS mostly measure CPU cost (instructions) per I/O, not device or "
      "queueing behaviour; with two vCPUs on single-threaded TCG (icount) "
      "the vCPUs take turns, which inflates the QD32 numjobs=2 tail "
      "latencies.\n")

    for j in jobs:
        w(f"## {j}\n")
        w("| target | IOPS | spread | MB/s | mean lat (us) | p99 lat (us) "
          "| of ceiling | ratio to LIO |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|")
        ceil = stat.get(("null", j), {}).get("iops")
        for c in CONFIGS:
            s = stat.get((c, j))
            if not s:
                w(f"| {LABEL[c]} | - | - | - | - | - | - | - |")
                continue
            r = ratio(c, j)
            rs = f"**{r:.2f}x**" if r is not None else (
                "1.00x (ref)" if c.startswith("lio") else "")
            cs = f"{s['iops'] / ceil * 100:.0f}%" if ceil else "-"
            w(f"| {LABEL[c]} | {s['iops']:.0f} | {s['spread'] * 100:.1f}% "
              f"| {s['mbs']:.1f} | {s['lat']:.1f} | {s['p99']:.1f} | {cs} "
              f"| {rs} |")
        w("")

    w("## Ratios to LIO (IOPS)\n")
    w("| job | nullio / rd_mcp | blockio / iblock |")
    w("|---|---:|---:|")
    below = []
    for j in jobs:
        cells = []
        for c in ("scst-nullio", "scst-blockio"):
            r = ratio(c, j)
            cells.append(f"{r:.2f}x" if r is not None else "-")
            if r is not None and r < 1.0:
                below.append(f"{j}: {c} {r:.2f}x vs {PAIR[c]}")
        w(f"| {j} | {cells[0]} | {cells[1]} |")
    w("")
    w("Below 1.0x LIO: " + ("; ".join(below) if below else "none") + "\n")
    if bad:
        w("Unreadable runs: " + "; ".join(bad) + "\n")

    chart = None
    if a.png:
        chart = draw(a.png, jobs, stat)
        if chart:
            w(f"Chart: {os.path.basename(a.png)} (IOPS relative to null_blk)\n")
        else:
            w("Chart: not drawn (gnuplot not installed; "
              "apt-get install -y gnuplot-nox)\n")
    open(a.md, "w").write("\n".join(out))
    return 0


def draw(png, jobs, stat):
    gp = shutil.which("gnuplot")
    if not gp:
        return None
    with tempfile.TemporaryDirectory() as td:
        dat = os.path.join(td, "d.dat")
        with open(dat, "w") as f:
            f.write("# job " + " ".join(CONFIGS) + "\n")
            for j in jobs:
                ceil = stat.get(("null", j), {}).get("iops") or 0
                vals = []
                for c in CONFIGS:
                    s = stat.get((c, j))
                    vals.append(f"{s['iops'] / ceil * 100:.2f}"
                                if s and ceil else "0")
                f.write(j + " " + " ".join(vals) + "\n")
        plots = ", ".join(
            f"'{dat}' using {i + 2}:xtic(1) title '{LABEL[c]}'"
            for i, c in enumerate(CONFIGS))
        script = f"""
set terminal pngcairo size 1200,650 noenhanced
set output '{png}'
set title 'fio IOPS relative to raw null_blk (%)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key outside bottom center horizontal
set yrange [0:110]
set ylabel '% of null_blk IOPS'
set xtics rotate by -20
set grid ytics
plot {plots}
"""
        r = subprocess.run([gp], input=script, text=True,
                           capture_output=True)
        if r.returncode != 0:
            print("gnuplot failed:", r.stderr, file=sys.stderr)
            return None
    return png


if __name__ == "__main__":
    sys.exit(main())
