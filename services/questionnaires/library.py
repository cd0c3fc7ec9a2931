"""The questionnaires an organisation uses: the built-in ones, and the versions its curators
upload. The newest version of each questionnaire (an organisation's own, else the built-in one)
is the one people are asked from then on; older versions stay, with the answers given to them."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Questionnaire, QuestionnaireResponse
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import QuestionnaireProblem, QuestionnaireUnavailable
from services.core.identity import AccountKey
from services.core.transactions import Transactions
from services.questionnaires.schema import (
    DefinitionInvalid,
    Problem,
    QuestionnaireDefinition,
    dump,
    parse,
)

BUILTIN_PACKAGE = "services.questionnaires.builtin"


@dataclass(frozen=True, slots=True)
class StoredDefinition:
    """One stored version: its row (what answers point at) and the definition."""

    row_id: int
    organisation_id: int | None  # None: built in
    definition: QuestionnaireDefinition
    created_at: datetime

    @property
    def builtin(self) -> bool:
        return self.organisation_id is None


@dataclass(frozen=True, slots=True)
class ListedQuestionnaire:
    current: StoredDefinition
    versions: int  # stored versions this organisation can see, built-in included
    answered: int  # submitted answers in this organisation, to any version


@functools.cache
def builtin_definitions() -> tuple[tuple[QuestionnaireDefinition, str], ...]:
    """Every built-in definition with its file's content (read and checked once a process)."""
    folder = resources.files(BUILTIN_PACKAGE)
    found = []
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".yaml"):
            source = entry.read_text(encoding="utf-8")
            found.append((parse(source, entry.name), source))
    return tuple(found)


def stored_definition(row: Questionnaire) -> StoredDefinition:
    return StoredDefinition(
        row_id=row.id,
        organisation_id=row.organisation_id,
        definition=QuestionnaireDefinition.model_validate(row.definition),
        created_at=row.created_at,
    )


async def _visible(
    session: AsyncSession, organisation_id: int, code: str | None = None
) -> list[Questionnaire]:
    """Rows an organisation can use: its own and the built-in ones, newest version first."""
    query = select(Questionnaire).where(
        (Questionnaire.organisation_id == organisation_id) | Questionnaire.organisation_id.is_(None)
    )
    if code is not None:
        query = query.where(Questionnaire.code == code)
    rows = (await session.scalars(query)).all()
    # The organisation's own version wins a tie with a built-in one.
    return sorted(
        rows, key=lambda row: (row.version, row.organisation_id is not None), reverse=True
    )


async def current_definition(
    session: AsyncSession, organisation_id: int, code: str
) -> StoredDefinition:
    rows = await _visible(session, organisation_id, code)
    if not rows:
        raise QuestionnaireUnavailable(QuestionnaireProblem.UNKNOWN)
    return stored_definition(rows[0])


class QuestionnaireLibrary:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def install_builtins(self) -> int:
        """Store each built-in definition not stored yet (a release may bring a new version);
        returns how many were added. Run at start-up."""
        added = 0
        async with self._transactions.write() as session:
            known = set(
                (
                    await session.execute(
                        select(Questionnaire.code, Questionnaire.version).where(
                            Questionnaire.organisation_id.is_(None)
                        )
                    )
                ).all()
            )
            for definition, source in builtin_definitions():
                if (definition.id, definition.version) in known:
                    continue
                session.add(self._row(definition, source, None, None))
                added += 1
        return added

    async def stored(self) -> list[StoredDefinition]:
        """Every stored version, for the form engine to know them after a restart."""
        async with self._transactions.read() as session:
            return [stored_definition(row) for row in await session.scalars(select(Questionnaire))]

    async def listing(self, actor_id: int, organisation_id: int) -> list[ListedQuestionnaire]:
        """The questionnaires the organisation uses, by title (curator of the organisation)."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            rows = await _visible(session, organisation_id)
            answered = dict(
                (
                    await session.execute(
                        select(Questionnaire.code, func.count(QuestionnaireResponse.id))
                        .join(QuestionnaireResponse)
                        .where(
                            QuestionnaireResponse.organisation_id == organisation_id,
                            QuestionnaireResponse.submitted_at.is_not(None),
                        )
                        .group_by(Questionnaire.code)
                    )
                ).all()
            )
        by_code: dict[str, list[Questionnaire]] = {}
        for row in rows:
            by_code.setdefault(row.code, []).append(row)
        listed = [
            ListedQuestionnaire(
                stored_definition(versions[0]), len(versions), int(answered.get(code, 0))
            )
            for code, versions in by_code.items()
        ]
        return sorted(listed, key=lambda item: item.current.definition.title.ru.casefold())

    async def current(self, organisation_id: int, code: str) -> StoredDefinition:
        async with self._transactions.read() as session:
            return await current_definition(session, organisation_id, code)

    async def for_curator(self, actor_id: int, organisation_id: int, code: str) -> StoredDefinition:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            return await current_definition(session, organisation_id, code)

    async def source(self, actor_id: int, organisation_id: int, code: str) -> tuple[str, str]:
        """The current version as a file to edit: (file name, YAML). An uploaded version comes
        back as it was uploaded, comments included."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            rows = await _visible(session, organisation_id, code)
            if not rows:
                raise QuestionnaireUnavailable(QuestionnaireProblem.UNKNOWN)
            row = rows[0]
            return f"{row.code}.v{row.version}.yaml", row.source

    async def upload(
        self, actor_id: int, organisation_id: int, content: bytes, file_name: str
    ) -> StoredDefinition:
        """A new questionnaire, or a new version of one, for the organisation. Raises
        DefinitionInvalid with every problem found (the version must be above the current one)."""
        definition = parse(content, file_name)
        source = content.decode("utf-8-sig")
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            rows = await _visible(session, organisation_id, definition.id)
            if rows and rows[0].version >= definition.version:
                raise DefinitionInvalid(
                    [
                        Problem(
                            file_name,
                            "version_not_newer",
                            ("version",),
                            context={"current": rows[0].version},
                            message=f"the version must be above {rows[0].version}",
                        )
                    ]
                )
            row = self._row(definition, source, organisation_id, actor_id, now)
            session.add(row)
            await session.flush()
            audit.record(
                session,
                at=now,
                action="questionnaire.uploaded",
                actor_id=actor_id,
                organisation_id=organisation_id,
                questionnaire=definition.id,
                version=definition.version,
            )
            return stored_definition(row)

    def _row(
        self,
        definition: QuestionnaireDefinition,
        source: str,
        organisation_id: int | None,
        actor_id: int | None,
        now: datetime | None = None,
    ) -> Questionnaire:
        return Questionnaire(
            organisation_id=organisation_id,
            code=definition.id,
            version=definition.version,
            audience=definition.audience.value,
            definition=definition.model_dump(mode="json"),
            source=source or dump(definition),
            uploaded_by_id=actor_id,
            created_at=now or self._clock.now(),
        )
