// Whether a socket has a pipe to any peer right now, from the document that runs and what the run
// said happened to its links and nodes. libzmq blocks a PUSH / DEALER / REQ / PAIR send both at
// its HWM and when it has no pipe at all; the page names the second cause "no peer" (the Problems
// list says the same before a run: app/topology/advice.py). No DOM.
//   no pipe: the socket has no link; or each of its links was cut or removed; or it is the
//   binding end and the node at the other end was killed or removed (a connecting socket keeps
//   its pipe, and queues, while its bound peer is away).

/** `key` "node.socket"; `doc` the running document; `down(linkId)` and `dead(nodeId)` say
 *  whether a link is cut/removed and a node killed/removed. */
export function hasPeer(doc, key, down, dead) {
  for (const l of doc?.links || []) {
    const b = `${l.bind.node}.${l.bind.socket}`, c = `${l.connect.node}.${l.connect.socket}`;
    if (b !== key && c !== key) continue;
    if (down(l.id)) continue;
    if (b === key && dead(l.connect.node)) continue;
    return true;
  }
  return false;
}
