"""The fixed part of an exported script (app/export/python.py writes the rest): the helpers
and behaviours every node function calls (RUNTIME, written out with the semantics of
app/engine/behaviours) and the command line that starts one process per node (MAIN).

Kept as text, not as a module, because it is the script's own source: what a reader downloads.
"""

# Names the script itself uses at module level or in node functions.
RESERVED = {
    "zmq",
    "main",
    "time",
    "sys",
    "os",
    "json",
    "signal",
    "subprocess",
    "argparse",
    "send",
    "recv",
    "log",
    "show",
    "fill",
    "idle",
    "transform",
    "stopping",
    "sleep_ms",
    "split_envelope",
    "reply_frames",
    "ctx",
    "base_port",
    "NODES",
    "ORDER",
    "BIND_PORTS",
    "STOP_AT",
    "wait_for_peers",
    "run_source",
    "run_replier",
    "run_worker",
    "run_sink",
    "print",
}

RUNTIME = '''
# ---------------------------------------------------------------------------------------------
# The behaviours, as the playground runs them (app/engine/behaviours). Every wait polls in short
# slices so that --seconds and Ctrl+C stop a node promptly.

STOP_AT = None  # time.monotonic() deadline set by --seconds


def stopping():
    return STOP_AT is not None and time.monotonic() >= STOP_AT


def log(node, text):
    sys.stdout.write(f"[{node}] {text}\\n")  # one write per line: processes share the terminal
    sys.stdout.flush()


def show(frames):
    return " | ".join(f.decode("utf-8", "replace") for f in frames)


def sleep_ms(ms):
    end = time.monotonic() + ms / 1000.0
    while not stopping() and time.monotonic() < end:
        time.sleep(min(0.05, max(0.0, end - time.monotonic())))


def recv(sock):
    """The next message (a list of frames), or None when it is time to stop."""
    while not stopping():
        if sock.poll(100, zmq.POLLIN):
            return sock.recv_multipart()
    return None


def send(sock, frames):
    """Send one multipart message once the socket can take it (False: time to stop)."""
    while not stopping():
        if sock.poll(100, zmq.POLLOUT):
            sock.send_multipart(frames)
            return True
    return False


def fill(template, n, topic, node):
    for key, value in (("n", str(n)), ("topic", topic), ("node", node)):
        template = template.replace("{" + key + "}", value)
    return template.encode()


def transform(body, how, text):
    if how == "upper":
        return body.upper()
    if how == "fixed":
        return text.encode()
    if how == "prefix":
        return text.encode() + body
    return body


def split_envelope(frames, sock_type):
    """(envelope, content): a ROUTER's identity frame and any frames up to an empty delimiter."""
    if sock_type not in ("ROUTER", "DEALER"):
        return [], frames
    start = 1 if sock_type == "ROUTER" else 0
    for i in range(start, len(frames)):
        if frames[i] == b"":
            return frames[: i + 1], frames[i + 1:]
    return frames[:start], frames[start:]


def reply_frames(frames, sock_type, how, text):
    envelope, content = split_envelope(frames, sock_type)
    content = content or [b""]
    return envelope + content[:-1] + [transform(content[-1], how, text)]


def wait_for_peers(node, sock, mon, expected, timeout=15.0):
    """Wait until `expected` peers completed the ZMTP handshake with `sock` (as the playground's
    "start: ready" does): PUSH, DEALER and PUB only share out among peers already connected, so a
    source that starts before its workers would deal every task to the first one up."""
    if mon is None:
        return
    seen, end = 0, time.monotonic() + timeout
    try:
        while seen < expected and not stopping() and time.monotonic() < end:
            if mon.poll(100, zmq.POLLIN):
                mon.recv_multipart()  # [event id + value, endpoint]: one completed handshake
                seen += 1
    finally:
        sock.disable_monitor()
        mon.close(linger=0)
    log(node, f"{seen} of {expected} peer(s) connected" + ("" if seen >= expected else
                                                           ": starting anyway"))


def run_source(node, sock, sock_type, interval_ms, count, frames, topics, start_delay_ms,
               await_reply="auto", peers=(), monitor=None, expected_peers=0):
    """Send `count` messages (0 = forever), one every interval; REQ waits for each reply."""
    drain = sock_type in ("DEALER", "ROUTER", "PAIR", "XPUB")
    wait_for_peers(node, sock, monitor, expected_peers)
    sleep_ms(start_delay_ms)
    n = 0
    while (count == 0 or n < count) and not stopping():
        n += 1
        topic = topics[(n - 1) % len(topics)] if topics else ""
        msg = [fill(f, n, topic, node) for f in frames]
        if peers:
            msg = [peers[(n - 1) % len(peers)]] + msg
        if not send(sock, msg):
            return
        log(node, f"sent {show(msg)}")
        if sock_type == "REQ" and await_reply == "auto":
            reply = recv(sock)
            if reply is None:
                return
            log(node, f"got reply {show(reply)}")
        end = time.monotonic() + interval_ms / 1000.0
        while drain and not stopping() and time.monotonic() < end:
            # whatever comes back (DEALER/ROUTER/PAIR replies, XPUB subscriptions) is received
            if sock.poll(max(1, int((end - time.monotonic()) * 1000)), zmq.POLLIN):
                log(node, f"received {show(sock.recv_multipart())}")
        if not drain:
            sleep_ms(interval_ms)
    log(node, f"done: sent {n} message(s)")
    while not stopping():  # keep the socket open so queued messages still leave
        if drain and sock.poll(100, zmq.POLLIN):
            log(node, f"received {show(sock.recv_multipart())}")
        elif not drain:
            time.sleep(0.1)


def run_replier(node, sock, sock_type, transform_how, text, delay_ms):
    """Answer every request on the same socket (the envelope is kept)."""
    while True:
        frames = recv(sock)
        if frames is None:
            return
        log(node, f"request {show(frames)}")
        sleep_ms(delay_ms)
        if not send(sock, reply_frames(frames, sock_type, transform_how, text)):
            return


def run_worker(node, src, src_type, out, transform_how, text, work_ms):
    """Receive on the input, work for a while, send the result on the output."""
    while True:
        frames = recv(src)
        if frames is None:
            return
        sleep_ms(work_ms)
        _envelope, content = split_envelope(frames, src_type)
        content = content or [b""]
        result = content[:-1] + [transform(content[-1], transform_how, text)]
        log(node, f"worked on {show(content)}")
        if out is not None and not send(out, result):
            return
        if src_type in ("REP", "ROUTER"):  # a request socket on the input side expects its answer
            if not send(src, reply_frames(frames, src_type, transform_how, text)):
                return


def run_sink(node, sock):
    """Receive and count; print each message and the throughput."""
    count, start = 0, time.monotonic()
    while True:
        frames = recv(sock)
        if frames is None:
            return
        count += 1
        rate = count / max(1e-6, time.monotonic() - start)
        log(node, f"received #{count}: {show(frames)} ({rate:.1f} msg/s)")


def idle(node):
    while not stopping():
        time.sleep(0.1)
'''

