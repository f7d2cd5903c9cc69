"""Node kinds: what a node does, as a menu of behaviours with declarative field specs.

KINDS maps kind -> {"label", "help", "fields", "template", "socket_fields"}:
- `fields`: behaviour field name -> spec (see fields.py); `socket` fields name one of the node's
  sockets and list the socket types that suit them.
- `template`: the sockets and behaviour a freshly dropped node of this kind starts with (the
  editor's palette uses it; it validates as a one-node topology).
- `socket_fields`: derived, the names of the `socket` fields.

Adding a kind (proxy, broker, lazy pirate client...) = one entry in the module of its family
below (or a new module, listed in ``_FAMILIES``) plus its behaviour in the engine; validation,
normalisation and META follow from the specs. The order of ``_FAMILIES`` and of the entries is
the order kinds are listed in (palette, error messages).
"""

from . import basic, brokers, majordomo, pubsub, reliability, systems
from .common import MAX_MS

_FAMILIES = (basic, brokers, reliability, majordomo, pubsub, systems)

KINDS = {}
for _family in _FAMILIES:
    KINDS.update(_family.KINDS)

for _kind in KINDS.values():
    _kind["socket_fields"] = [n for n, f in _kind["fields"].items() if f["type"] == "socket"]

__all__ = ["KINDS", "MAX_MS"]
