#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Task management checks over iSCSI with two initiators (issue 6).

Usage: tmf_checks.py HOST:PORT TARGET FAST_LUN SLOW_LUN DELAY_S [CDROM_LUN]

FAST_LUN answers at once; SLOW_LUN is backed by dm-delay (every I/O takes
DELAY_S seconds), so that commands stay in flight while the other
session acts.  CDROM_LUN, a vcdrom with a medium, checks that LOGICAL
UNIT RESET and TARGET RESET clear PREVENT MEDIUM REMOVAL.  Prints one
PASS/FAIL line per check; exit status 1 if any check failed."""

import struct
import sys
import time

from iscsi_raw import (Session, TMF, ATTR_SIMPLE, ATTR_ORDERED, ATTR_HOQ)

INI_A = "iqn.2024-01.org.scst.test:tmf-a"
INI_B = "iqn.2024-01.org.scst.test:tmf-b"
UA, ILLEGAL = 0x6, 0x5
GOOD, CHECK_CONDITION, TASK_ABORTED = 0x00, 0x02, 0x40
RSP_COMPLETE, RSP_NO_LUN, RSP_NOT_SUPP, RSP_SUCCEEDED = 0, 2, 5, 7

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


def read10(lba, blocks=1):
    return struct.pack(">BBIBHB", 0x28, 0, lba, 0, blocks, 0)


def mode_sense_control(s, lun):
    r = s.cmd(lun, bytes([0x5A, 0x08, 0x0A, 0, 0, 0, 0, 0, 0xFC, 0]),
              read_len=0xFC)
    if r is None or r.status != GOOD or len(r.data) < 20:
        return None
    return bytearray(r.data[8:20])


def mode_select_control(s, lun, tas=None, qerr=None):
    page = mode_sense_control(s, lun)
    if page is None:
        return None
    page[0] &= 0x3F
    if tas is not None:
        page[5] = (page[5] & ~0x40) | (0x40 if tas else 0)
    if qerr is not None:
        page[3] = (page[3] & ~0x06) | (qerr << 1)
    data = bytes(8) + bytes(page)
    cdb = bytes([0x55, 0x10, 0, 0, 0, 0, 0]) + struct.pack(">H", len(data)) \
        + b"\0"
    return s.cmd(lun, cdb, data=data)


def no_reply(s, itt, secs):
    """True if @itt got no status within @secs seconds."""
    return s.wait_cmd(itt, timeout=secs) is None


def check_prevent(s, lun):
    """A reset allows medium removal again (SPC-4 PREVENT ALLOW MEDIUM
    REMOVAL, SAM-5 6.3.3)."""
    prevent = bytes([0x1E, 0, 0, 0, 0x01, 0])
    allow = bytes([0x1E, 0, 0, 0, 0x00, 0])
    eject = bytes([0x1B, 0, 0, 0, 0x02, 0])
    load = bytes([0x1B, 0, 0, 0, 0x03, 0])
    s.clear_ua(lun)
    for fn in ("LUN_RESET", "TARGET_WARM_RESET"):
        r = s.cmd(lun, prevent)
        expect("prevent-%s" % fn, r and r.status, GOOD)
        r = s.cmd(lun, eject)
        expect("prevent-%s-eject-refused" % fn, r and r.key_asc_ascq(),
               (ILLEGAL, 0x53, 0x02))
        expect("prevent-%s-rsp" % fn, s.tmf_fn(TMF[fn], lun), RSP_COMPLETE)
        s.clear_ua(lun)
        r = s.cmd(lun, eject)
        expect("prevent-%s-cleared" % fn, r and r.status, GOOD)
        s.cmd(lun, load)
        s.clear_ua(lun)
    s.cmd(lun, allow)


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    target, fast, slow = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    delay = float(sys.argv[5])
    cdrom = int(sys.argv[6]) if len(sys.argv) > 6 else None
    port = int(port)

    a = Session(host, port, target, INI_A, isid=1)
    b = Session(host, port, target, INI_B, isid=2)

    # --- function codes, QUERY ASYNCHRONOUS EVENT, CLEAR ACA ---
    expect("qae-ua-pending", a.tmf_fn(TMF["QUERY_ASYNC_EVENT"], fast),
           RSP_SUCCEEDED)
    ua = a.clear_ua(fast)
    expect("qae-ua-was-power-on", ua[:1], [(UA, 0x29, 0x00)])
    expect("qae-nothing-pending", a.tmf_fn(TMF["QUERY_ASYNC_EVENT"], fast),
           RSP_COMPLETE)
    expect("qae-no-lun", a.tmf_fn(TMF["QUERY_ASYNC_EVENT"], 200), RSP_NO_LUN)
    expect("clear-aca", a.tmf_fn(TMF["CLEAR_ACA"], fast), RSP_COMPLETE)
    expect("clear-aca-no-lun", a.tmf_fn(TMF["CLEAR_ACA"], 200), RSP_NO_LUN)
    expect("unknown-function-13", a.tmf_fn(13, fast), RSP_NOT_SUPP)
    expect("unknown-function-0", a.tmf_fn(0, fast), RSP_NOT_SUPP)
    expect("query-task-set-empty", a.tmf_fn(TMF["QUERY_TASK_SET"], fast),
           RSP_COMPLETE)
    expect("query-task-absent", a.tmf_fn(TMF["QUERY_TASK"], fast, 0x7777),
           RSP_COMPLETE)
    a.clear_ua(slow)
    b.clear_ua(fast)
    b.clear_ua(slow)

    # QUERY TASK / QUERY TASK SET with a command in flight
    itt = a.send_cmd(slow, read10(8), read_len=512)
    time.sleep(0.5)
    expect("query-task-set-busy", a.tmf_fn(TMF["QUERY_TASK_SET"], slow),
           RSP_SUCCEEDED)
    expect("query-task-found", a.tmf_fn(TMF["QUERY_TASK"], slow, itt),
           RSP_SUCCEEDED)
    expect("query-task-set-other-nexus",
           b.tmf_fn(TMF["QUERY_TASK_SET"], slow), RSP_COMPLETE)
    r = a.wait_cmd(itt, delay + 30)
    expect("query-left-task-alone", r and r.status, GOOD)

    # --- MODE SELECT of TAS and QERR ---
    r = mode_select_control(a, slow, tas=False, qerr=2)
    expect("qerr-10b-refused", r and (r.status, r.key_asc_ascq()),
           (CHECK_CONDITION, (ILLEGAL, 0x26, 0x00)))
    r = mode_select_control(a, slow, tas=True, qerr=0)
    expect("mode-select-tas1", r and r.status, GOOD)
    page = mode_sense_control(a, slow)
    expect("mode-sense-tas1", page and (page[5] & 0x40, page[3] & 0x06),
           (0x40, 0))
    expect("mode-params-changed-b", b.clear_ua(slow)[:1],
           [(UA, 0x2A, 0x01)])

    # --- TAS=1: the other nexus's command ends with TASK ABORTED ---
    for fn in ("CLEAR_TASK_SET", "LUN_RESET"):
        itt = b.send_cmd(slow, read10(16), read_len=512)
        time.sleep(0.5)
        expect("tas1-%s-rsp" % fn, a.tmf_fn(TMF[fn], slow), RSP_COMPLETE)
        r = b.wait_cmd(itt, delay + 30)
        expect("tas1-%s-task-aborted" % fn, r and r.status, TASK_ABORTED)
        ua = b.clear_ua(slow)
        expect("tas1-%s-ua" % fn, ua,
               [] if fn == "CLEAR_TASK_SET" else [(UA, 0x29, 0x03)])
        a.clear_ua(slow)

    # ABORT TASK SET touches only the requester's nexus
    itt = b.send_cmd(slow, read10(24), read_len=512)
    time.sleep(0.5)
    expect("abort-task-set-rsp", a.tmf_fn(TMF["ABORT_TASK_SET"], slow),
           RSP_COMPLETE)
    r = b.wait_cmd(itt, delay + 30)
    expect("abort-task-set-other-nexus-untouched", r and r.status, GOOD)

    # --- TAS=0: silent abort, COMMANDS CLEARED BY ANOTHER INITIATOR ---
    r = mode_select_control(a, slow, tas=False)
    expect("mode-select-tas0", r and r.status, GOOD)
    b.clear_ua(slow)
    for fn in ("CLEAR_TASK_SET", "LUN_RESET"):
        itt = b.send_cmd(slow, read10(32), read_len=512)
        time.sleep(0.5)
        expect("tas0-%s-rsp" % fn, a.tmf_fn(TMF[fn], slow), RSP_COMPLETE)
        expect("tas0-%s-silent" % fn, no_reply(b, itt, delay + 2), True)
        ua = b.clear_ua(slow)
        expect("tas0-%s-ua" % fn, ua[:1],
               [(UA, 0x2F, 0x00)] if fn == "CLEAR_TASK_SET" else
               [(UA, 0x29, 0x03)])
        a.clear_ua(slow)
        b.forget(itt)

    # --- QERR ---
    r = mode_select_control(a, slow, qerr=1)
    expect("mode-select-qerr1", r and r.status, GOOD)
    b.clear_ua(slow)
    itt = b.send_cmd(slow, read10(40), read_len=512)
    time.sleep(0.5)
    r = a.cmd(slow, read10(0xFFFFFFF0), read_len=512)   # out of range
    expect("qerr1-check-condition", r and r.key_asc_ascq(),
           (ILLEGAL, 0x21, 0x00))
    expect("qerr1-other-nexus-silent", no_reply(b, itt, delay + 2), True)
    b.forget(itt)
    expect("qerr1-ua-cleared-by-device-server", b.clear_ua(slow)[:1],
           [(UA, 0x2F, 0x02)])
    expect("qerr1-no-ua-requester", a.clear_ua(slow), [])

    r = mode_select_control(a, slow, tas=True, qerr=1)
    expect("mode-select-qerr1-tas1", r and r.status, GOOD)
    b.clear_ua(slow)
    itt = b.send_cmd(slow, read10(48), read_len=512)
    time.sleep(0.5)
    a.cmd(slow, read10(0xFFFFFFF0), read_len=512)
    r = b.wait_cmd(itt, delay + 30)
    expect("qerr1-tas1-task-aborted", r and r.status, TASK_ABORTED)
    expect("qerr1-tas1-no-ua", b.clear_ua(slow), [])

    r = mode_select_control(a, slow, tas=False, qerr=3)
    expect("mode-select-qerr3", r and r.status, GOOD)
    b.clear_ua(slow)
    itt_b = b.send_cmd(slow, read10(56), read_len=512)
    itt_a = a.send_cmd(slow, read10(64), read_len=512)
    time.sleep(0.5)
    r = a.cmd(slow, read10(0xFFFFFFF0), read_len=512)
    expect("qerr3-check-condition", r and r.status, CHECK_CONDITION)
    r = b.wait_cmd(itt_b, delay + 30)
    expect("qerr3-other-nexus-untouched", r and r.status, GOOD)
    expect("qerr3-own-command-aborted", no_reply(a, itt_a, 2), True)
    a.forget(itt_a)
    r = mode_select_control(a, slow, tas=False, qerr=0)
    expect("mode-select-defaults", r and r.status, GOOD)
    b.clear_ua(slow)

    # --- task attributes (SAM-5 8.6) ---
    # S1 SIMPLE, O ORDERED, S2 SIMPLE, H HEAD OF QUEUE, all to the slow
    # LUN: O starts after S1 ended, S2 after O ended; H starts at once.
    t0 = time.monotonic()
    s1 = a.send_cmd(slow, read10(72), ATTR_SIMPLE, read_len=512)
    o = a.send_cmd(slow, read10(80), ATTR_ORDERED, read_len=512)
    s2 = a.send_cmd(slow, read10(88), ATTR_SIMPLE, read_len=512)
    h = a.send_cmd(slow, read10(96), ATTR_HOQ, read_len=512)
    rs = [a.wait_cmd(x, 4 * delay + 30) for x in (s1, o, s2, h)]
    ok = all(r is not None and r.status == GOOD for r in rs)
    expect("attr-all-good", ok, True)
    if ok:
        t = [r.t - t0 for r in rs]
        print("# completion times: S1 %.2f O %.2f S2 %.2f H %.2f" % tuple(t))
        result("attr-ordered-waits-for-simple", t[1] >= t[0] + 0.8 * delay,
               "O ended %.2f s after S1" % (t[1] - t[0]))
        result("attr-simple-waits-for-ordered", t[2] >= t[1] + 0.8 * delay,
               "S2 ended %.2f s after O" % (t[2] - t[1]))
        result("attr-head-of-queue-first", t[3] < t[1],
               "H %.2f, O %.2f" % (t[3], t[1]))

    if cdrom is not None:
        check_prevent(a, cdrom)

    a.close()
    b.close()
    print("RESULT tmf_checks: %d failed" % fails)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
