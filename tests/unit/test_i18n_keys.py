"""Every string the page builds in code has its text in both catalogs (static/i18n/<lang>.json).

tests/browser/test_i18n.py holds ko.json to en.json's keys and placeholders; this holds the code
to the catalogs: each literal key passed to t() / tHtml() / has() or named by a data-i18n*
attribute (front-end modules and page templates) is in en.json, each key built from a template
(`hint.${code}`, `status.${label}`...) has its family there, and the families whose members the
server decides (advice codes, lesson step kinds) have one key per member.
"""

import json
import re
from pathlib import Path

from app.lessons import schema as lesson_schema
from app.topology.advice import MESSAGES
from app.web.notices import TEXTS as NOTICES

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'(?<![\w.$])(?:t|tHtml|has)\(\s*"([^"]+)"')
ATTR = re.compile(r'data-i18n(?:-html|-title|-aria-label|-placeholder)?="([^"$]+)"')
BUILT = re.compile(r"(?<![\w.$])(?:t|tHtml|has)\(\s*`([\w.-]*)\$\{")
HOLES = re.compile(r"\{(\w+)\}")


def _catalog(lang):
    return json.loads((ROOT / "static" / "i18n" / f"{lang}.json").read_text("utf-8"))


def _sources():
    files = sorted((ROOT / "static" / "js").rglob("*.js")) + sorted(
        (ROOT / "templates").rglob("*.html")
    )
    for path in files:
        # Comment lines document t() with made-up keys ("key"): only code counts.
        code = "\n".join(
            line
            for line in path.read_text("utf-8").splitlines()
            if not line.lstrip().startswith("//")
        )
        yield path.relative_to(ROOT), code


def _known(catalog, key):
    # A key with plural forms lives as key.one / key.other.
    return key in catalog or f"{key}.one" in catalog and f"{key}.other" in catalog


def test_every_literal_key_in_code_and_templates_has_a_text_in_both_languages():
    en, ko = _catalog("en"), _catalog("ko")
    seen, missing = 0, []
    for path, code in _sources():
        for key in [m.group(1) for m in LITERAL.finditer(code)] + ATTR.findall(code):
            seen += 1
            if not (_known(en, key) and _known(ko, key)):
                missing.append(f"{path}: {key}")
    assert seen > 300  # the scan reads the real modules
    assert missing == []


def test_every_key_built_from_a_template_has_its_family_in_both_languages():
    en, ko = _catalog("en"), _catalog("ko")
    prefixes = {m.group(1) for _, code in _sources() for m in BUILT.finditer(code)}
    assert {"hint.", "status.", "state.", "seq.a.", "know.why."} <= prefixes
    for prefix in prefixes:
        if not prefix:  # `${a}.${b}`: a map key, not a catalog key
            continue
        assert any(k.startswith(prefix) for k in en), prefix
        assert any(k.startswith(prefix) for k in ko), prefix


def test_families_the_server_decides_have_one_key_per_member():
    en, ko = _catalog("en"), _catalog("ko")
    for code, message in MESSAGES.items():
        key = f"hint.{code}"
        assert key in en and key in ko, key
        # The page fills the same vars the server's English message names (node, socket, type...).
        assert set(HOLES.findall(en[key])) <= set(HOLES.findall(message)), key
        assert sorted(HOLES.findall(ko[key])) == sorted(HOLES.findall(en[key])), key
    for kind in lesson_schema.STEP_KINDS:
        key = f"learn.kind.{kind}"
        assert key in en and key in ko, key
    for key, message in NOTICES.items():
        page_key = f"notice.{key}"
        assert page_key in en and page_key in ko, page_key
        # the same holes as the server's English: the page fills them from the notice's vars
        assert sorted(HOLES.findall(en[page_key])) == sorted(HOLES.findall(message)), key
        assert sorted(HOLES.findall(ko[page_key])) == sorted(HOLES.findall(message)), key
