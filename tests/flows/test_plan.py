"""/plan, the development plan: goals and tasks written by the pair, the task form with its bad
input, the assignee's reminders in the organisation's zone and window (Asia/Krasnoyarsk, UTC+7),
done → returned → done → checked, overdue tasks, forged buttons, and an ended pair's plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.app import Application
from bot.telegram.callbacks import PlanCallback, TaskCallback
from models import (
    AuditEntry,
    ChangeReason,
    Notification,
    NotificationStatus,
    PlanGoal,
    PlanTask,
    TaskAssignee,
    TaskStatus,
)
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import Pairing, deliver, last_buttons, programme

MENTEE = "Иванова Анна Петровна"
MENTOR = "Петров Сергей Иванович"
NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."
ENDED = "Эта пара уже завершена."
ADD_GOAL = "🎯 Добавить цель"
ADD_TASK = "➕ Добавить задачу"
TEXT_PLEASE = "Пожалуйста, ответьте текстом."
COMMAND_INSIDE = "Эта команда не работает внутри анкеты."
TOMORROW = "Завтра, 10.09.2026, срок задачи из вашего плана развития"
TODAY = "Сегодня, 10.09.2026, срок задачи из вашего плана развития"
# 09:00 in Krasnoyarsk (UTC+7), when the organisation's sending window opens.
WINDOW_OPENS_9_SEPT = datetime(2026, 9, 9, 2, 0, tzinfo=UTC)
WINDOW_OPENS_10_SEPT = datetime(2026, 9, 10, 2, 0, tzinfo=UTC)


def move_to(clock: FakeClock, moment: datetime) -> None:
    assert clock.now() <= moment, "time only goes forward"
    clock.advance(seconds=(moment - clock.now()).total_seconds())


def mentions(texts: list[str], fragment: str) -> int:
    return sum(fragment in text for text in texts)


async def paired(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> tuple[Pairing, int]:
    setup = await programme(app, superadmin, person)
    pair_id = await setup.pair(setup.mentee, setup.mentor)
    await deliver(sender, setup.mentee, setup.mentor)
    return setup, pair_id


async def tasks_of(app: Application, pair_id: int) -> list[PlanTask]:
    async with app.database.read() as db:
        return list(
            (
                await db.scalars(
                    select(PlanTask).where(PlanTask.pair_id == pair_id).order_by(PlanTask.id)
                )
            ).all()
        )


async def reminders(app: Application, task_id: int) -> dict[str, NotificationStatus]:
    """The task's reminders by which one ("before", "on_day") with their state."""
    async with app.database.read() as db:
        rows = (
            await db.scalars(
                select(Notification).where(
                    Notification.kind == "task_due",
                    Notification.dedupe_key.startswith(f"task_due:{task_id}:"),
                )
            )
        ).all()
    return {row.dedupe_key.split(":")[3]: row.status for row in rows}


