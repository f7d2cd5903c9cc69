"""Comments on the canvas: notes a person leaves beside the topology, kept in the document's
`view` part (`view.comments`), never run. Each is {"id", "x", "y", "text"}: an id like a node's,
the note's top-left corner in canvas coordinates, and its text. Problems name the comment and
the field ("topology: view.comments[1] (c2): text must be at most 1000 characters (got 1204)")."""

from .fields import is_number, show, string_field
from .limits import MAX_COORD, NODE_ID_RE
from .messages import word
from .problems import unknown_keys

MAX_COMMENTS = 50
MAX_COMMENT_TEXT = 1000  # characters
COMMENT_KEYS = ("id", "x", "y", "text")
_TEXT = string_field("Text", max_len=MAX_COMMENT_TEXT)
_ID = NODE_ID_RE  # fullmatch: an id like a node's


def check_comments(comments, out):
    """Add a problem to `out` for everything wrong in `view.comments`."""
    path = "view.comments"
    if not isinstance(comments, list):
        out.add(path, "comments.list", {"got": show(comments)}, field="comments")
        return
    if len(comments) > MAX_COMMENTS:
        vars_ = {"max": MAX_COMMENTS, "count": len(comments)}
        out.add(path, "comments.tooMany", vars_, field="comments")
        return
    seen = set()
    for i, c in enumerate(comments):
        where = f"{path}[{i}]"
        if not isinstance(c, dict):
            out.add(where, "comment.object", {"subject": where, "got": show(c)})
            continue
        cid = c.get("id")
        name = f"{where} ({cid})" if isinstance(cid, str) and _ID.fullmatch(cid) else where
        subject = word("w.inTopology", subject=name)
        unknown_keys(c, COMMENT_KEYS, where, subject, word("w.field"), out)
        if not (isinstance(cid, str) and _ID.fullmatch(cid)):
            out.add(
                f"{where}.id", "comment.idRule", {"subject": where, "got": show(cid)}, field="id"
            )
        elif cid in seen:
            out.add(f"{where}.id", "comment.duplicate", {"subject": name}, field="id")
        seen.add(cid)
        for axis in ("x", "y"):
            v = c.get(axis)
            if not (is_number(v) and abs(v) <= MAX_COORD):
                vars_ = {"subject": subject, "field": axis, "max": MAX_COORD, "got": show(v)}
                out.add(f"{where}.{axis}", "coord", vars_, field=axis)
        out.values(_TEXT, c.get("text"), f"{where}.text", subject, "text", field="text")
