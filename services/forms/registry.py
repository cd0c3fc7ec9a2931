"""The forms the engine can ask, by id. Forms written in code register here when their module is
imported; a questionnaire a curator uploads will be looked up from its table the same way."""

from __future__ import annotations

from services.forms.definitions import FormSpec

_FORMS: dict[str, FormSpec] = {}


def register(spec: FormSpec) -> FormSpec:
    if _FORMS.get(spec.id, spec) != spec:
        raise ValueError(f"form {spec.id!r} is registered twice")
    _FORMS[spec.id] = spec
    return spec


def form(form_id: str) -> FormSpec | None:
    return _FORMS.get(form_id)
