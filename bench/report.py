#!/usr/bin/env python3
"""Summarise bench/guest.sh's results into a Markdown report and charts.

Usage: report.py [--mode icount|tcg] [--kver K] [--wall S] DIR OUT.md PREFIX

DIR holds CONFIG.JOB.REP.json (fio --output-format=json), CONFIG.JOB.REP.cpu
(two CPU samples of bench/lib.sh's snap: "NS IOS IDLE0 IDLE1 ... ctxt=N"),
info.txt, calib.one, calib.two, perf.txt and CONFIG.params (iSCSI).

Per path (local HBA, iSCSI) and job: one row per configuration with the
mean over the repetitions of IOPS, MB/s, mean latency and p99 total
latency, the IOPS spread (max-min)/mean, the CPU cost per I/O and the
IOPS ratio to the LIO configuration with the same backing.  With gnuplot,
PREFIX-local.png and PREFIX-iscsi.png chart the four metrics.

CPU cost per I/O.  Under qemu -icount shift=4 the guest clock advances
16 ns per instruction executed by any vCPU (the vCPUs share one clock and
take turns), and jumps ahead when all vCPUs halt (sleep=off).  Per CPU,
busy = window - (idle + iowait) from /proc/stat.  Instructions executed in
the window = (window - time all vCPUs halted) / 16, which lies between
max(busy_i) / 16 (all-halted time is at most the least idle CPU's idle
time) and min(window, sum(busy_i)) / 16 (the sum counts time when two
vCPUs were runnable twice).  Both bounds are reported per I/O; calib.*
checks them against a loop of known length.  In plain TCG mode the sum of
busy vCPU time per I/O (us) is reported instead.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

PATHS = {
    "local": {
        "title": "Local HBA (SCSI low-level driver in the guest)",
        "configs": ["null", "scst-nullio", "lio-rdnull", "scst-nullio-zero",
                    "lio-rdmcp", "scst-blockio", "lio-iblock"],
    },
    "iscsi": {
        "title": "iSCSI on loopback (open-iscsi initiator, 127.0.0.1)",
        "configs": ["iscsi-scst-nullio", "iscsi-lio-rdnull",
                    "iscsi-tgt-null", "iscsi-scst-fileio",
                    "iscsi-lio-fileio", "iscsi-tgt-rdwr"],
    },
}
LABEL = {
    "null": "null_blk (raw, ceiling)",
    "scst-nullio": "SCST scst_local + vdisk_nullio read_zero=0",
    "scst-nullio-zero": "SCST scst_local + vdisk_nullio read_zero=1 (zeros)",
    "lio-rdnull": "LIO tcm_loop + rd_mcp rd_nullio=1",
    "lio-rdmcp": "LIO tcm_loop + rd_mcp (RAM disk)",
    "scst-blockio": "SCST scst_local + vdisk_blockio (null_blk)",
    "lio-iblock": "LIO tcm_loop + iblock (null_blk)",
    "iscsi-scst-nullio": "SCST scst_iscsi + vdisk_nullio",
    "iscsi-lio-rdnull": "LIO iscsi + rd_mcp rd_nullio=1",
    "iscsi-tgt-null": "tgt + bstype null",
    "iscsi-scst-fileio": "SCST scst_iscsi + vdisk_fileio (tmpfs)",
    "iscsi-lio-fileio": "LIO iscsi + fileio (tmpfs, buffered)",
    "iscsi-tgt-rdwr": "tgt + bstype rdwr (tmpfs)",
}
# The LIO configuration with the same backing (the ratio's denominator).
REF = {
    "null": "lio-iblock",
    "scst-nullio": "lio-rdnull",
    "scst-nullio-zero": "lio-rdmcp",
    "scst-blockio": "lio-iblock",
    "iscsi-scst-nullio": "iscsi-lio-rdnull",
    "iscsi-tgt-null": "iscsi-lio-rdnull",
    "iscsi-scst-fileio": "iscsi-lio-fileio",
    "iscsi-tgt-rdwr": "iscsi-lio-fileio",
}
JOBS = ["randread-4k-qd1", "randwrite-4k-qd1", "randread-4k-qd32-j1",
        "randread-4k-qd32-j2", "seqread-128k-qd8", "seqwrite-128k-qd8",
        "seqread-1m-qd4", "seqwrite-1m-qd4"]
# bytes per I/O of a job, from its name (..-4k-.., ..-128k-.., ..-1m-..)
UNIT = {"k": 1 << 10, "m": 1 << 20}


def job_bytes(j):
    for part in j.split("-"):
        if part[:-1].isdigit() and part[-1] in UNIT:
            return int(part[:-1]) * UNIT[part[-1]]
    return None
NS_PER_INSN = 16	# -icount shift=4


def load(path):
    text = open(path).read()
    # fio may print warnings before the JSON document.
    d = json.loads(text[text.index("{"):])["jobs"][0]
    s = d["write"] if d["write"]["io_bytes"] > d["read"]["io_bytes"] \
        else d["read"]
    # p99 of the total latency (--lat_percentiles=1), else of clat.
    pct = s["lat_ns"].get("percentile") or s["clat_ns"].get("percentile", {})
    return {
        "iops": s["iops"],
        "mbs": s["bw_bytes"] / 1e6,
        "lat": s["lat_ns"]["mean"] / 1e3,
        "p99": pct.get("99.000000", 0) / 1e3,
    }


def snap_fields(line):
    """Numbers and key=value fields of one snap line."""
    nums, kv = [], {}
    for x in line.split():
        k, eq, v = x.partition("=")
        if eq:
            kv[k] = int(v)
        else:
            nums.append(int(x))
    return nums, kv


def cpu_window(lines, user_hz, extra=None):
    """(window ns, I/Os, [busy ns per CPU]) of two snap lines; with a dict
    @extra, also the increase of each key=value field (ctxt)."""
    a, ka = snap_fields(lines[0])
    b, kb = snap_fields(lines[1])
    win = b[0] - a[0]
    ios = b[1] - a[1]
    tick = 1e9 / user_hz
    busy = [max(0.0, win - (y - x) * tick) for x, y in zip(a[2:], b[2:])]
    if extra is not None:
        extra.update({k: kb[k] - ka[k] for k in ka if k in kb})
    return win, ios, busy


def bounds(win, busy):
    """Lower and upper bound of the time some vCPU executed (ns)."""
    return max(busy), min(win, sum(busy))


def load_cpu(path, user_hz):
    lines = open(path).read().split("\n")
    extra = {}
    win, ios, busy = cpu_window(lines[:2], user_hz, extra)
    if ios <= 0 or win <= 0:
        return None
    lo, hi = bounds(win, busy)
    ctx = extra["ctxt"] / ios if "ctxt" in extra else None
    return {"lo": lo / ios, "hi": hi / ios, "sum": sum(busy) / ios,
            "util": sum(busy) / win, "ctx": ctx}


def mean(v):
    return sum(v) / len(v) if v else 0.0


def fmt_k(v):
    return f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}"


class Report:
    def __init__(self, a):
        self.a = a
        self.icount = a.mode == "icount"
        self.info = {}
        ip = os.path.join(a.dir, "info.txt")
        if os.path.exists(ip):
            for line in open(ip):
                k, _, v = line.rstrip("\n").partition("=")
                self.info[k] = v
        self.user_hz = int(self.info.get("user_hz") or 100)
        self.bad = []
        runs, cpus = {}, {}
        for p in sorted(glob.glob(os.path.join(a.dir, "*.json"))):
            c, j, _r = os.path.basename(p)[:-5].split(".")
            try:
                runs.setdefault((c, j), []).append(load(p))
            except (ValueError, KeyError, IndexError) as e:
                self.bad.append(f"{os.path.basename(p)}: {e}")
                continue
            cp = p[:-5] + ".cpu"
            try:
                r = load_cpu(cp, self.user_hz)
                if r:
                    cpus.setdefault((c, j), []).append(r)
            except (OSError, ValueError, IndexError):
                pass
        self.stat = {}
        for key, rs in runs.items():
            iops = [r["iops"] for r in rs]
            m = mean(iops)
            cs = cpus.get(key, [])
            self.stat[key] = {
                "n": len(rs),
                "iops": m,
                "spread": (max(iops) - min(iops)) / m if m else 0.0,
                "mbs": mean([r["mbs"] for r in rs]),
                "lat": mean([r["lat"] for r in rs]),
                "p99": mean([r["p99"] for r in rs]),
                "cpu_lo": mean([r["lo"] for r in cs]) if cs else None,
                "cpu_hi": mean([r["hi"] for r in cs]) if cs else None,
                "cpu_sum": mean([r["sum"] for r in cs]) if cs else None,
                "util": mean([r["util"] for r in cs]) if cs else None,
                "ctx": mean([r["ctx"] for r in cs])
                if cs and all(r["ctx"] is not None for r in cs) else None,
            }
        self.jobs = [j for j in JOBS if any(k[1] == j for k in self.stat)]
        self.jobs += sorted({j for _c, j in self.stat} - set(self.jobs))

    def ratio(self, c, j):
        o = REF.get(c)
        if o and (c, j) in self.stat and (o, j) in self.stat \
                and self.stat[(o, j)]["iops"]:
            return self.stat[(c, j)]["iops"] / self.stat[(o, j)]["iops"]
        return None

    def cpu_cell(self, s):
        if s["cpu_lo"] is None:
            return "-"
        if self.icount:
            lo = s["cpu_lo"] / NS_PER_INSN
            hi = s["cpu_hi"] / NS_PER_INSN
            if hi - lo <= 0.05 * hi:
                return fmt_k(hi)
            return f"{fmt_k(lo)}-{fmt_k(hi)}"
        return f"{s['cpu_sum'] / 1000:.0f}"

    def byte_cell(self, s, j):
        """Instructions per byte transferred (icount, upper bound)."""
        b = job_bytes(j)
        if not self.icount or s["cpu_hi"] is None or not b:
            return "-"
        return f"{s['cpu_hi'] / NS_PER_INSN / b:.2f}"

    @staticmethod
    def ctx_cell(s):
        return "-" if s.get("ctx") is None else f"{s['ctx']:.2f}"

    def write(self, md, prefix):
        a = self.a
        out = []
        w = out.append
        mode = {"icount": "qemu TCG, single-threaded, -icount "
                "shift=4,sleep=off (guest time counts instructions: "
                "1 instruction = 16 ns)",
                "tcg": "qemu TCG, multi-threaded, wall-clock guest time "
                "(noisy: other VMs share the host's 2 cores)"}.get(
                    a.mode, a.mode)
        info = self.info
        w(f"# Benchmark: SCST vs LIO vs tgt ({a.mode}, "
          f"{info.get('kernel', a.kver)})\n")
        w(f"- kernel {info.get('kernel', a.kver)}, {info.get('cpus', '?')} "
          f"vCPUs, {mode}")
        w(f"- {info.get('fio', 'fio')}, direct=1, ioengine=libaio, "
          f"time_based, runtime {info.get('runtime', '?')} s (+0.5 s ramp), "
          f"{info.get('reps', '?')} repetitions; values are means over the "
          "repetitions, spread = (max-min)/mean of IOPS")
        w("- LUNs of 64 MiB (fio --size=64M); null_blk queue_mode=2 irqmode=0 (no data "
          "kept); fileio files on a tmpfs in the guest; I/O scheduler none "
          "on every device under test")
        w(f"- tgt {info.get('tgt', '?')}; fio's libiscsi engine: "
          f"{info.get('fio_libiscsi', '?')} (Debian's fio is built without "
          "it, so open-iscsi is the only initiator)"
          if info.get("fio_libiscsi") == "no" else
          f"- tgt {info.get('tgt', '?')}; fio libiscsi engine: "
          f"{info.get('fio_libiscsi', '?')}")
        w(f"- VM wall-clock time (boot to power-off): {a.wall} s")
        w("- ratio = IOPS / IOPS of the LIO configuration with the same "
          "backing (vdisk_nullio, tgt null: LIO rd_mcp rd_nullio=1, "
          "which leaves the READ buffer untouched like vdisk_nullio "
          "read_zero=0; vdisk_nullio read_zero=1, which writes zeros "
          "into the READ buffer: LIO rd_mcp RAM disk, which copies its "
          "pages into it; "
          "vdisk_blockio and raw null_blk: LIO iblock on null_blk; "
          "vdisk_fileio, tgt rdwr: LIO fileio)")
        if self.icount:
            w("- insn/IO: instructions executed by the whole guest (both "
              "vCPUs: fio, block layer, initiator, target) per I/O in a "
              "window inside fio's measured time, from /proc/stat busy "
              "time / 16 ns; one value when the lower and upper bound are "
              "within 5%, else lo-hi (method below)")
        else:
            w("- CPU us/IO: sum of the vCPUs' busy time (/proc/stat) per "
              "I/O, in a window inside fio's measured time")
        if self.icount:
            w("- insn/B: the upper bound of insn/IO divided by the bytes "
              "of one I/O (the block size of the job)")
        w("- ctx/IO: context switches of the whole guest (/proc/stat ctxt) "
          "per I/O in the same window")
        w("")
        w("Emulated hardware: absolute numbers mean little; the ratios are "
          "the result.  Under TCG the emulated CPUs are the bottleneck for "
          "every path, so IOPS measure the CPU cost per I/O rather than "
          "device or queueing behaviour.\n")
        cpu_h = "insn/IO" if self.icount else "CPU us/IO"
        charts = []
        for name, p in PATHS.items():
            cfgs = [c for c in p["configs"]
                    if any((c, j) in self.stat for j in self.jobs)]
            if not cfgs:
                continue
            w(f"## {p['title']}\n")
            for c in cfgs:
                if c in info:
                    w(f"- {c}: {info[c]}")
                pp = os.path.join(self.a.dir, f"{c}.params")
                if os.path.exists(pp):
                    kv = [" ".join(x.split()) for x in open(pp)
                          if x.strip()]
                    w(f"  - negotiated: {', '.join(kv)}")
            w("")
            for j in self.jobs:
                if not any((c, j) in self.stat for c in cfgs):
                    continue
                w(f"### {name}: {j}\n")
                w(f"| target | IOPS | spread | MB/s | mean lat (us) | "
                  f"p99 lat (us) | {cpu_h} | insn/B | ctx/IO | "
                  "ratio to LIO |")
                w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
                for c in cfgs:
                    s = self.stat.get((c, j))
                    if not s:
                        w(f"| {LABEL[c]} | - | - | - | - | - | - | - | - "
                          "| - |")
                        continue
                    r = self.ratio(c, j)
                    rs = f"**{r:.2f}x**" if r is not None else (
                        "1.00x (ref)" if c in REF.values() else "")
                    w(f"| {LABEL[c]} | {s['iops']:.0f} | "
                      f"{s['spread'] * 100:.1f}% | {s['mbs']:.1f} | "
                      f"{s['lat']:.1f} | {s['p99']:.1f} | "
                      f"{self.cpu_cell(s)} | {self.byte_cell(s, j)} | "
                      f"{self.ctx_cell(s)} | {rs} |")
                w("")
            self.summary(w, name, cfgs)
            png = f"{prefix}-{name}.png"
            if self.draw(png, p["title"], cfgs):
                charts.append(png)
                w(f"Chart: {os.path.basename(png)}\n")
        if not charts:
            w("Charts: not drawn (gnuplot not installed: "
              "apt-get install -y gnuplot-nox)\n")
        self.method(w)
        if self.bad:
            w("Unreadable runs: " + "; ".join(self.bad) + "\n")
        fails = [k for k, v in info.items() if v == "setup-failed"]
        if fails:
            w("Set-up failed (no rows): " + ", ".join(fails) + "\n")
        open(md, "w").write("\n".join(out))

    def summary(self, w, name, cfgs):
        rows = [c for c in cfgs if c in REF]
        if not rows:
            return
        w(f"### {name}: IOPS ratio to LIO\n")
        w("| job | " + " | ".join(f"{c} / {REF[c]}" for c in rows) + " |")
        w("|---|" + "---:|" * len(rows))
        below = []
        for j in self.jobs:
            cells = []
            for c in rows:
                r = self.ratio(c, j)
                cells.append(f"{r:.2f}x" if r is not None else "-")
                if r is not None and r < 1.0 and "scst" in c:
                    below.append(f"{j} {c} {r:.2f}x")
            w(f"| {j} | " + " | ".join(cells) + " |")
        w("")
        w("SCST below 1.0x LIO: " + ("; ".join(below) if below else "none")
          + "\n")

    def method(self, w):
        w("## Method: instructions per I/O\n")
        if not self.icount:
            w("Plain TCG: guest time is wall-clock time, so busy time is "
              "emulation time and depends on the host's load; the "
              "instruction count is in the icount report.\n")
        w("With -icount shift=4,sleep=off the guest clock advances 16 ns "
          "per instruction executed by any vCPU (single-threaded TCG runs "
          "the vCPUs in turn on one shared clock) and jumps to the next "
          "timer when every vCPU halts.  From /proc/stat, busy_i = window - "
          "(idle_i + iowait_i) per CPU.  The instructions executed in the "
          "window are (window - time all vCPUs halted) / 16: at least "
          "max(busy_i) / 16 and at most min(window, sum busy_i) / 16, "
          "because a vCPU that is runnable while the other one executes "
          "also counts as busy.  The table gives both bounds per I/O (I/Os "
          "from the device's /sys/block/DEV/stat over the same window).\n")
        rows = []
        for name in ("one", "two"):
            cal = {}
            for n in (name, name + "-base"):
                p = os.path.join(self.a.dir, f"calib.{n}")
                try:
                    lines = open(p).read().split("\n")
                    win, _ios, busy = cpu_window(lines[:2], self.user_hz)
                    insns = int(lines[2].split()[1])
                except (OSError, ValueError, IndexError):
                    break
                lo, hi = bounds(win, busy)
                cal[n] = (insns, win, max(busy), sum(busy), lo, hi)
            if len(cal) == 2:
                rows.append((name, [a - b for a, b in
                                    zip(cal[name], cal[name + "-base"])]))
        if rows:
            w("Check against a loop of 2 instructions per iteration "
              "(bench/calib.c, `dec; jnz`), on one vCPU with the other "
              "idle (one), then on both at once (two), each minus the same "
              "run with a loop of 1 iteration (process start-up); in "
              "brackets counted / executed loop instructions.  (The "
              "window itself is no measure here: starting a process reads "
              "its files over 9p, and while every vCPU waits for the host "
              "the clock jumps ahead.)\n")
            w("| run | loop insns | max(busy)/16 (lower bound) | "
              "sum(busy)/16 |")
            w("|---|---:|---:|---:|")
            for name, (insns, _win, mx, sm, _lo, _hi) in rows:
                def r(v):
                    return f"{v / NS_PER_INSN / 1e6:.1f} M " \
                        f"({v / NS_PER_INSN / insns:.3f})"
                w(f"| {name} | {insns / 1e6:.0f} M | {r(mx)} | {r(sm)} |")
            w("")
        pp = os.path.join(self.a.dir, "perf.txt")
        if os.path.exists(pp):
            txt = [x for x in open(pp).read().split("\n") if x.strip()]
            w("`perf stat -e instructions,cycles -a -- sleep 1` in the "
              "guest:\n")
            w("```")
            w("\n".join(txt[:14]))
            w("```\n")

    def draw(self, png, title, cfgs):
        gp = shutil.which("gnuplot")
        if not gp:
            return False
        metrics = [("iops", "IOPS"), ("mbs", "MB/s"),
                   ("lat", "mean latency (us)"), ("p99", "p99 latency (us)")]
        with tempfile.TemporaryDirectory() as td:
            dat = os.path.join(td, "d.dat")
            with open(dat, "w") as f:
                for m, _t in metrics:
                    f.write(f"# {m}\njob " + " ".join(cfgs) + "\n")
                    for j in self.jobs:
                        vals = []
                        for c in cfgs:
                            s = self.stat.get((c, j))
                            vals.append(f"{s[m]:.3f}" if s and s[m] > 0
                                        else "NaN")
                        f.write(j + " " + " ".join(vals) + "\n")
                    f.write("\n\n")
            plots = []
            for i, (_m, t) in enumerate(metrics):
                cols = ", ".join(
                    f"'{dat}' index {i} using {k + 2}:xtic(1) "
                    f"title '{LABEL[c]}'" if k == 0 else
                    f"'' index {i} using {k + 2} title '{LABEL[c]}'"
                    for k, c in enumerate(cfgs))
                key = "set key outside bottom center horizontal" \
                    if i >= 2 else "unset key"
                plots.append(f"set title '{t}'\n{key}\nplot {cols}")
            script = f"""
set terminal pngcairo size 1600,1100 noenhanced font ',10'
set output '{png}'
set multiplot layout 2,2 title '{title}: {self.info.get('kernel', '')}, {self.a.mode} (log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set xtics rotate by -25 scale 0
set grid ytics
set datafile missing 'NaN'
set key autotitle columnheader
""" + "\n".join(plots) + "\nunset multiplot\n"
            r = subprocess.run([gp], input=script, text=True,
                               capture_output=True)
            if r.returncode != 0:
                print("gnuplot failed:", r.stderr, file=sys.stderr)
                return False
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="?")
    ap.add_argument("--kver", default="?")
    ap.add_argument("--wall", default="?")
    ap.add_argument("dir")
    ap.add_argument("md")
    ap.add_argument("prefix")
    a = ap.parse_args()
    Report(a).write(a.md, a.prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
