"""Comments on the canvas (view.comments): valid ones pass and survive normalize(); each broken
one is refused with a problem naming the comment and its field."""

from topo_helpers import valid_doc

from app.topology.comments import MAX_COMMENT_TEXT, MAX_COMMENTS
from app.topology.document import normalize
from app.topology.validate import validate


def _with(comments):
    doc = valid_doc()
    doc["view"] = {"x": 0, "y": 0, "k": 1, "comments": comments}
    return doc


def _problems(comments):
    return [(p["path"], p["field"], p["message"]) for p in validate(_with(comments))]


def test_valid_comments_pass_and_are_kept():
    comments = [
        {"id": "c1", "x": 10, "y": -20.5, "text": "PUSH deals round robin"},
        {"id": "note-2", "x": 0, "y": 0, "text": "워커가 느리면 큐가 찹니다\n두 번째 줄"},
    ]
    assert validate(_with(comments)) == []
    assert normalize(_with(comments))["view"]["comments"] == comments
    assert validate(_with([])) == []


def test_each_broken_comment_is_named_with_its_field():
    got = _problems(
        [
            {"id": "c1", "x": 1, "y": 2, "text": "ok"},
            {"id": "c1", "x": "a", "y": 2, "text": "x" * (MAX_COMMENT_TEXT + 1), "color": "red"},
            7,
            {"id": "9z", "x": 0, "y": 0, "text": 5},
        ]
    )
    assert (
        "view.comments[1].color",
        "color",
        "topology: view.comments[1] (c1): unknown field 'color' (fields: id, x, y, text)",
    ) in got
    assert (
        "view.comments[1].id",
        "id",
        "topology: view.comments[1] (c1): id is used by another comment",
    ) in got
    assert (
        "view.comments[1].x",
        "x",
        "topology: view.comments[1] (c1): x must be a number between -1000000 and 1000000 "
        "(got 'a')",
    ) in got
    assert (
        "view.comments[1].text",
        "text",
        f"topology: view.comments[1] (c1): text must be at most {MAX_COMMENT_TEXT} characters "
        f"(got {MAX_COMMENT_TEXT + 1})",
    ) in got
    assert (
        "view.comments[2]",
        None,
        "topology: view.comments[2] must be an object {id, x, y, text} (got 7)",
    ) in got
    assert any(p == "view.comments[3].id" and f == "id" for p, f, _ in got)
    assert (
        "view.comments[3].text",
        "text",
        "topology: view.comments[3]: text must be a string (got 5)",
    ) in got
    assert len(got) == 7


def test_too_many_comments_or_not_a_list():
    many = [{"id": f"c{i}", "x": 0, "y": 0, "text": "n"} for i in range(MAX_COMMENTS + 1)]
    assert _problems(many) == [
        (
            "view.comments",
            "comments",
            f"topology: view.comments may hold at most {MAX_COMMENTS} comments "
            f"(got {MAX_COMMENTS + 1})",
        )
    ]
    assert _problems({"c1": "x"}) == [
        (
            "view.comments",
            "comments",
            "topology: view.comments must be a list of comments (got an object)",
        )
    ]