async def test_mentor_writes_the_plan_and_the_mentee_is_reminded_in_the_window(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, pair_id = await paired(app, superadmin, person, sender)
    mentee, mentor = setup.mentee, setup.mentor

    [text] = await mentor.send("/plan")
    assert "Индивидуальный план развития" in text
    assert f"Наставляемый: {MENTEE}" in text
    assert "План пока пуст" in text
    assert mentor.buttons() == [ADD_GOAL, ADD_TASK]

    # A goal, with bad titles first.
    [prompt] = await mentor.click(ADD_GOAL)
    assert "Новая цель плана" in prompt
    [reply] = await mentor.send("   ")
    assert reply.startswith("Слишком коротко")
    [reply] = await mentor.send("ок")
    assert reply.startswith("Слишком коротко")
    [reply] = await mentor.send("ц" * 301)
    assert reply.startswith("Слишком длинно: не больше 300 символов.")
    [reply] = await mentor.send_photo()
    assert reply.startswith(TEXT_PLEASE)
    [reply] = await mentor.send_sticker()
    assert reply.startswith(TEXT_PLEASE)
    [reply] = await mentor.send("/mypairs")
    assert reply.startswith(COMMAND_INSIDE)
    async with app.database.read() as db:
        assert (await db.scalars(select(PlanGoal))).all() == []
    [text] = await mentor.send("Освоить <b>формирующее</b> оценивание")
    assert text.startswith(f"🎯 Цель добавлена. Я сообщил участнику: {MENTEE}.")
    assert "🎯 <b>Освоить &lt;b&gt;формирующее&lt;/b&gt; оценивание</b>" in text
    assert "задач пока нет" in text

    # A task: the title, a bad date or three, Back, who does it, the goal.
    [prompt] = await mentor.click(ADD_TASK)
    assert "Новая задача плана" in prompt
    [prompt] = await mentor.send("Посетить два урока наставника & записать приёмы")
    assert "К какому сроку?" in prompt
    assert "не позже чем через год" in prompt
    assert "<i>Вопрос 2 из 4</i>" in prompt  # the engine's progress (there is a goal to choose)
    assert mentor.buttons() == ["Через неделю", "Через две недели", "Без срока", "« Назад"]
    [reply] = await mentor.send("завтра")
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [reply] = await mentor.send("31.02.2026")
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [reply] = await mentor.send("31.08.2026")
    assert reply.startswith("Эта дата уже прошла.")
    [reply] = await mentor.send("02.09.2027")
    assert reply.startswith("Срок — не дальше чем через год.")
    [reply] = await mentor.send_photo()
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [prompt] = await mentor.click("« Назад")
    assert "Что нужно сделать?" in prompt
    [prompt] = await mentor.send("Посетить два урока наставника & записать приёмы")
    assert "К какому сроку?" in prompt
    [prompt] = await mentor.send("10.09.2026")
    assert "Кто выполняет?" in prompt
    assert mentor.buttons() == [f"Наставляемый: {MENTEE}", f"Наставник: {MENTOR}", "« Назад"]
    [reply] = await mentor.send("наставляемый")
    assert reply.startswith("Пожалуйста, воспользуйтесь кнопками ниже.")
    await mentor.click(f"Наставляемый: {MENTEE}")
    assert mentor.buttons() == [
        "🎯 Освоить <b>формирующее</b> оценивание",
        "Без цели",
        "« Назад",
    ]
    [prompt] = await mentor.click("« Назад")
    assert "Кто выполняет?" in prompt
    await mentor.click(f"Наставляемый: {MENTEE}")
    [text] = await mentor.click("🎯 Освоить <b>формирующее</b> оценивание")
    assert text.startswith(f"➕ Задача добавлена. Я сообщил участнику: {MENTEE}.")
    assert "⏳ 1. Посетить два урока наставника &amp; записать приёмы" in text
    assert f"до 10.09.2026 · {MENTEE}" in text
    [task] = await tasks_of(app, pair_id)
    assert (task.title, task.due_on, task.assignee, task.status) == (
        "Посетить два урока наставника & записать приёмы",
        date(2026, 9, 10),
        TaskAssignee.MENTEE,
        TaskStatus.OPEN,
    )
    assert task.goal_id is not None
    # The pressed form message lost its buttons; the fresh plan has the mentor's own.
    assert mentor.buttons() == [ADD_GOAL, ADD_TASK]

    [news] = await deliver(sender, mentee)
    assert mentions(news, f"{MENTOR} добавляет цель в ваш индивидуальный план развития") == 1
    [added] = [text for text in news if "добавляет задачу" in text]
    assert "Срок — 10.09.2026. Выполняете вы." in added
    assert "Посетить два урока наставника &amp; записать приёмы" in added

    [text] = await mentee.send("/plan")
    assert f"Наставник: {MENTOR}" in text
    assert "до 10.09.2026 · вы" in text
    assert mentee.buttons() == [
        "✓ Готово · 1. Посетить два урока наставни…",
        ADD_GOAL,
        ADD_TASK,
    ]

    # "Tomorrow" at 09:00 Krasnoyarsk on 9 September, not a second earlier, and only once.
    assert await reminders(app, task.id) == {
        "before": NotificationStatus.PENDING,
        "on_day": NotificationStatus.PENDING,
    }
    move_to(clock, WINDOW_OPENS_9_SEPT - timedelta(seconds=1))
    [early] = await deliver(sender, mentee)
    assert mentions(early, "срок задачи") == 0
    move_to(clock, WINDOW_OPENS_9_SEPT)
    [due] = await deliver(sender, mentee)
    [reminder] = [text for text in due if "срок задачи" in text]
    assert reminder.startswith(f"⏰ {TOMORROW}:")
    assert "<b>Посетить два урока наставника &amp; записать приёмы</b>" in reminder
    assert last_buttons(mentee) == ["✓ Готово", "📋 Открыть план"]
    clock.advance(hours=3)
    [later] = await deliver(sender, mentee)
    assert mentions(later, "срок задачи") == 0

    # "Today" at 09:00 on the due day, once.
    move_to(clock, WINDOW_OPENS_10_SEPT - timedelta(seconds=1))
    [early] = await deliver(sender, mentee)
    assert mentions(early, "срок задачи") == 0
    move_to(clock, WINDOW_OPENS_10_SEPT)
    [due] = await deliver(sender, mentee)
    assert mentions(due, TODAY) == 1
    clock.advance(days=1)
    [later] = await deliver(sender, mentee)
    assert mentions(later, "срок задачи") == 0
    assert await reminders(app, task.id) == {
        "before": NotificationStatus.SENT,
        "on_day": NotificationStatus.SENT,
    }


async def test_done_returned_done_checked_with_reminders_cancelled_and_revived(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, pair_id = await paired(app, superadmin, person, sender)
    mentee, mentor = setup.mentee, setup.mentor
    mentor_id = setup.id_of(mentor)
    await app.services.plans.add_task(
        mentor_id,
        pair_id,
        "Разработать технологическую карту урока",
        date(2026, 9, 10),
        TaskAssignee.MENTEE,
    )
    [task] = await tasks_of(app, pair_id)
    await deliver(sender, mentee)

    await mentee.send("/plan")
    [text] = await mentee.click("✓ Готово · 1. Разработать технологическую…")
    assert text.startswith(f"✓ Отмечено как выполненное. Я сообщил наставнику ({MENTOR})")
    assert "✓ 1. Разработать технологическую карту урока" in text
    assert "выполнено, ждёт проверки наставника" in text
    assert (await tasks_of(app, pair_id))[0].status == TaskStatus.DONE
    # Reminders not yet sent are cancelled.
    assert await reminders(app, task.id) == {
        "before": NotificationStatus.CANCELLED,
        "on_day": NotificationStatus.CANCELLED,
    }
    # The same Done again, and buttons pressed by the wrong person, change nothing.
    done = TaskCallback(task_id=task.id, action="done").pack()
    assert await mentee.press(done) == [STALE]
    assert await mentee.press(TaskCallback(task_id=task.id, action="check").pack()) == [
        NOT_AVAILABLE
    ]
    assert await mentee.press(TaskCallback(task_id=task.id, action="return").pack()) == [
        NOT_AVAILABLE
    ]
    assert await setup.curator.press(TaskCallback(task_id=task.id, action="check").pack()) == [
        NOT_AVAILABLE
    ]
    assert await mentor.press(done) == [NOT_AVAILABLE]
    assert await mentor.press(TaskCallback(task_id=999_999, action="check").pack()) == [STALE]
    assert (await tasks_of(app, pair_id))[0].status == TaskStatus.DONE

    [news] = await deliver(sender, mentor)
    [told] = [text for text in news if "отмечает задачу" in text]
    assert told.startswith(f"✓ {MENTEE} отмечает задачу плана развития выполненной:")
    assert last_buttons(mentor) == ["✅ Проверено", "↩️ Вернуть", "📋 Открыть план"]

    # Returned with a comment: bad comments first.
    [prompt] = await mentor.click("↩️ Вернуть")
    assert "Вернуть задачу «Разработать технологическую карту урока»" in prompt
    [reply] = await mentor.send_photo()
    assert reply.startswith(TEXT_PLEASE)
    [reply] = await mentor.send("/plan")
    assert reply.startswith(COMMAND_INSIDE)
    [reply] = await mentor.send("а")
    assert reply.startswith("Напишите наставляемому хотя бы пару слов.")
    [reply] = await mentor.send("к" * 501)
    assert reply.startswith("Слишком длинно: не больше 500 символов.")
    assert (await tasks_of(app, pair_id))[0].status == TaskStatus.DONE
    [text] = await mentor.send("Добавьте <i>рефлексию</i> в конце урока")
    assert text.startswith(
        f"↩️ Задача возвращена с вашим комментарием. Я сообщил участнику: {MENTEE}."
    )
    task = (await tasks_of(app, pair_id))[0]
    assert task.status == TaskStatus.RETURNED
    assert task.comment == "Добавьте <i>рефлексию</i> в конце урока"
    # The due date is still ahead: the reminders come back (the same rows, never a second one).
    assert await reminders(app, task.id) == {
        "before": NotificationStatus.PENDING,
        "on_day": NotificationStatus.PENDING,
    }

    [news] = await deliver(sender, mentee)
    [returned] = [text for text in news if "возвращает вам задачу" in text]
    assert returned.startswith(f"↩️ {MENTOR} возвращает вам задачу плана развития на доработку:")
    assert "Комментарий: Добавьте &lt;i&gt;рефлексию&lt;/i&gt; в конце урока" in returned
    assert last_buttons(mentee) == ["✓ Готово", "📋 Открыть план"]
    [text] = await mentee.send("/plan")
    assert "↩️ 1. Разработать технологическую карту урока" in text
    assert "возвращено наставником: Добавьте &lt;i&gt;рефлексию&lt;/i&gt; в конце урока" in text

    # Done again, from the notification itself; then checked.
    [text] = await mentee.click("✓ Готово")
    assert text.startswith("✓ Отмечено как выполненное.")
    assert await reminders(app, task.id) == {
        "before": NotificationStatus.CANCELLED,
        "on_day": NotificationStatus.CANCELLED,
    }
    [news] = await deliver(sender, mentor)
    assert mentions(news, "отмечает задачу плана развития выполненной") == 1
    await mentor.send("/plan")
    assert mentor.buttons() == [
        "✅ Проверено · 1. Разработать технологическую…",
        "↩️ Вернуть · 1",
        ADD_GOAL,
        ADD_TASK,
    ]
    [text] = await mentor.click("✅ Проверено · 1. Разработать технологическую…")
    assert text.startswith(f"✅ Проверено. Я сообщил участнику: {MENTEE}.")
    assert "✅ 1. Разработать технологическую карту урока" in text
    assert (await tasks_of(app, pair_id))[0].status == TaskStatus.CHECKED
    assert await mentor.press(TaskCallback(task_id=task.id, action="check").pack()) == [STALE]
    [news] = await deliver(sender, mentee)
    [checked] = [text for text in news if "засчитывает" in text]
    assert "Отличная работа!" in checked

    # Nothing is reminded about a finished task.
    move_to(clock, WINDOW_OPENS_10_SEPT + timedelta(hours=1))
    [later] = await deliver(sender, mentee)
    assert mentions(later, "срок задачи") == 0
    async with app.database.read() as db:
        actions = (
            await db.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.action.like("plan.%"))
                .order_by(AuditEntry.id)
            )
        ).all()
    assert actions == [
        "plan.task_added",
        "plan.task_done",
        "plan.task_returned",
        "plan.task_done",
        "plan.task_checked",
    ]


