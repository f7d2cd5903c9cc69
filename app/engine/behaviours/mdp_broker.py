"""mdp_broker: the Majordomo broker (RFC 7 MDP/0.1, zguide mdbroker), one ROUTER for everyone.

Clients (REQ) send ``["MDPC01", service, body...]``; workers (DEALER) send
``["", "MDPW01", command, ...]`` with command READY ``\\x01`` (+ service name), REPLY ``\\x03``
(+ client, "", body), HEARTBEAT ``\\x04`` or DISCONNECT ``\\x05``. The broker keeps, per service,
a queue of requests and a queue of idle workers, and hands a request to the longest-idle worker
of *that* service as ``["", "MDPW01", "\\x02", client, "", body...]``; the reply goes back to the
client as ``["MDPC01", service, body...]``. Requests for a service with no worker wait.
Every ``heartbeat_ms`` it heartbeats idle workers and forgets those silent for ``liveness``
intervals. ``mmi.service`` (RFC 8) answers "200" if the service named in the body has a
worker, else "404"; other ``mmi.`` names answer "501".
"""

from __future__ import annotations

from collections import deque

from .frames_text import show_id, show_text
from .kit import Clock

C_CLIENT, W_WORKER = b"MDPC01", b"MDPW01"
W_READY, W_REQUEST, W_REPLY, W_HEARTBEAT, W_DISCONNECT = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"


class _Service:
    def __init__(self, name: bytes):
        self.name = name
        self.requests: deque[list[bytes]] = deque()
        self.waiting: deque[bytes] = deque()  # idle worker addresses
        self.workers = 0


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    hb, liveness = b["heartbeat_ms"], b["liveness"]
    clock = Clock(node)
    services: dict[bytes, _Service] = {}
    workers: dict[bytes, dict] = {}  # address -> {"service", "expiry"}
    waiting: deque[bytes] = deque()  # idle workers, oldest first
    heartbeat_at = clock.now() + hb

    def service_of(name: bytes) -> _Service:
        if name not in services:
            services[name] = _Service(name)
        return services[name]

    def delete_worker(address: bytes, disconnect: bool, why: str) -> None:
        if disconnect:
            node.send(s, [address, b"", W_WORKER, W_DISCONNECT])
        w = workers.pop(address, None)
        if w is None:
            node.state(why, show_id(address))
            return
        if address in waiting:
            waiting.remove(address)
        if w["service"] is not None:
            w["service"].workers -= 1
            if address in w["service"].waiting:
                w["service"].waiting.remove(address)
        node.state(
            why,
            f"{show_id(address)}"
            + (f" ({w['service'].name.decode(errors='replace')})" if w["service"] else ""),
        )

    def purge() -> None:
        now = clock.now()
        while waiting and workers[waiting[0]]["expiry"] < now:
            delete_worker(waiting[0], False, "worker expired")

    def dispatch(svc: _Service) -> None:
        purge()
        while svc.waiting and svc.requests:
            address = svc.waiting.popleft()
            waiting.remove(address)
            node.send(s, [address, b"", W_WORKER, W_REQUEST] + svc.requests.popleft())

    def worker_waiting(address: bytes) -> None:
        w = workers[address]
        waiting.append(address)
        w["service"].waiting.append(address)
        w["expiry"] = clock.now() + hb * liveness
        dispatch(w["service"])

    while True:
        msg = node.recv(s, timeout_ms=max(0.0, heartbeat_at - clock.now()))
        if msg is not None and len(msg) >= 3 and msg[1] == b"":
            sender, header, rest = msg[0], msg[2], msg[3:]
            if header == C_CLIENT and len(rest) >= 1:
                service, body = rest[0], rest[1:] or [b""]
                if service.startswith(b"mmi."):
                    code = b"501"
                    if service == b"mmi.service":
                        svc = services.get(body[-1])
                        code = b"200" if svc is not None and svc.workers > 0 else b"404"
                    node.send(s, [sender, b"", C_CLIENT, service] + body[:-1] + [code])
                else:
                    svc = service_of(service)
                    svc.requests.append([sender, b""] + body)
                    dispatch(svc)
            elif header == W_WORKER and len(rest) >= 1:
                command, rest = rest[0], rest[1:]
                known = sender in workers
                if command == W_READY:
                    name = rest[0] if rest else b""
                    if known or name.startswith(b"mmi.") or not name:
                        delete_worker(sender, True, "worker refused")
                    else:
                        svc = service_of(name)
                        workers[sender] = {"service": svc, "expiry": 0.0}
                        svc.workers += 1
                        node.state(
                            "worker ready", f"{show_id(sender)} ({name.decode(errors='replace')})"
                        )
                        worker_waiting(sender)
                elif command == W_REPLY:
                    if known and len(rest) >= 2:
                        client, body = rest[0], rest[2:] or [b""]
                        node.send(
                            s, [client, b"", C_CLIENT, workers[sender]["service"].name] + body
                        )
                        worker_waiting(sender)
                    else:
                        delete_worker(sender, True, "worker refused")
                elif command == W_HEARTBEAT:
                    if known:
                        workers[sender]["expiry"] = clock.now() + hb * liveness
                    else:
                        delete_worker(sender, True, "worker refused")
                elif command == W_DISCONNECT:
                    delete_worker(sender, False, "worker disconnected")
                else:
                    node.state("invalid message", f"unknown worker command {command.hex()}")
            else:
                node.state("invalid message", f"header {show_text(msg[2], 10)}")
        elif msg is not None:
            node.state("invalid message", f"{len(msg)} frames without an MDP header")
        purge()
        if clock.now() >= heartbeat_at:
            for address in waiting:
                node.send(s, [address, b"", W_WORKER, W_HEARTBEAT])
            heartbeat_at = clock.now() + hb
