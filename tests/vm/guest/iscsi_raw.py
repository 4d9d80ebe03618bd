#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A minimal iSCSI initiator for guest tests: what Linux and libiscsi's
tools cannot send -- any task management function code (RFC 7143/7144),
task attributes, commands left in flight on one session while another
session acts.  No digests, no authentication, one connection per session,
ErrorRecoveryLevel 0.  Imported by tmf_checks.py.

Run as a script it is the abusive client of iscsi-abuse.sh: floods of
commands without data, of NOP-Outs and unknown opcodes at a receiver
that never reads, many connections, trickled and stalled logins, idle
discovery sessions (see abuse_main()).  Each prints one summary line."""

import argparse
import select
import socket
import struct
import sys
import threading
import time

OP_NOP_OUT, OP_CMD, OP_TMF, OP_LOGIN = 0x00, 0x01, 0x02, 0x03
OP_NOP_IN, OP_RSP, OP_TMF_RSP, OP_LOGIN_RSP = 0x20, 0x21, 0x22, 0x23
OP_DATA_IN, OP_R2T, OP_ASYNC, OP_REJECT = 0x25, 0x31, 0x32, 0x3F

ATTR_UNTAGGED, ATTR_SIMPLE, ATTR_ORDERED, ATTR_HOQ, ATTR_ACA = 0, 1, 2, 3, 4

TMF = {
    "ABORT_TASK": 1, "ABORT_TASK_SET": 2, "CLEAR_ACA": 3,
    "CLEAR_TASK_SET": 4, "LUN_RESET": 5, "TARGET_WARM_RESET": 6,
    "TARGET_COLD_RESET": 7, "TASK_REASSIGN": 8, "QUERY_TASK": 9,
    "QUERY_TASK_SET": 10, "I_T_NEXUS_RESET": 11, "QUERY_ASYNC_EVENT": 12,
}


def lun_field(lun):
    return struct.pack(">HHI", lun & 0x3FFF, 0, 0) if lun < 256 else \
        struct.pack(">HHI", 0x4000 | lun, 0, 0)


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


class Reply:
    """A finished command: status, sense key/asc/ascq, data, time."""

    def __init__(self, itt):
        self.itt = itt
        self.status = None
        self.data = b""
        self.sense = b""
        self.t = None

    def key_asc_ascq(self):
        s = self.sense
        if len(s) < 14:
            return None
        if (s[0] & 0x7F) in (0x72, 0x73):
            return (s[1] & 0xF, s[2], s[3])
        return (s[2] & 0xF, s[12], s[13])


class Session:
    def __init__(self, host, port, target, initiator, isid=1):
        self.sock = socket.create_connection((host, port), timeout=30)
        self.itt = 0x100
        self.cmdsn = 1
        self.expstatsn = 0
        self.pending = {}      # itt -> Reply (commands)
        self.done = {}         # itt -> Reply
        self.tmf = {}          # itt -> response code
        self.order = []        # itts in the order their status came
        self.isid = struct.pack(">BHBH", 0x80, 0x1234, 0, isid)
        self.send_lock = threading.Lock()
        self.cond = threading.Condition()
        self.error = None
        self._login(target, initiator)
        # after login a reader thread takes every PDU (and answers the
        # target's NOP-In pings while the test looks at another session)
        self.sock.settimeout(None)
        self.reader = threading.Thread(target=self._reader, daemon=True)
        self.reader.start()

    # --- PDUs ---

    def _send(self, bhs, data=b""):
        bhs = bytearray(bhs)
        assert len(bhs) == 48
        bhs[5:8] = struct.pack(">I", len(data))[1:]
        with self.send_lock:
            self.sock.sendall(bytes(bhs) + pad4(data))

    def _recv_exact(self, n):
        b = b""
        while len(b) < n:
            c = self.sock.recv(n - len(b))
            if not c:
                raise EOFError("connection closed by the target")
            b += c
        return b

    def _recv(self):
        bhs = self._recv_exact(48)
        ahs = bhs[4] * 4
        dlen = struct.unpack(">I", b"\0" + bhs[5:8])[0]
        if ahs:
            self._recv_exact(ahs)
        data = self._recv_exact(dlen + (-dlen % 4))[:dlen]
        return bhs, data

    def _next_itt(self):
        self.itt += 1
        return self.itt

    def _login_pdu(self, csg, nsg, keys, itt):
        bhs = bytearray(48)
        bhs[0] = 0x40 | OP_LOGIN
        bhs[1] = 0x80 | (csg << 2) | nsg
        bhs[8:14] = self.isid
        struct.pack_into(">IHH", bhs, 16, itt, 0, 0)
        struct.pack_into(">II", bhs, 24, self.cmdsn, self.expstatsn)
        text = b"".join(k.encode() + b"=" + v.encode() + b"\0"
                        for k, v in keys)
        self._send(bhs, text)
        rbhs, data = self._recv()
        if rbhs[0] & 0x3F != OP_LOGIN_RSP:
            raise RuntimeError("login: unexpected opcode %#x" % rbhs[0])
        if rbhs[36] or rbhs[37]:
            raise RuntimeError("login refused: class %d detail %d" %
                               (rbhs[36], rbhs[37]))
        self.expstatsn = struct.unpack(">I", rbhs[24:28])[0] + 1
        return rbhs, data

    def _login(self, target, initiator):
        itt = self._next_itt()
        self._login_pdu(0, 1, [("InitiatorName", initiator),
                               ("TargetName", target),
                               ("SessionType", "Normal"),
                               ("AuthMethod", "None")], itt)
        self._login_pdu(1, 3, [("HeaderDigest", "None"),
                               ("DataDigest", "None"),
                               ("ErrorRecoveryLevel", "0"),
                               ("InitialR2T", "Yes"),
                               ("ImmediateData", "Yes"),
                               ("MaxRecvDataSegmentLength", "262144"),
                               ("MaxBurstLength", "262144"),
                               ("FirstBurstLength", "65536"),
                               ("MaxConnections", "1")], itt)

    # --- commands ---

    def send_cmd(self, lun, cdb, attr=ATTR_SIMPLE, read_len=0, data=b""):
        """Send a command (WRITE data only as immediate data); returns
        its ITT."""
        itt = self._next_itt()
        bhs = bytearray(48)
        bhs[0] = OP_CMD
        bhs[1] = 0x80 | (0x40 if read_len else 0) | \
            (0x20 if data else 0) | attr
        bhs[8:16] = lun_field(lun)
        struct.pack_into(">III", bhs, 16, itt, read_len or len(data),
                         self.cmdsn)
        struct.pack_into(">I", bhs, 28, self.expstatsn)
        bhs[32:32 + len(cdb)] = cdb
        self.cmdsn += 1
        with self.cond:
            self.pending[itt] = Reply(itt)
        self._send(bhs, data)
        return itt

    def send_tmf(self, fn, lun=0, rtt=0xFFFFFFFF, refcmdsn=0):
        itt = self._next_itt()
        bhs = bytearray(48)
        bhs[0] = 0x40 | OP_TMF
        bhs[1] = 0x80 | fn
        bhs[8:16] = lun_field(lun)
        struct.pack_into(">IIII", bhs, 16, itt, rtt, self.cmdsn,
                         self.expstatsn)
        struct.pack_into(">I", bhs, 32, refcmdsn)
        with self.cond:
            self.tmf[itt] = None
        self._send(bhs)
        return itt

    def _handle(self, bhs, data):
        op = bhs[0] & 0x3F
        itt = struct.unpack(">I", bhs[16:20])[0]
        if op in (OP_RSP, OP_TMF_RSP, OP_NOP_IN) or \
                (op == OP_DATA_IN and bhs[1] & 0x01):
            self.expstatsn = struct.unpack(">I", bhs[24:28])[0] + 1
        if op == OP_DATA_IN:
            r = self.pending.get(itt)
            if r is not None:
                r.data += data
                if bhs[1] & 0x01:
                    r.status = bhs[3]
                    self._finish(itt)
        elif op == OP_RSP:
            r = self.pending.get(itt)
            if r is not None:
                r.status = bhs[3]
                if len(data) >= 2:
                    n = struct.unpack(">H", data[:2])[0]
                    r.sense = data[2:2 + n]
                self._finish(itt)
        elif op == OP_TMF_RSP:
            self.tmf[itt] = bhs[2]
        elif op == OP_NOP_IN:
            ttt = struct.unpack(">I", bhs[20:24])[0]
            if ttt != 0xFFFFFFFF:
                out = bytearray(48)
                out[0] = 0x40 | OP_NOP_OUT
                out[1] = 0x80
                out[8:16] = bhs[8:16]
                struct.pack_into(">IIII", out, 16, 0xFFFFFFFF, ttt,
                                 self.cmdsn, self.expstatsn)
                self._send(out)
        elif op == OP_REJECT:
            raise RuntimeError("target sent Reject, reason %#x" % bhs[2])

    def _finish(self, itt):
        r = self.pending.pop(itt)
        r.t = time.monotonic()
        self.done[itt] = r
        self.order.append(itt)

    def _reader(self):
        try:
            while True:
                bhs, data = self._recv()
                with self.cond:
                    self._handle(bhs, data)
                    self.cond.notify_all()
        except (OSError, EOFError, RuntimeError) as e:
            with self.cond:
                self.error = e
                self.cond.notify_all()

    def _wait(self, pred, timeout):
        with self.cond:
            self.cond.wait_for(lambda: pred() or self.error is not None,
                               timeout)
            return pred()

    def wait_cmd(self, itt, timeout=30):
        self._wait(lambda: itt in self.done, timeout)
        with self.cond:
            return self.done.get(itt)

    def wait_tmf(self, itt, timeout=60):
        self._wait(lambda: self.tmf.get(itt) is not None, timeout)
        with self.cond:
            return self.tmf.get(itt)

    def forget(self, itt):
        """Stop expecting a status for @itt (a command aborted silently)."""
        with self.cond:
            self.pending.pop(itt, None)

    def cmd(self, lun, cdb, **kw):
        return self.wait_cmd(self.send_cmd(lun, cdb, **kw))

    def tmf_fn(self, fn, lun=0, rtt=0xFFFFFFFF):
        return self.wait_tmf(self.send_tmf(fn, lun, rtt))

    def clear_ua(self, lun, tries=10):
        """TEST UNIT READY until GOOD; returns the UAs it consumed."""
        seen = []
        for _ in range(tries):
            r = self.cmd(lun, bytes(6))
            if r is not None and r.status == 0:
                return seen
            seen.append(r.key_asc_ascq() if r else None)
        return seen

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


# --- abusive clients (iscsi-abuse.sh) ---

def _recv_pdu(sock):
    def exact(n):
        b = b""
        while len(b) < n:
            c = sock.recv(n - len(b))
            if not c:
                raise EOFError("connection closed by the target")
            b += c
        return b
    bhs = exact(48)
    dlen = struct.unpack(">I", b"\0" + bhs[5:8])[0]
    if bhs[4]:
        exact(bhs[4] * 4)
    return bhs, exact(dlen + (-dlen % 4))[:dlen]


def _login_req(isid, csg, nsg, transit, keys, itt, cmdsn, expstatsn):
    bhs = bytearray(48)
    bhs[0] = 0x40 | OP_LOGIN
    bhs[1] = (0x80 if transit else 0) | (csg << 2) | nsg
    text = b"".join(k.encode() + b"=" + v.encode() + b"\0" for k, v in keys)
    bhs[5:8] = struct.pack(">I", len(text))[1:]
    bhs[8:14] = isid
    struct.pack_into(">IHH", bhs, 16, itt, 0, 0)
    struct.pack_into(">II", bhs, 24, cmdsn, expstatsn)
    return bytes(bhs) + pad4(text)


class Raw:
    """A connection without a reader thread: logs in, then sends what
    the abuse wants.  Discovery session if target is None."""

    def __init__(self, host, port, initiator, target=None, rcvbuf=0,
                 isid=7, login=True):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(30)
        self.sock.connect((host, port))
        self.isid = struct.pack(">BHBH", 0x80, 0x4242, 0, isid)
        self.cmdsn = 1
        self.expstatsn = 0
        self.itt = 0x1000
        self.initiator = initiator
        self.target = target
        if login:
            self.login_first()
            self.login_op()

    def first_keys(self):
        keys = [("InitiatorName", self.initiator)]
        if self.target is None:
            keys.append(("SessionType", "Discovery"))
        else:
            keys += [("TargetName", self.target), ("SessionType", "Normal")]
        return keys + [("AuthMethod", "None")]

    def _login_step(self, csg, nsg, keys):
        self.sock.sendall(_login_req(self.isid, csg, nsg, True, keys,
                                     self.itt, self.cmdsn, self.expstatsn))
        bhs, _ = _recv_pdu(self.sock)
        if bhs[0] & 0x3F != OP_LOGIN_RSP or bhs[36] or bhs[37]:
            raise RuntimeError("login refused: %02x%02x" % (bhs[36], bhs[37]))
        self.expstatsn = struct.unpack(">I", bhs[24:28])[0] + 1
        return bhs

    def login_first(self):
        return self._login_step(0, 1, self.first_keys())

    def login_op(self):
        keys = [("HeaderDigest", "None"), ("DataDigest", "None"),
                ("ErrorRecoveryLevel", "0"), ("InitialR2T", "Yes"),
                ("ImmediateData", "Yes"), ("MaxBurstLength", "262144"),
                ("FirstBurstLength", "65536"),
                ("MaxRecvDataSegmentLength", "262144")]
        if self.target is not None:
            keys.append(("MaxConnections", "1"))
        bhs = self._login_step(1, 3, keys)
        self.maxcmdsn = struct.unpack(">I", bhs[32:36])[0]

    def next_itt(self):
        self.itt += 1
        return self.itt

    def cmd_pdu(self, cdb, edtl, read, immediate=False):
        bhs = bytearray(48)
        bhs[0] = OP_CMD | (0x40 if immediate else 0)
        bhs[1] = 0x80 | (0x40 if read else 0x20) | ATTR_SIMPLE
        struct.pack_into(">IIII", bhs, 16, self.next_itt(), edtl,
                         self.cmdsn, self.expstatsn)
        bhs[32:32 + len(cdb)] = cdb
        if not immediate:
            self.cmdsn += 1
        return bytes(bhs)

    def nop_pdu(self):
        bhs = bytearray(48)
        bhs[0] = 0x40 | OP_NOP_OUT
        bhs[1] = 0x80
        struct.pack_into(">IIII", bhs, 16, self.next_itt(), 0xFFFFFFFF,
                         self.cmdsn, self.expstatsn)
        return bytes(bhs)

    def unknown_pdu(self):
        bhs = bytearray(48)
        bhs[0] = 0x1C
        bhs[1] = 0x80
        struct.pack_into(">II", bhs, 16, self.next_itt(), 0xFFFFFFFF)
        return bytes(bhs)

    def send_until_blocked(self, pdus, timeout=3, batch=256):
        """Send PDUs, @batch at a time (a flood, not a trickle), until
        the target stops reading; returns how many went out."""
        self.sock.settimeout(timeout)
        n, buf = 0, []
        try:
            for p in pdus:
                buf.append(p)
                if len(buf) == batch:
                    self.sock.sendall(b"".join(buf))
                    n += len(buf)
                    buf = []
            if buf:
                self.sock.sendall(b"".join(buf))
                n += len(buf)
        except (socket.timeout, OSError):
            pass
        return n

    def reset_within(self, secs):
        """Seconds until the target dropped the connection, without
        reading anything (a reset: it closes with our data unread), or
        None."""
        p = select.poll()
        p.register(self.sock, select.POLLERR | select.POLLHUP |
                   select.POLLRDHUP)
        t0 = time.monotonic()
        return time.monotonic() - t0 if p.poll(secs * 1000) else None

    def closed_within(self, secs):
        """Seconds until the target closed the connection (reading and
        dropping whatever it sends), or None."""
        t0 = time.monotonic()
        self.sock.settimeout(1)
        while time.monotonic() - t0 < secs:
            try:
                if not self.sock.recv(65536):
                    return time.monotonic() - t0
            except socket.timeout:
                continue
            except OSError:
                return time.monotonic() - t0
        return None


def _cdb10(op, lba, blocks):
    return struct.pack(">BBIBHB", op, 0, lba, 0, blocks, 0)


def abuse_cmd_flood(a):
    """Commands of 8 MiB without their data (WRITE), or READs whose
    responses are never read (small SO_RCVBUF, no recv)."""
    r = Raw(a.host, a.port, a.initiator, a.target,
            rcvbuf=4096 if a.read else 0)
    edtl = a.size
    blocks = edtl // 512
    pdus = []
    # --immediate N: N immediate commands first and N more at the end
    n_all = a.count + 2 * a.immediate
    for i in range(n_all):
        op = 0x28 if a.read else 0x2A
        imm = i < a.immediate or i >= n_all - a.immediate
        pdus.append(r.cmd_pdu(_cdb10(op, (i * blocks) % (1 << 20), blocks),
                              edtl, a.read, immediate=imm))
    n = r.send_until_blocked(pdus)
    if a.read:
        closed = r.reset_within(a.hold)
    else:
        time.sleep(a.hold)
    print("cmd-flood: sent %d of %d %s PDUs (MaxCmdSN at login %d)%s" %
          (n, n_all, "READ" if a.read else "WRITE", r.maxcmdsn,
           "" if not a.read else "; dropped by the target: %s" %
           ("after %.0f s" % closed if closed else "no")))
    r.sock.close()
    return 0 if not a.read or closed else 1


def abuse_pdu_flood(a):
    """NOP-Outs and unknown opcodes at a receiver that never reads."""
    r = Raw(a.host, a.port, a.initiator, a.target, rcvbuf=4096)
    pdus = (r.nop_pdu() if i % 2 else r.unknown_pdu()
            for i in range(a.count))
    n = r.send_until_blocked(pdus)
    closed = r.reset_within(a.hold)
    print("pdu-flood: sent %d of %d PDUs; dropped by the target: %s" %
          (n, a.count, "after %.0f s" % closed if closed else "no"))
    r.sock.close()
    return 0 if closed else 1


def abuse_conns(a):
    """Many connections that say nothing, plus logins trickled a byte
    a second or stalled after their first step."""
    socks, t0 = [], time.monotonic()
    for _ in range(a.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect((a.host, a.port))
            socks.append(s)
        except OSError:
            s.close()
    time.sleep(2)
    refused = 0
    for s in socks:
        s.settimeout(0.05)
        try:
            if not s.recv(1):
                refused += 1
        except socket.timeout:
            pass
        except OSError:
            refused += 1
    print("conns: %d connected, %d closed at once by the target" %
          (len(socks), refused))
    for s in socks:
        s.close()
    return 0


def abuse_trickle(a):
    """A login PDU a byte a second: the login deadline must end it."""
    r = Raw(a.host, a.port, a.initiator, a.target, login=False)
    pdu = _login_req(r.isid, 0, 1, True, r.first_keys(), 1, 1, 0)
    t0 = time.monotonic()
    r.sock.settimeout(1)
    for b in pdu:
        try:
            r.sock.send(bytes([b]))
            if r.sock.recv(1, socket.MSG_PEEK) == b"":
                break
        except socket.timeout:
            pass
        except OSError:
            break
        if time.monotonic() - t0 > a.hold:
            break
    took = time.monotonic() - t0
    closed = took < a.hold
    print("trickle: closed by the target: %s" %
          ("after %.0f s" % took if closed else "no"))
    return 0 if closed else 1


def abuse_stall(a):
    """Logins that stop after their first step (in progress)."""
    rs, refused = [], 0
    for i in range(a.count):
        try:
            r = Raw(a.host, a.port, a.initiator, a.target, isid=100 + i,
                    login=False)
            r.login_first()
            rs.append(r)
        except (RuntimeError, EOFError, OSError):
            refused += 1
    print("stall: %d logins in progress, %d refused" % (len(rs), refused))
    time.sleep(a.hold)
    for r in rs:
        r.sock.close()
    return 0


def abuse_idle(a):
    """A discovery session that does SendTargets once, then idles."""
    r = Raw(a.host, a.port, a.initiator, None)
    bhs = bytearray(48)
    bhs[0] = 0x40 | 0x04
    bhs[1] = 0x80
    text = b"SendTargets=All\0"
    bhs[5:8] = struct.pack(">I", len(text))[1:]
    struct.pack_into(">IIII", bhs, 16, r.next_itt(), 0xFFFFFFFF, r.cmdsn,
                     r.expstatsn)
    r.sock.sendall(bytes(bhs) + pad4(text))
    _recv_pdu(r.sock)
    closed = r.closed_within(a.hold)
    print("idle: closed by the target: %s" %
          ("after %.0f s" % closed if closed else "no"))
    return 0 if closed else 1


def abuse_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["cmd-flood", "pdu-flood", "conns",
                                    "trickle", "stall", "idle"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=3260)
    p.add_argument("--initiator", default="iqn.2024-01.org.scst.test:abuser")
    p.add_argument("--target")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--immediate", type=int, default=0)
    p.add_argument("--size", type=int, default=8 << 20)
    p.add_argument("--read", action="store_true")
    p.add_argument("--hold", type=float, default=10)
    a = p.parse_args(argv)
    fn = {"cmd-flood": abuse_cmd_flood, "pdu-flood": abuse_pdu_flood,
          "conns": abuse_conns, "trickle": abuse_trickle,
          "stall": abuse_stall, "idle": abuse_idle}[a.what]
    return fn(a) or 0


if __name__ == "__main__":
    sys.exit(abuse_main(sys.argv[1:]))
