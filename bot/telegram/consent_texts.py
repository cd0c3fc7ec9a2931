"""The consent document rendered from its template, for the consent service."""

from __future__ import annotations

from bot.telegram.texts import Texts
from services.people.consent import ConsentContext


class TemplateConsentTexts:
    def __init__(self, texts: Texts) -> None:
        self._texts = texts

    def render_consent(self, context: ConsentContext, locale: str) -> str:
        return self._texts.render_in(
            locale,
            "consent/document.j2",
            operator=context.organisation_name,
            address=context.address,
            years=context.retention_years,
        )
