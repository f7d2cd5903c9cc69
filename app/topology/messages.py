"""Every validation problem's wording, by a stable code, and its English rendering.

A problem carries ``code`` and ``vars`` beside its English ``message`` (kept for API users): the
page words it in the reader's language from static/i18n/<lang>.json, ``err.<code>``, filling the
same ``{name}`` holes (tests/unit/test_problem_codes.py holds en.json to these templates and
ko.json to their holes). A var is a string or number shown as written (node, socket and field
names, libzmq terms like SNDHWM), a nested ``{"code", "vars"}`` worded the same way (a subject like
"link l3", a list of socket types, a hint), or ``{"en", "ko"}`` (a kind field's ``needs``, whose
Korean is in kinds_ko.py). Holes are filled as the page's i18n.js fills them: ``{word}`` with a var
of that name, anything else (``{x, y, k}``, ``{n}`` without a var n) left as written.
"""

import re

_HOLE = re.compile(r"\{(\w+)\}")

ID_RULE = "must start with a letter and hold only letters, digits, '_' and '-', at most"

# Value problems (fields.value_problems) read "<subject>: <field> <what is wrong>".
VALUE = {
    "value.int": "{subject}: {field} must be a whole number (got {got})",
    "value.range": "{subject}: {field} must be between {min} and {max} (got {got})",
    "value.bool": "{subject}: {field} must be true or false (got {got})",
    "value.choice": "{subject}: {field} must be one of {choices} (got {got})",
    "value.socket": "{subject}: {field} must name one of the node's sockets (got {got})",
    "value.string": "{subject}: {field} must be a string (got {got})",
    "value.maxChars": "{subject}: {field} must be at most {max} characters (got {count})",
    "value.maxBytesOrMore": "{subject}: {field} must be at most {max} bytes in UTF-8 "
    "(got {count} or more)",
    "value.maxBytes": "{subject}: {field} must be at most {max} bytes in UTF-8 (got {count})",
    "value.unicode": "{subject}: {field} must be valid Unicode (it holds an unpaired surrogate)",
    "value.minByte": "{subject}: {field} must be at least 1 byte long",
    "value.minBytes": "{subject}: {field} must be at least {min} bytes long",
    "value.leadingNul": "{subject}: {field} must not start with a zero byte (libzmq keeps those "
    "for its own ids)",
    "value.list": "{subject}: {field} must be a list of strings (got {got})",
    "value.minItem": "{subject}: {field} needs at least 1 item (got {count})",
    "value.minItems": "{subject}: {field} needs at least {min} items (got {count})",
    "value.maxItems": "{subject}: {field} may hold at most {max} items (got {count})",
}