MAIN = """

# ---------------------------------------------------------------------------------------------

def main():
    global STOP_AT
    parser = argparse.ArgumentParser(description=__doc__.split("\\n")[0])
    parser.add_argument("node", nargs="?", choices=sorted(NODES), help="run only this node")
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("ZPG_BASE_PORT", 5555)),
                        help="binding sockets use consecutive tcp ports from here (default 5555)")
    parser.add_argument("--seconds", type=float, default=0, help="stop after this many seconds")
    parser.add_argument("--list", action="store_true", help="list the nodes and their endpoints")
    args = parser.parse_args()
    if args.list:
        for name, offset in sorted(BIND_PORTS.items(), key=lambda kv: kv[1]):
            print(f"{name:30} binds tcp://127.0.0.1:{args.base_port + offset}")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.node:
        if args.seconds:
            STOP_AT = time.monotonic() + args.seconds
        try:
            NODES[args.node](args.base_port)
        except KeyboardInterrupt:
            pass
        return 0
    # Every node in its own process: this same script, started once per node.
    procs = []
    for name in ORDER:
        cmd = [sys.executable, os.path.abspath(__file__), name, "--base-port", str(args.base_port)]
        if args.seconds:
            cmd += ["--seconds", str(args.seconds)]
        procs.append(subprocess.Popen(cmd))
    try:
        while any(p.poll() is None for p in procs):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
"""