async def test_overdue_tasks_are_listed_for_the_pair(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, pair_id = await paired(app, superadmin, person, sender)
    mentee, mentor = setup.mentee, setup.mentor
    plans = app.services.plans
    mentee_id, mentor_id = setup.id_of(mentee), setup.id_of(mentor)
    await plans.add_task(
        mentee_id, pair_id, "Прочитать статью", date(2026, 9, 3), TaskAssignee.MENTEE
    )
    await plans.add_task(
        mentee_id, pair_id, "Прислать шаблон", date(2026, 9, 2), TaskAssignee.MENTOR
    )
    await plans.add_task(mentee_id, pair_id, "Без срока", None, TaskAssignee.MENTEE)
    await plans.add_task(
        mentor_id, pair_id, "Сделано вовремя", date(2026, 9, 2), TaskAssignee.MENTEE
    )
    tasks = await tasks_of(app, pair_id)
    await plans.mark_done(mentee_id, tasks[3].id)
    assert await plans.overdue(mentor_id, pair_id) == ()

    # 3 September 23:30 in Krasnoyarsk: "read the article" is due today, not overdue yet.
    move_to(clock, datetime(2026, 9, 3, 16, 30, tzinfo=UTC))
    overdue = await plans.overdue(mentor_id, pair_id)
    assert [task.title for task in overdue] == ["Прислать шаблон"]
    # Midnight there: now both open dated tasks are late; the done one and the undated are not.
    move_to(clock, datetime(2026, 9, 3, 17, 0, tzinfo=UTC))
    overdue = await plans.overdue(mentee_id, pair_id)
    assert [task.title for task in overdue] == ["Прислать шаблон", "Прочитать статью"]

    [text] = await mentor.send("/plan")
    section = text[text.index("⚠️ <b>Просрочено</b>") :]
    assert "Прислать шаблон — срок был 02.09.2026 · вы" in section
    assert f"Прочитать статью — срок был 03.09.2026 · {MENTEE}" in section
    assert "Сделано вовремя" not in section
    assert "до 03.09.2026 · Иванова Анна Петровна · ⚠️ просрочено" in text
    assert "⚠️ Просрочено (2)" in mentor.buttons()
    [text] = await mentor.click("⚠️ Просрочено (2)")
    assert text.startswith("⚠️ <b>Просрочено</b>")
    assert "Без срока" not in text
    assert mentor.buttons() == ["✓ Готово · 1. Прислать шаблон", "📋 Весь план"]
    [text] = await mentor.click("✓ Готово · 1. Прислать шаблон")
    assert text.startswith(f"✅ Отмечено как выполненное. Я сообщил участнику: {MENTEE}.")
    # The mentor's own task needs no check.
    overdue = await plans.overdue(mentee_id, pair_id)
    assert [task.title for task in overdue] == ["Прочитать статью"]
    assert (await tasks_of(app, pair_id))[1].status == TaskStatus.CHECKED
    [news] = await deliver(sender, mentee)
    assert mentions(news, f"{MENTOR} выполняет свою задачу из вашего плана развития") == 1
    [text] = await mentee.press(PlanCallback(pair_id=pair_id, action="overdue").pack())
    assert "3. Прочитать статью — срок был 03.09.2026 · вы" in text
    assert mentee.buttons() == ["✓ Готово · 3. Прочитать статью", "📋 Весь план"]


async def test_ended_pair_plan_is_read_only_and_outsiders_see_nothing(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
) -> None:
    setup = await programme(app, superadmin, person, mentees=2)
    mentee, other_mentee, mentor = setup.team.mentees[0], setup.team.mentees[1], setup.mentor
    pair_id = await setup.pair(mentee, mentor)
    other_pair = await setup.pair(other_mentee, mentor)
    await deliver(sender, mentee, other_mentee, mentor)
    mentee_id = setup.id_of(mentee)
    plans = app.services.plans
    await plans.add_goal(mentee_id, pair_id, "Наладить дисциплину на уроках")
    await plans.add_task(
        mentee_id, pair_id, "Прочитать статью", date(2026, 9, 10), TaskAssignee.MENTEE
    )
    [task] = await tasks_of(app, pair_id)

    # Someone else's pair: not theirs to see or change.
    show = PlanCallback(pair_id=pair_id, action="show").pack()
    assert await other_mentee.press(show) == [NOT_AVAILABLE]
    assert await other_mentee.press(PlanCallback(pair_id=pair_id, action="task").pack()) == [
        NOT_AVAILABLE
    ]
    assert await other_mentee.press(TaskCallback(task_id=task.id, action="done").pack()) == [
        NOT_AVAILABLE
    ]
    # The curator may read it, not write it.
    [text] = await setup.curator.press(show)
    assert f"{MENTOR} → {MENTEE}" in text
    assert last_buttons(setup.curator) == []
    assert await setup.curator.press(PlanCallback(pair_id=pair_id, action="goal").pack()) == [
        NOT_AVAILABLE
    ]

    # The mentor of two pairs chooses whose plan.
    [text] = await mentor.send("/plan")
    assert "Чей план открыть?" in text
    assert mentor.buttons() == [f"🌱 {MENTEE}", "🌱 Кузнецова Мария Олеговна"]
    [text] = await mentor.click(f"🌱 {MENTEE}")
    assert "Наладить дисциплину на уроках" in text
    assert other_pair != pair_id

    await app.services.pairs.end_early(setup.curator_id, pair_id, ChangeReason.OTHER)
    [text] = await mentee.send("/plan")
    assert "Пара завершена: план можно прочитать, но изменить уже нельзя." in text
    assert "Прочитать статью" in text
    assert last_buttons(mentee) == []
    assert await mentee.press(PlanCallback(pair_id=pair_id, action="task").pack()) == [ENDED]
    assert await mentee.press(PlanCallback(pair_id=pair_id, action="goal").pack()) == [ENDED]
    assert await mentee.press(TaskCallback(task_id=task.id, action="done").pack()) == [ENDED]
    assert (await tasks_of(app, pair_id))[0].status == TaskStatus.OPEN
    [text] = await mentor.send("/plan")
    assert mentor.buttons() == ["🌱 Кузнецова Мария Олеговна", f"🌱 {MENTEE} · завершена"]


async def test_english_journey_quick_date_for_the_mentor_without_goals(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup = await programme(app, superadmin, person, language_code="en")
    mentee, mentor = setup.mentee, setup.mentor
    pair_id = await setup.pair(mentee, mentor)
    await deliver(sender, mentee, mentor)

    [text] = await mentee.send("/plan")
    assert "<b>📋 Development plan</b>" in text
    assert f"Mentor: {MENTOR}" in text
    await mentee.click("➕ Add a task")
    [prompt] = await mentee.send("Send the lesson plan for 8B")
    assert "By when?" in prompt
    [prompt] = await mentee.click("In a week")
    assert "Who does it?" in prompt
    # No goals yet: the task is saved as soon as the assignee is chosen.
    [text] = await mentee.click(f"Mentor: {MENTOR}")
    assert text.startswith(f"➕ The task is added. I have told {MENTOR}.")
    assert f"until 08.09.2026 · {MENTOR}" in text
    [task] = await tasks_of(app, pair_id)
    assert (task.due_on, task.assignee, task.goal_id) == (
        date(2026, 9, 8),
        TaskAssignee.MENTOR,
        None,
    )

    [news] = await deliver(sender, mentor)
    [added] = [text for text in news if "has added a task" in text]
    assert f"{MENTEE} has added a task to your development plan:" in added
    assert "Due 08.09.2026. You do it." in added
    assert last_buttons(mentor) == ["📋 Open the plan"]

    # The mentor is reminded on Monday 7 September at 09:00 Krasnoyarsk.
    move_to(clock, datetime(2026, 9, 7, 2, 0, tzinfo=UTC))
    [due] = await deliver(sender, mentor)
    assert mentions(due, "Tomorrow, 08.09.2026, a task of your development plan is due:") == 1
    [text] = await mentor.click("✓ Done")
    assert text.startswith(f"✅ Marked done. I have told {MENTEE}.")
    assert "✅ 1. Send the lesson plan for 8B" in text
    assert await reminders(app, task.id) == {
        "before": NotificationStatus.SENT,
        "on_day": NotificationStatus.CANCELLED,
    }
    [news] = await deliver(sender, mentee)
    assert mentions(news, f"{MENTOR} has done their task of your development plan:") == 1
    move_to(clock, datetime(2026, 9, 8, 3, 0, tzinfo=UTC))
    [later] = await deliver(sender, mentor)
    assert mentions(later, "a task of your development plan is due") == 0


async def test_limits_no_date_stale_form_buttons_and_a_paused_pair(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
) -> None:
    setup, pair_id = await paired(app, superadmin, person, sender)
    mentee = setup.mentee
    mentee_id = setup.id_of(mentee)
    plans = app.services.plans
    await app.services.pairs.pause(mentee_id, pair_id, date(2026, 9, 10))

    # A paused pair still keeps its plan; reminders wait for the pause to end.
    await mentee.send("/plan")
    await mentee.click(ADD_TASK)
    await mentee.send("Составить список литературы")
    await mentee.click("Без срока")
    [text] = await mentee.click(f"Наставляемый: {MENTEE}")
    assert "без срока · вы" in text
    assert await mentee.press(PlanCallback(pair_id=pair_id, action="due").pack()) == [STALE]
    assert await mentee.press(PlanCallback(pair_id=pair_id, action="who", item_id=1).pack()) == [
        STALE
    ]
    await plans.add_task(
        mentee_id, pair_id, "Провести открытый урок", date(2026, 9, 10), TaskAssignee.MENTEE
    )
    tasks = await tasks_of(app, pair_id)
    assert tasks[0].due_on is None
    assert await reminders(app, tasks[0].id) == {}
    assert await reminders(app, tasks[1].id) == {"on_day": NotificationStatus.PENDING}

    # Goal buttons that are not in the form (forged, or of another pair) are refused.
    await plans.add_goal(mentee_id, pair_id, "Первая цель")
    await mentee.send("/plan")
    await mentee.click(ADD_TASK)
    await mentee.send("Ещё одна задача")
    await mentee.click("Через две недели")
    await mentee.click(f"Наставляемый: {MENTEE}")
    assert await mentee.press(
        PlanCallback(pair_id=pair_id, action="in_goal", item_id=999).pack()
    ) == [STALE]
    assert await mentee.press(
        PlanCallback(pair_id=pair_id + 1, action="in_goal", item_id=0).pack()
    ) == [STALE]
    [text] = await mentee.click("Без цели")
    assert "Ещё одна задача" in text
    assert len(await tasks_of(app, pair_id)) == 3

    # At most 10 goals and 50 tasks.
    for number in range(2, 11):
        await plans.add_goal(mentee_id, pair_id, f"Цель номер {number}")
    for number in range(4, 51):
        await plans.add_task(mentee_id, pair_id, f"Задача {number}", None, TaskAssignee.MENTEE)
    await mentee.send("/plan")
    assert ADD_GOAL not in mentee.buttons()
    assert ADD_TASK not in mentee.buttons()
    # Telegram allows at most 100 buttons: the first 20 tasks get theirs.
    assert len(mentee.buttons()) == 20
    assert await mentee.press(PlanCallback(pair_id=pair_id, action="goal").pack()) == [
        "В плане может быть не больше 10 целей."
    ]
    assert await mentee.press(PlanCallback(pair_id=pair_id, action="task").pack()) == [
        "В плане может быть не больше 50 задач."
    ]
    async with app.database.read() as db:
        goals = (await db.scalars(select(PlanGoal).where(PlanGoal.pair_id == pair_id))).all()
    assert len(goals) == 10
    assert len(await tasks_of(app, pair_id)) == 50
