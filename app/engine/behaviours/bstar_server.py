"""bstar_server: one server of a Binary Star pair (zguide bstarsrv), primary or backup.

Each server publishes its state number every ``heartbeat_ms`` on ``statepub`` and reads its
peer's on ``statesub`` (1 primary, 2 backup, 3 active, 4 passive: the zguide's numbers, sent as
text). Clients talk to ``frontend`` (a ROUTER); the active server echoes their requests back.
The finite-state machine is bstarsrv's:

- primary hears backup / active peer → active / passive; backup hears active peer → passive
  (a backup never serves before it has seen the primary);
- passive hears primary or backup (the peer restarted) → active;
- passive gets a client request once the peer has been silent for 2 x ``heartbeat_ms``
  → active: the client's request itself triggers the failover ("failover successful");
- active hears another active, or passive another passive → fatal error, shut down.

A request the state machine refuses is not answered: the client times out and fails over.
"""

from __future__ import annotations

from .kit import Clock, Failures, Inbox, crash

PRIMARY, BACKUP, ACTIVE, PASSIVE, CLIENT_REQUEST = 1, 2, 3, 4, 5
NAMES = {PRIMARY: "primary", BACKUP: "backup", ACTIVE: "active", PASSIVE: "passive"}


def run(node) -> None:
    b = node.behaviour
    front = node.socket(b["frontend"])
    pub = node.socket(b["statepub"])
    sub = node.socket(b["statesub"])
    hb = b["heartbeat_ms"]
    clock = Clock(node)
    failures = Failures(node, b)
    fsm = _Fsm(node, PRIMARY if b["role"] == "primary" else BACKUP, clock, hb)
    node.state(NAMES[fsm.state], f"{b['role']}: waiting for the peer")
    inbox = Inbox(node)
    inbox.watch(front)
    inbox.watch(sub)
    send_state_at = clock.now()
    while True:
        item = inbox.get(max(0.0, send_state_at - clock.now()))
        if item is not None:
            s, frames = item
            if s is front:
                if fsm.event(CLIENT_REQUEST):
                    failures.on_request()
                    node.send(front, frames)  # echo: [client, "", request] back
                    failures.after_reply()
            else:
                try:
                    peer = int(frames[0])
                except ValueError:
                    peer = 0
                if peer in NAMES:
                    if not fsm.event(peer):
                        crash(node, fsm.fatal)
                    fsm.peer_expiry = clock.now() + 2 * hb
        if clock.now() >= send_state_at:
            node.send(pub, [str(fsm.state).encode()])
            send_state_at = clock.now() + hb


class _Fsm:
    def __init__(self, node, state, clock, hb):
        self.node, self.state, self.clock, self.hb = node, state, clock, hb
        self.peer_expiry = 0.0
        self.fatal = ""

    def _go(self, state, detail):
        self.state = state
        self.node.state(NAMES[state], detail)

    def event(self, ev) -> bool:
        """Run the state machine; False: refuse the request, or a fatal error (peer events)."""
        st = self.state
        if st == PRIMARY:
            if ev == BACKUP:
                self._go(ACTIVE, "connected to backup (passive), ready as active")
            elif ev == ACTIVE:
                self._go(PASSIVE, "connected to backup (active), ready as passive")
            return True  # the primary accepts client requests before it hears the backup
        if st == BACKUP:
            if ev == ACTIVE:
                self._go(PASSIVE, "connected to primary (active), ready as passive")
            elif ev == CLIENT_REQUEST:
                return False
            return True
        if st == ACTIVE:
            if ev == ACTIVE:
                self.fatal = "fatal error: dual actives (split brain), aborting"
                return False
            return True
        # PASSIVE
        if ev == PRIMARY:
            self._go(ACTIVE, "primary (passive) is restarting, ready as active")
        elif ev == BACKUP:
            self._go(ACTIVE, "backup (passive) is restarting, ready as active")
        elif ev == PASSIVE:
            self.fatal = "fatal error: dual passives, aborting"
            return False
        elif ev == CLIENT_REQUEST:
            if self.clock.now() >= self.peer_expiry:
                self._go(ACTIVE, "failover successful, ready as active")
            else:
                return False
        return True
