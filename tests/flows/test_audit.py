"""/audit: a curator reads their organisation's audit log, the superadmin every organisation's;
filtered by period, kind and "only mine"; anyone else is refused, and a forged button for another
organisation changes nothing."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.helpers import create_organisation, curator_invite, join_with_consent, make_curator


async def test_the_curator_reads_their_organisations_log(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    teacher = person(4001)
    await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))

    [log] = await curator.send("/audit")

    assert "Журнал действий: МБОУ «СОШ № 7»" in log
    assert "за неделю · все действия" in log
    assert "приглашения: invite.created" in log
    assert "согласия: consent" in log
    assert "бот: согласия: consent.version_published" in log
    assert "участник № 3: согласия: consent.agreed" in log  # no name given yet
    [mine] = await curator.click("👤 Только мои действия")
    assert "только мои действия" in mine
    assert "consent.agreed" not in mine  # the teacher's, not mine
    [pairs] = await curator.click("пары")
    assert "За этот период ничего не записано." in pairs
    assert "✓ пары" in curator.buttons()


async def test_the_superadmin_sees_every_organisation_and_others_are_refused(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    await create_organisation(superadmin, name="МБДОУ «Детский сад № 3»")
    teacher = person(4001)
    await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))
    await teacher.send("/cancel")
    superadmin.new_texts()

    [log] = await superadmin.send("/audit")
    assert "Журнал действий: все организации" in log
    assert "(МБДОУ «Детский сад № 3»)" in log
    assert "(МБОУ «СОШ № 7»)" in log

    [refused] = await teacher.send("/audit")
    assert refused == "Это вам недоступно."
    # The curator of one organisation forging the other's id.
    [forged] = await curator.press("au:2:7::0:0")
    assert forged == "Это вам недоступно."
