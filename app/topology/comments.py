"""Comments on the canvas: notes a person leaves beside the topology, kept in the document's
`view` part (`view.comments`), never run. Each is {"id", "x", "y", "text"}: an id like a node's,
the note's top-left corner in canvas coordinates, and its text. Problems name the comment and
the field ("topology: view.comments[1] (c2): text must be at most 1000 characters (got 1204)")."""

from .fields import is_number, show, string_field, string_problem
from .limits import MAX_COORD, NODE_ID_RE
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
        out.add(
            path,
            f"topology: {path} must be a list of comments (got {show(comments)})",
            field="comments",
        )
        return
    if len(comments) > MAX_COMMENTS:
        out.add(
            path,
            f"topology: {path} may hold at most {MAX_COMMENTS} comments (got {len(comments)})",
            field="comments",
        )
        return
    seen = set()
    for i, c in enumerate(comments):
        where = f"{path}[{i}]"
        if not isinstance(c, dict):
            out.add(
                where, f"topology: {where} must be an object {{id, x, y, text}} (got {show(c)})"
            )
            continue
        cid = c.get("id")
        name = f"{where} ({cid})" if isinstance(cid, str) and _ID.fullmatch(cid) else where
        unknown_keys(c, COMMENT_KEYS, where, f"topology: {name}", "field", out)
        if not (isinstance(cid, str) and _ID.fullmatch(cid)):
            out.add(
                f"{where}.id",
                f"topology: {where}: id must be a letter then up to 39 letters, digits, _ or - "
                f"(got {show(cid)})",
                field="id",
            )
        elif cid in seen:
            out.add(f"{where}.id", f"topology: {name}: id is used by another comment", field="id")
        seen.add(cid)
        for axis in ("x", "y"):
            v = c.get(axis)
            if not (is_number(v) and abs(v) <= MAX_COORD):
                out.add(
                    f"{where}.{axis}",
                    f"topology: {name}: {axis} must be a number between -{MAX_COORD} and "
                    f"{MAX_COORD} (got {show(v)})",
                    field=axis,
                )
        problem = string_problem(_TEXT, c.get("text"))
        if problem:
            out.add(f"{where}.text", f"topology: {name}: text {problem}", field="text")
