"""HTML rendering: jinja2 with autoescape on, MathML from m4ml's own LaTeX, a strict CSP.

Everything that may come from data (column names, levels, labels, numbers) goes through
jinja2's autoescaping. The only markup marked safe is the MathML that latex2mathml builds from
formulas written in m4ml's source (never from data).
"""

from functools import lru_cache

__all__ = ["CSP", "mathml", "render"]

#: no scripts at all, images only from data: URIs, inline styles only, nothing fetched
CSP = (
    "default-src 'none'; script-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)


@lru_cache(maxsize=512)
def _convert(latex):
    from latex2mathml.converter import convert

    return convert(latex, display="block")


def mathml(latex):
    """The MathML of a trusted LaTeX formula, as markup jinja2 will not escape."""
    from markupsafe import Markup

    return Markup(_convert(latex))  # trusted: formulas come from m4ml's source only


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("m4ml.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["mathml"] = mathml
    return env


def render(template, **context):
    """Render ``templates/<template>`` with ``context`` (autoescaped) and the CSP."""
    return _environment().get_template(template).render(csp=CSP, **context)
