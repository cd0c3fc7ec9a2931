"""The fake Bot API's HTML check refuses what Telegram refuses and accepts what it accepts."""

from __future__ import annotations

import pytest

from tests.telegram_html import HtmlProblem, check_telegram_html


@pytest.mark.parametrize(
    "text",
    [
        "plain text",
        "<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>x</code> <pre>y</pre>",
        '<a href="https://t.me/bot?start=abc&amp;x=1">link</a>',
        '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
        "<blockquote expandable>q</blockquote>",
        "Школа &lt;№1&gt; &amp; &quot;Лицей&quot; &#39;x&#39; &#x27;",
        "a → b > c",
        "<b>Школа &lt;№1&gt; &amp; &#34;Лицей&#34;</b>",
    ],
)
def test_accepted(text: str) -> None:
    check_telegram_html(text)


@pytest.mark.parametrize(
    "text",
    [
        'Школа <№1> & "Лицей"',
        "Fish & chips",
        "<script>x</script>",
        "<b>open",
        "<b><i>crossed</b></i>",
        "</b>",
        '<span class="x">s</span>',
        '<b onclick="x">b</b>',
        "a < b",
        "&nbsp;",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(HtmlProblem):
        check_telegram_html(text)