MESSAGES = {
    **VALUE,
    # the JSON text (document.parse_json)
    "json.size": "topology: the JSON is {size} bytes, more than the {max} allowed",
    "json.sizeOrMore": "topology: the JSON is {size} bytes or more, more than the {max} allowed",
    "json.utf8": "topology: the JSON is not valid UTF-8 (byte {byte})",
    "json.text": "topology: expected JSON text, got {type}",
    "json.syntax": "topology: not valid JSON: {error} at line {line}, column {column}",
    "json.deep": "topology: the JSON is nested too deeply",
    "json.value": "topology: not valid JSON: {error}",
    # the document
    "stopped": "topology: stopped after {count} problems; fix these first",
    "internal": "topology: internal validation error ({error}); please report it",
    "document.object": "topology: the document must be a JSON object (got {got})",
    "version.required": "topology: version is required (this server reads version {version})",
    "version.unknown": "topology: unknown version {got} (this server reads version {version})",
    "version.old": "topology: unknown version {got} (this server reads version {version}); "
    "upgrade() it first",
    "view.object": "topology: view must be an object {x, y, k, comments} (got {got})",
    "view.zoom": "topology: view.k (zoom) must be a number above 0 and at most {max} (got {got})",
    "coord": "{subject}: {field} must be a number between -{max} and {max} (got {got})",
    "list": "{subject}: {field} must be a list (got {got})",
    "object": "{subject}: {field} must be an object (got {got})",
    "unknown": "{subject}: unknown {what} {got}{hint}",
    "nodes.required": "topology: nodes is required (a list of at least one node)",
    "nodes.empty": "topology: a topology needs at least one node",
    "nodes.tooMany": "topology: {count} nodes, at most {max} allowed",
    "links.tooMany": "topology: {count} links, at most {max} allowed",
    "sockets.total": "topology: {count} sockets in all, at most {max} allowed "
    "(limit max_total_sockets)",
    # nodes and their sockets
    "node.object": "{subject}: a node must be an object (got {got})",
    "id.required": "{subject}: id is required",
    "id.rule": "{subject}: id " + ID_RULE + " 40 characters (got {got})",
    "node.duplicate": "{node}: duplicate node id (nodes[{other}] has it too)",
    "kind.required": "{subject}: kind is required ({kinds})",
    "sockets.required": "{subject}: sockets is required (a node needs at least one)",
    "sockets.empty": "{subject}: a node needs at least one socket",
    "sockets.tooMany": "{subject}: {count} sockets, at most {max} allowed per node",
    "socket.object": "{subject}: a socket must be an object (got {got})",
    "name.required": "{subject}: name is required",
    "name.rule": "{subject}: name " + ID_RULE + " 20 characters (got {got})",
    "socket.duplicate": "{subject}: duplicate socket name in {node}",
    "type.required": "{subject}: type is required ({types})",
    "mode.required": "{subject}: mode is required",
    "mode.bad": "{subject}: mode must be 'bind' or 'connect' (got {got})",
    "expose.connect": "{subject}: expose applies only to binding sockets (an outside program "
    "connects to it)",
    "expose.off": "{subject}: expose is off on this server: outside programs can connect only "
    "to a playground run on your own machine (limit allow_expose, the server's ALLOW_EXPOSE "
    "setting)",
    "option.type": "{subject}: {option} applies only to {types} sockets, not {type}",
    "hwm.zero": "{subject}: {option} 0 means no limit in libzmq, which this server does not "
    "allow (use 1..{max}, limit max_hwm)",
    "hwm.max": "{subject}: {option} must be at most {max} on this server (got {got}, "
    "limit max_hwm)",
    "behaviour.required": "{subject}: behaviour.{field} is required: name {needs} ({types})",
    "behaviour.noSocket": "{subject}: behaviour.{field} names {got}, but {node} has no such "
    "socket (it has: {have})",
    "behaviour.socketType": "{subject}: behaviour.{field} is {socket}, a {type} socket; {needs} "
    "must be {types}",
    "size.message": "{subject}: a message of this node can be {size} bytes (frames with {n}, "
    "{topic} and {node} filled in), more than the {max} allowed (limit max_message_bytes)",
    "size.loop": "{subject}: transform 'prefix' on a message loop (what it sends comes back to it) "
    "makes messages grow without bound; use echo, upper or fixed here, or break the loop "
    "(messages may be at most {max} bytes, limit max_message_bytes)",
    "size.prefix": "topology: the prefix transforms can grow a message to {size} bytes, more "
    "than the {max} allowed (limit max_message_bytes)",
    "size.queues": "topology: its queues could hold {total} ({slots} messages at the "
    "high-water marks x up to {size} bytes each), more than the {max} allowed "
    "(limit max_queue_bytes); lower sndhwm/rcvhwm or the message size",
    # links
    "link.object": "{subject}: a link must be an object (got {got})",
    "link.duplicate": "{subject}: duplicate link id (links[{other}] has it too)",
    "link.singlePeer": "{subject}: a {type} socket has exactly one peer, but {count} links use "
    "it ({links})",
    "link.endMode": "{subject}: {link} uses it as its {end} end, but it {mode}s",
    "end.required": '{subject}: the {end} end is required ({"node": ..., "socket": ...})',
    "end.object": '{subject}: the {end} end must be an object {"node", "socket"} (got {got})',
    "end.noNode": "{subject}: the {end} end has no node",
    "end.nodeMissing": "{subject}: the {end} end names node {got}, which does not exist",
    "end.noSocket": "{node}: {link}'s {end} end names no socket (it has: {have})",
    "end.socketMissing": "{node}: {link}'s {end} end names socket {got}, but {node} has no such "
    "socket (it has: {have})",
    "pair.bothBind": "{a}: {link} joins it to {b}, but both bind (two binders on one link); one "
    "end must connect",
    "pair.bothConnect": "{a}: {link} joins it to {b}, but both connect; one end must bind",
    "pair.swapped": "{a}: {link} joins it to {b} with the ends swapped: {a} binds, so it belongs "
    'in "bind", and {b} connects, so it belongs in "connect"',
    "pair.types": "{a}: {link} joins it to {b}, but {why}",
    "pair.again": "{a}: {link} joins it to {b} a second time ({other} already does)",
    # comments (view.comments)
    "comments.list": "topology: view.comments must be a list of comments (got {got})",
    "comments.tooMany": "topology: view.comments may hold at most {max} comments (got {count})",
    "comment.object": "topology: {subject} must be an object {id, x, y, text} (got {got})",
    "comment.idRule": "topology: {subject}: id must be a letter then up to 39 letters, digits, "
    "_ or - (got {got})",
    "comment.duplicate": "topology: {subject}: id is used by another comment",
    # words inside other messages (nested vars)
    "w.topology": "topology",
    "w.link": "link {id}",
    "w.linkEnd": "{link} {end} end",
    "w.inTopology": "topology: {subject}",
    "w.none": "none",
    "w.nodeField": "node field",
    "w.socketField": "socket field",
    "w.linkField": "link field",
    "w.field": "field",
    "w.option": "option",
    "w.kind": "kind",
    "w.type": "socket type",
    "w.types": "types",
    "w.kinds": "kinds",
    "w.behaviourField": "{kind} behaviour field",
    "w.didYouMean": " (did you mean {guess}?)",
    "w.known": " ({what}s: {known})",
    "w.knownOf": " ({what}: {known})",
    "w.typesOne": "{a}",
    "w.typesOr": "{list} or {last}",
    "w.typesAnd": "{list} and {last}",
    "w.typesExcept": "any type except {types}",
    "w.talksOnly": "{a} talks only to {peer}, not {b}",
    "w.talks": "{a} talks to {types}, not {b}",
    "w.unknownType": "unknown socket type {got}",
}


def word(code, **vars_):
    """A nested var: `code`'s words with `vars_`, worded by the reader's language on the page."""
    return {"code": code, "vars": vars_}


def render(code, vars_=None):
    """The English text of `code` with its vars filled in (nested vars rendered first)."""
    vars_ = vars_ or {}

    def fill(m):
        name = m.group(1)
        return text(vars_[name]) if name in vars_ else m.group(0)

    return _HOLE.sub(fill, MESSAGES[code])


def text(value):
    """A var's English text: a nested word rendered, {"en", "ko"} its English, else str()."""
    if isinstance(value, dict) and "code" in value:
        return render(value["code"], value.get("vars"))
    if isinstance(value, dict) and "en" in value:
        return str(value["en"])
    return str(value)
