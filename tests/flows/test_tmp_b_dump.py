from tests.flows.test_requests import *  # noqa

async def test_dump(app, superadmin, person, sender, clock):
    mentee, first, second, curator = person(3001), person(3002), person(3004), person(2001)
    team = await _cast(app, superadmin, curator, [(mentee, ProfileRole.MENTEE), (first, ProfileRole.MENTOR), (second, ProfileRole.MENTOR)])
    out = []
    out += await mentee.send("/request")
    out += await mentee.click("Методика преподавания")
    out += await mentee.click(DONE)
    out += await mentee.send("ok")
    out += await mentee.send(DIFFICULTY)
    out += await mentee.click(BACK)
    out += await mentee.send(DIFFICULTY)
    out += await mentee.send(HOPES)
    out += await mentee.click("Очно")
    out += await mentee.click("Традиционное (регулярные встречи несколько месяцев)")
    out += await mentee.click("Нет, только индивидуально")
    out += await mentee.click("В ближайшие две недели")
    out += await mentee.click(SUBMIT)
    out += await mentee.click(ASK.format(MENTOR))
    out += await mentee.send("/request")
    [offer] = await _offers(app)
    await app.services.offers.decline(team.id_of(first), offer.id, DeclineReason.NO_TIME)
    await sender.run_once()
    out += mentee.new_texts()
    out += await curator.send("/request_for")
    for t in out:
        print("-----\n" + t)
    assert False
