#!/usr/bin/python3
"""Usage: cluster-hub.py DIR NAME...

The private Ethernet segment of tests/vm/run-cluster.sh: a learning
switch between qemu processes, over Unix datagram sockets only (no host
network, not even loopback).  Each guest NAME runs qemu with

  -netdev dgram,id=cl0,local.type=unix,local.path=DIR/NAME.sock,
          remote.type=unix,remote.path=DIR/hub.sock

so every datagram is one Ethernet frame.  The hub binds DIR/hub.sock,
learns which port each source MAC address came from, forwards a frame
for a known unicast address to that port only and floods the others
(broadcast, multicast, unknown) to every port but the sender's.  A port
whose socket is not bound yet (guest still booting) or gone (qemu
killed) is skipped silently, and so is a port whose queue is full (the
frame is dropped, as a switch would, rather than stall the others).

Link control, for partition tests: while the file DIR/down.NAME exists,
frames from and to NAME are dropped (checked at most every 0.2 s).
Counters (frames in, forwarded, dropped per port) are written to
DIR/hub.stats when the hub gets SIGTERM.
"""
import os
import signal
import socket
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    base = sys.argv[1]
    names = sys.argv[2:]
    ports = {n: os.path.join(base, n + ".sock") for n in names}
    by_path = {p: n for n, p in ports.items()}
    hub_path = os.path.join(base, "hub.sock")
    try:
        os.unlink(hub_path)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(hub_path)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    stats = {n: [0, 0, 0] for n in names}	# in, out, dropped

    def dump(*_):
        with open(os.path.join(base, "hub.stats"), "w") as f:
            for n in names:
                f.write("%s in %d out %d dropped %d\n" % (n, *stats[n]))
        sys.exit(0)
    signal.signal(signal.SIGTERM, dump)
    signal.signal(signal.SIGINT, dump)

    macs = {}
    down = set()
    checked = 0.0
    while True:
        frame, src = sock.recvfrom(65536)
        now = time.monotonic()
        if now - checked > 0.2:
            down = {n for n in names
                    if os.path.exists(os.path.join(base, "down." + n))}
            checked = now
        name = by_path.get(src)
        if name is None or len(frame) < 14:
            continue
        stats[name][0] += 1
        if name in down:
            stats[name][2] += 1
            continue
        macs[frame[6:12]] = name
        dst = frame[0:6]
        if not dst[0] & 1 and dst in macs:
            targets = [macs[dst]]
        else:
            targets = names
        for t in targets:
            if t == name:
                continue
            if t in down:
                stats[t][2] += 1
                continue
            try:
                sock.sendto(frame, socket.MSG_DONTWAIT, ports[t])
                stats[t][1] += 1
            except OSError:
                stats[t][2] += 1


if __name__ == "__main__":
    sys.exit(main())
