"""gateway: an API gateway on one ROUTER, routing requests to services by name (seed 002).

Clients (REQ) send ``[service, body...]``; the ROUTER hands it over as
``[client, "", service, body...]``. Services are DEALERs whose routing id is the service name;
the gateway forwards ``[service, client, "", body...]`` (the DEALER receives
``[client, "", body...]``). A service's answer ``[service, client, "", reply...]`` goes back
as ``[client, "", reply...]``. An unknown service name is answered at once with
``["unknown service: <name>"]``."""

from __future__ import annotations


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    services = {name.encode() for name in b["services"]}
    while True:
        frames = node.recv(s)
        sender = frames[0]
        if sender in services:
            node.send(s, frames[1:])  # a service answering: the rest is the client envelope
            continue
        if len(frames) < 3 or frames[1] != b"":
            node.state("invalid message", f"{len(frames)} frames without an envelope")
            continue
        name, body = frames[2], frames[3:] or [b""]
        if name in services:
            node.send(s, [name, sender, b""] + body)
        else:
            node.send(s, [sender, b"", b"unknown service: " + name[:100]])
