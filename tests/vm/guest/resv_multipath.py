#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Reservations per I_T nexus over iSCSI (issue 15), for resv-multipath.sh.

Usage: resv_multipath.py HOST:PORT T1 T2 RTP1 RTP2 main|reload

One initiator name, four sessions: A (ISID ...01), B (ISID ...02) and D
(ISID ...03) to target T1 (relative target port RTP1), C (ISID ...01,
A's initiator port) to T2 (RTP2), all on LUN 0 = one device.  "main"
checks SPC-2 RESERVE, registrations, ALL_TG_PT, READ FULL STATUS,
PREEMPT and its UNIT ATTENTIONs, SPEC_I_PT and REGISTER AND MOVE with
TransportIDs of format 01b, all per nexus, then leaves APTPL registrations of A and B with B
holding a reservation; "reload" (after the device came back) checks that
they are back, apart.  Prints one PASS/FAIL line per check and
"RESULT n failed"; exit status 1 if any check failed."""

import struct
import sys

from iscsi_raw import Session

INI = "iqn.2026-01.org.scst.test:mp"
GOOD, CHECK_CONDITION, CONFLICT = 0x00, 0x02, 0x18
UA = 0x6
REGISTER, RESERVE, RELEASE, CLEAR, PREEMPT = 0, 1, 2, 3, 4
REGISTER_IGNORE, REGISTER_AND_MOVE = 6, 7
WE, WE_RO = 1, 5

fails = 0


def result(name, ok, why=""):
    global fails
    if ok:
        print("PASS %s" % name, flush=True)
    else:
        fails += 1
        print("FAIL %s: %s" % (name, why), flush=True)


def expect(name, got, want):
    result(name, got == want, "got %r, expected %r" % (got, want))


def isid_hex(n):
    return "801234%06x" % n


def port(n):
    return "%s,i,0x%s" % (INI, isid_hex(n))


def status(r):
    if r is None:
        return "no answer"
    if r.status == CHECK_CONDITION:
        return "check %s" % (r.key_asc_ascq(),)
    return {GOOD: "good", CONFLICT: "conflict"}.get(r.status, r.status)


def prout(s, sa, rk=0, sark=0, typ=0, all_tg_pt=False, aptpl=False):
    pl = struct.pack(">QQIBBH", rk, sark, 0,
                     (0x04 if all_tg_pt else 0) | (0x01 if aptpl else 0),
                     0, 0)
    cdb = struct.pack(">BBBHIB", 0x5F, sa, typ, 0, len(pl), 0)
    return status(s.cmd(0, cdb, data=pl))


def tid(name):
    """iSCSI TransportID, format 01b if @name has an ISID"""
    b = name.encode() + b"\0"
    b += bytes(-len(b) % 4)
    b += bytes(max(0, 20 - len(b)))
    fmt = 0x40 if ",i,0x" in name else 0
    return struct.pack(">BBH", 0x05 | fmt, 0, len(b)) + b


def prout_spec_i_pt(s, sark, names):
    tids = b"".join(tid(n) for n in names)
    pl = struct.pack(">QQIBBHI", 0, sark, 0, 0x08, 0, 0, len(tids)) + tids
    cdb = struct.pack(">BBBHIB", 0x5F, REGISTER, 0, 0, len(pl), 0)
    return status(s.cmd(0, cdb, data=pl))


def prout_move(s, rk, sark, typ, rel, name):
    t = tid(name)
    pl = struct.pack(">QQBBHI", rk, sark, 0, 0, rel, len(t)) + t
    cdb = struct.pack(">BBBHIB", 0x5F, REGISTER_AND_MOVE, typ, 0, len(pl), 0)
    return status(s.cmd(0, cdb, data=pl))


def prin(s, sa):
    r = s.cmd(0, struct.pack(">BBIBHB", 0x5E, sa, 0, 0, 4096, 0),
              read_len=4096)
    return r.data if r is not None and r.status == GOOD else None


def keys(s):
    d = prin(s, 0)
    if d is None or len(d) < 8:
        return None
    n = struct.unpack(">I", d[4:8])[0]
    return sorted(struct.unpack(">Q", d[8 + i:16 + i])[0]
                  for i in range(0, n, 8))


def full_status(s):
    """[(key, all_tg_pt, holder, rel_tgt_id, tid_format, tid_name)]"""
    d = prin(s, 3)
    if d is None or len(d) < 8:
        return None
    end = 8 + struct.unpack(">I", d[4:8])[0]
    off, out = 8, []
    while off + 24 <= end:
        key = struct.unpack(">Q", d[off:off + 8])[0]
        flags = d[off + 12]
        rel = struct.unpack(">H", d[off + 18:off + 20])[0]
        tl = struct.unpack(">I", d[off + 20:off + 24])[0]
        tid = d[off + 24:off + 24 + tl]
        name = tid[4:].split(b"\0")[0].decode(errors="replace")
        out.append((key, bool(flags & 2), bool(flags & 1), rel,
                    tid[0] >> 6, name))
        off += 24 + tl
    return sorted(out)


def rw(s, write):
    if write:
        cdb = struct.pack(">BBIBHB", 0x2A, 0, 0, 0, 1, 0)
        return status(s.cmd(0, cdb, data=bytes(512)))
    cdb = struct.pack(">BBIBHB", 0x28, 0, 0, 0, 1, 0)
    return status(s.cmd(0, cdb, read_len=512))


def tur(s):
    return status(s.cmd(0, bytes(6)))


def login(host, port_no, target, isid):
    s = Session(host, port_no, target, INI, isid=isid)
    s.clear_ua(0)
    return s


def main_phase(a, b, c, d, rtp1, rtp2):
    # SPC-2 RESERVE(6): held by one nexus, a conflict for the others,
    # the same initiator port to another target port included
    expect("spc2-reserve-A", status(a.cmd(0, bytes([0x16, 0, 0, 0, 0, 0]))),
           "good")
    expect("spc2-A-reads", rw(a, False), "good")
    expect("spc2-B-conflict", rw(b, False), "conflict")
    expect("spc2-C-conflict", rw(c, False), "conflict")
    expect("spc2-release-A", status(a.cmd(0, bytes([0x17, 0, 0, 0, 0, 0]))),
           "good")
    expect("spc2-B-after-release", rw(b, False), "good")

    # a registration through A is A's only
    expect("reg-A", prout(a, REGISTER, sark=0xA1), "good")
    expect("keys-one", keys(b), [0xA1])
    expect("B-unregistered", prout(b, RESERVE, rk=0xA1, typ=WE), "conflict")
    expect("C-unregistered", prout(c, RESERVE, rk=0xA1, typ=WE), "conflict")
    expect("reg-B", prout(b, REGISTER, sark=0xB1), "good")
    expect("keys-two", keys(c), [0xA1, 0xB1])

    # ALL_TG_PT: A's initiator port through every target port (C), not B
    expect("unreg-A", prout(a, REGISTER, rk=0xA1), "good")
    expect("reg-A-all-tg-pt", prout(a, REGISTER, sark=0xA2, all_tg_pt=True),
           "good")
    expect("atp-C-reserves", prout(c, RESERVE, rk=0xA2, typ=WE), "good")
    expect("atp-A-holds-too", rw(a, True), "good")
    expect("atp-B-conflict", rw(b, True), "conflict")

    # READ FULL STATUS: both, TransportIDs of format 01b with the ISID
    expect("full-status", full_status(b),
           [(0xA2, True, True, 0, 1, port(1)),
            (0xB1, False, False, rtp1, 1, port(2))])

    # PREEMPT from B: A's registration goes, A and C (its nexuses) get
    # REGISTRATIONS PREEMPTED, each its own; B none
    expect("preempt-B", prout(b, PREEMPT, rk=0xB1, sark=0xA2, typ=WE), "good")
    expect("keys-after-preempt", keys(b), [0xB1])
    expect("ua-A", tur(a), "check (6, 42, 5)")
    expect("ua-A-taken", tur(a), "good")
    expect("ua-C-kept", tur(c), "check (6, 42, 5)")
    expect("ua-B-none", tur(b), "good")
    expect("B-holds", rw(b, True), "good")
    expect("A-write-conflict", rw(a, True), "conflict")
    expect("release-B", prout(b, RELEASE, rk=0xB1, typ=WE), "good")

    # SPEC_I_PT with a TransportID of format 01b: that port (D, ISID 3)
    # is registered through T1, A's other nexus (C) is not
    expect("spec-i-pt-A", prout_spec_i_pt(a, 0xA4, [port(3)]), "good")
    expect("spec-i-pt-keys", keys(a), [0xA4, 0xA4, 0xB1])
    expect("spec-i-pt-D-reserves", prout(d, RESERVE, rk=0xA4, typ=WE),
           "good")
    expect("spec-i-pt-C-unregistered", prout(c, RESERVE, rk=0xA4, typ=WE),
           "conflict")
    expect("spec-i-pt-D-release", prout(d, RELEASE, rk=0xA4, typ=WE), "good")
    expect("unreg-D", prout(d, REGISTER, rk=0xA4), "good")
    expect("unreg-A-again", prout(a, REGISTER, rk=0xA4), "good")

    # REGISTER AND MOVE to A's initiator port through T2 (C's nexus)
    expect("move-B-reserves", prout(b, RESERVE, rk=0xB1, typ=WE), "good")
    expect("move-B-to-C", prout_move(b, 0xB1, 0xC1, WE, rtp2, port(1)),
           "good")
    expect("move-C-writes", rw(c, True), "good")
    expect("move-A-conflict", rw(a, True), "conflict")
    expect("move-B-conflict", rw(b, True), "conflict")
    expect("move-keys", keys(b), [0xB1, 0xC1])
    expect("move-C-release", prout(c, RELEASE, rk=0xC1, typ=WE), "good")
    expect("unreg-C", prout(c, REGISTER, rk=0xC1), "good")

    # APTPL state for the reload: A (T1 only) and B, B holding WE_RO
    expect("aptpl-reg-B", prout(b, REGISTER_IGNORE, sark=0xB1, aptpl=True),
           "good")
    expect("aptpl-reg-A", prout(a, REGISTER, sark=0xA3, aptpl=True), "good")
    expect("aptpl-reserve-B", prout(b, RESERVE, rk=0xB1, typ=WE_RO), "good")


def reload_phase(a, b, c, d, rtp1, rtp2):
    expect("keys", keys(a), [0xA3, 0xB1])
    expect("full-status", full_status(c),
           [(0xA3, False, False, rtp1, 1, port(1)),
            (0xB1, False, True, rtp1, 1, port(2))])
    # A is registered, C (A's port through T2) and a new ISID are not
    expect("A-registered", prout(a, REGISTER, rk=0xA3, sark=0xA3,
                                        aptpl=True), "good")
    expect("C-unregistered", rw(c, True), "conflict")
    expect("A-writes", rw(a, True), "good")
    expect("B-writes", rw(b, True), "good")
    expect("clear", prout(b, CLEAR, rk=0xB1), "good")
    expect("C-writes", rw(c, True), "good")


def run(argv):
    host, port_no = argv[1].rsplit(":", 1)
    t1, t2, rtp1, rtp2 = argv[2], argv[3], int(argv[4]), int(argv[5])
    a = login(host, int(port_no), t1, 1)
    b = login(host, int(port_no), t1, 2)
    c = login(host, int(port_no), t2, 1)
    d = login(host, int(port_no), t1, 3)
    try:
        if argv[6] == "main":
            main_phase(a, b, c, d, rtp1, rtp2)
        else:
            reload_phase(a, b, c, d, rtp1, rtp2)
    finally:
        for s in (a, b, c, d):
            s.close()


if __name__ == "__main__":
    try:
        run(sys.argv)
    except Exception as e:      # a dead session ends the run, reported
        result("no-exception", False, repr(e))
    print("RESULT %d failed" % fails, flush=True)
    sys.exit(1 if fails else 0)
