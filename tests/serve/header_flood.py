#!/usr/bin/python3
"""Header flood against a local `sitrep serve`, with the server's memory.

Opens connections to 127.0.0.1:PORT (loopback only), sends a request line
and then header lines of --line bytes without ever ending the request, until
--mb megabytes are sent or --seconds pass. A connection the server cuts off
(431 or reset) is replaced by a new one. Meanwhile the resident memory of
process PID is sampled from /proc every 20 ms. Prints what was sent, how the
server answered, its RSS before, at peak and after, and whether it still
serves /api/meta. Used for docs/RELIABILITY.md:

    sitrep serve -q --db events.db --port 8090 & pid=$!
    /usr/bin/python3 tests/serve/header_flood.py --port 8090 --pid $pid
"""
import argparse
import http.client
import socket
import sys
import threading
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True, help="the server process")
    ap.add_argument("--mb", type=int, default=400, help="megabytes to send in all (default 400)")
    ap.add_argument("--seconds", type=float, default=120, help="stop after this long (default 120)")
    ap.add_argument("--line", type=int, default=8192, help="bytes per header line (default 8192)")
    ap.add_argument("--connections", type=int, default=1, help="flooding at once (default 1)")
    a = ap.parse_args()
    limit = a.mb * 1000 * 1000
    host = f"127.0.0.1:{a.port}"
    value = b"f" * (a.line - len(b"X-Flood-000000: \r\n"))

    state = {"sent": 0, "connections": 0, "cut": 0, "replies": {}, "peak": 0, "stop": False}
    lock = threading.Lock()

    def sample():
        while not state["stop"]:
            try:
                r = rss_kb(a.pid)
            except OSError:
                return
            state["peak"] = max(state["peak"], r)
            time.sleep(0.02)

    def flood(deadline):
        while True:
            with lock:
                if state["sent"] >= limit or time.monotonic() > deadline:
                    return
                state["connections"] += 1
            s = socket.create_connection(("127.0.0.1", a.port))
            s.settimeout(5)
            i = 0
            try:
                s.sendall(f"GET /api/meta HTTP/1.1\r\nHost: {host}\r\n".encode())
                while True:
                    with lock:
                        if state["sent"] >= limit or time.monotonic() > deadline:
                            break
                    s.sendall(b"X-Flood-%06d: " % (i % 1000000) + value + b"\r\n")
                    i += 1
                    with lock:
                        state["sent"] += a.line
            except OSError:
                with lock:
                    state["cut"] += 1
                reply = b""
                try:
                    reply = s.recv(64)
                except OSError:
                    pass
                status = reply.split(b"\r\n")[0].decode(errors="replace") or "(reset, no reply)"
                with lock:
                    state["replies"][status] = state["replies"].get(status, 0) + 1
            finally:
                s.close()

    base = rss_kb(a.pid)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.monotonic()
    deadline = t0 + a.seconds
    workers = [threading.Thread(target=flood, args=(deadline,)) for _ in range(a.connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - t0
    time.sleep(1)
    state["stop"] = True
    sampler.join()
    after = rss_kb(a.pid)

    c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
    try:
        c.request("GET", "/api/meta")
        serving = c.getresponse().status
    except OSError as e:
        serving = f"failed: {e}"
    print(f"sent {state['sent'] / 1e6:.0f} MB of {a.line}-byte header lines in {elapsed:.1f} s "
          f"over {state['connections']} connections ({a.connections} at once)")
    print(f"cut off by the server: {state['cut']}; replies: {state['replies']}")
    print(f"server RSS: {base / 1024:.1f} MB before, {state['peak'] / 1024:.1f} MB peak, "
          f"{after / 1024:.1f} MB 1 s after")
    print(f"GET /api/meta afterwards: {serving}")
    return 0 if serving == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
