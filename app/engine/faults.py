"""Faults a person injects into a running topology: kill, restart, pause or slow a node; cut and
restore a link; change a SUB's subscriptions. Each returns None or a problem naming its target."""

from __future__ import annotations

import gevent
import zmq


class FaultsMixin:
    """Fault operations of a :class:`~app.engine.run.Run`."""

    def _node(self, node_id):
        node = self.nodes.get(node_id) if isinstance(node_id, str) else None
        return node, (None if node else f"no node called {node_id!r}")

    def kill_node(self, node_id) -> str | None:
        """End the node's greenlets and close its sockets: peers see it disconnect."""
        node, problem = self._node(node_id)
        if problem:
            return problem
        gevent.killall(node.greenlets, block=True, timeout=1)
        node.greenlets.clear()
        for s in node.sockets.values():
            self.observer.receiver_closed(s)
            self.close_socket(s)
            for link in s.links:
                link.queues_lost()
        node.alive = False
        self.observer.emit({"ev": "node", "node": node.id, "state": "killed"})
        return None

    def restart_node(self, node_id) -> str | None:
        """Fresh sockets (same options and endpoints) and the behaviour from the start."""
        node, problem = self._node(node_id)
        if problem:
            return problem
        if node.alive:
            self.kill_node(node_id)
        for s in node.sockets.values():
            self.reopen_socket(s)
        node.alive = True
        node.spawn(self.behaviour_of(node), node)
        self.observer.emit({"ev": "node", "node": node.id, "state": "restarted"})
        return None

    def pause_node(self, node_id, paused: bool = True) -> str | None:
        """This node alone stops sending and receiving (its queues fill), or goes on."""
        node, problem = self._node(node_id)
        if problem:
            return problem
        node.paused = paused
        if paused:
            node.gate.clear()
        else:
            node.gate.set()
        self.observer.emit(
            {"ev": "node", "node": node.id, "state": "paused" if paused else "resumed"}
        )
        return None

    def delay_node(self, node_id, ms) -> str | None:
        """Add ``ms`` before every send of the node (0 removes the delay)."""
        node, problem = self._node(node_id)
        if problem:
            return problem
        if not isinstance(ms, (int, float)) or isinstance(ms, bool) or not 0 <= ms <= 60000:
            return f"{node.id}: delay ms must be a number from 0 to 60000"
        node.delay_ms = ms
        self.observer.emit(
            {
                "ev": "node",
                "node": node.id,
                "state": "delayed" if ms else "resumed",
                "detail": f"+{ms} ms per send" if ms else "",
            }
        )
        return None

    def cut_link(self, link_id, cut: bool = True) -> str | None:
        """Disconnect the link's connecting socket from its endpoint, or connect it again."""
        link = self.links.get(link_id) if isinstance(link_id, str) else None
        if link is None or link.connect.type == "OUTSIDE":
            return f"no link called {link_id!r}"
        sock = link.connect.zsock
        if sock is None:
            return f"link {link.id}: {link.connect.key} is not running"
        if cut and link.state != "cut":
            try:
                sock.disconnect(link.bind.endpoint)
            except zmq.ZMQError:
                pass
            link.state = "cut"
            link.queues_lost()
            self.observer.emit({"ev": "link", "link": link.id, "state": "cut"})
        elif not cut and link.state == "cut":
            link.state = "restored"
            sock.connect(link.bind.endpoint)
            self.observer.emit({"ev": "link", "link": link.id, "state": "restored"})
        return None

    def subscribe(self, node_id, socket, topic, on: bool = True) -> str | None:
        """SUBSCRIBE or UNSUBSCRIBE on a running SUB socket."""
        node, problem = self._node(node_id)
        if problem:
            return problem
        s = node.sockets.get(socket) if isinstance(socket, str) else None
        if s is None or s.type != "SUB":
            return f"{node.id}: no SUB socket called {socket!r}"
        if not isinstance(topic, str) or len(topic.encode()) > 255:
            return f"{node.id}.{socket}: topic must be a string of at most 255 bytes"
        t = topic.encode()
        if s.zsock is not None:
            s.zsock.setsockopt(zmq.SUBSCRIBE if on else zmq.UNSUBSCRIBE, t)
        subs = list(s.subs)
        if on:
            subs.append(t)
        elif t in subs:
            subs.remove(t)
        s.subs = tuple(subs)
        if s.zsock is not None:
            frame = (b"\x01" if on else b"\x00") + t
            s.sub_msgs[frame] = s.sub_msgs.get(frame, 0) + 1
        self.observer.emit(
            {
                "ev": "node",
                "node": node.id,
                "state": "subscribed" if on else "unsubscribed",
                "detail": f"{socket}: {topic!r}",
            }
        )
        return None
