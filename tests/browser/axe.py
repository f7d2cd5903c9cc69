"""axe-core (vendored in static/vendor/axe.min.js, pinned in VERSIONS.txt) run inside the page.

The page's CSP allows same-origin scripts only, so the vendored file is added as a script tag by
URL; no page of the app references it.
"""

AXE_URL = "/static/vendor/axe.min.js"
SEVERE = ("serious", "critical")


def run_axe(page, context="body"):
    """axe's violations on `context` (a CSS selector), each as {id, impact, help, targets}."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(url=page.base_url + AXE_URL)
    return page.evaluate(
        """async (sel) => {
          const r = await window.axe.run(document.querySelector(sel), {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'best-practice']},
            resultTypes: ['violations'],
            // no CSSOM preload: it re-fetches @imported sheets relative to the page (404s)
            // and injects inline styles the page's CSP rightly refuses
            preload: false,
          });
          return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 8).map((n) => n.target.join(' ') + ' :: '
              + n.failureSummary.split('\\n').slice(1, 2).join(''))}));
        }""",
        context,
    )


def severe(violations):
    return [v for v in violations if v["impact"] in SEVERE]


def describe(violations):
    return "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in violations
    )
