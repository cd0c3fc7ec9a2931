"""The one way text from data gets into a message sent with parse_mode=HTML.

Telegram refuses a whole message when a name like `Школа <№1> & "Лицей"` is pasted into its
HTML unescaped, so nothing a person typed may reach a message text as a plain `str`: either a
Jinja2 template renders it (`Texts.render`, autoescaped), or it goes through `format_html` here,
which escapes every argument and trusts only the template (a catalog string the project wrote).
`Html` marks text that is already safe, so escaping it again changes nothing.
"""

from __future__ import annotations

from markupsafe import Markup
from markupsafe import escape as _escape

Html = Markup


def escape(value: object) -> Html:
    """`value` as HTML text: `<`, `>`, `&` and quotes become entities; `Html` stays as it is."""
    return _escape(value)


def format_html(template: str, /, *args: object, **values: object) -> Html:
    """Fill a trusted template: `{name}` (str.format) or `%(name)s` placeholders with escaped
    values. The template's own tags (`<b>` in a catalog string) are kept."""
    # The template is the project's own text (a catalog msgid/msgstr), never a person's.
    if "%(" in template and not args:
        return Markup(template) % values  # noqa: S704
    return Markup(template).format(*args, **values)  # noqa: S704
