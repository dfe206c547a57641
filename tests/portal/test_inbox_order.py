import datetime

from egov_portal.inbox import Item, sort_items

TODAY = datetime.date(2026, 6, 15)


def item(title, **kwargs):
    return Item(kind="test", title=title, url="/", **kwargs)


def test_overdue_items_come_first_then_by_due_date_then_the_longest_waiting():
    items = [
        item("no date"),
        item("waiting a week", waiting_since=TODAY - datetime.timedelta(days=7)),
        item("due in a month", due=TODAY + datetime.timedelta(days=30)),
        item("waiting a year", waiting_since=TODAY - datetime.timedelta(days=365)),
        item("overdue a day", due=TODAY - datetime.timedelta(days=1)),
        item("due tomorrow", due=TODAY + datetime.timedelta(days=1)),
        item("overdue a month", due=TODAY - datetime.timedelta(days=30)),
    ]
    assert [i.title for i in sort_items(items, today=TODAY)] == [
        "overdue a month",
        "overdue a day",
        "due tomorrow",
        "due in a month",
        "waiting a year",
        "waiting a week",
        "no date",
    ]


def test_priority_breaks_a_tie_between_equally_urgent_items():
    items = [item("b low", priority=0), item("a high", priority=2), item("c mid", priority=1)]
    assert [i.title for i in sort_items(items, today=TODAY)] == ["a high", "c mid", "b low"]


def test_an_item_due_today_is_not_overdue():
    due_today = item("today", due=TODAY)
    assert not due_today.is_overdue(TODAY)
    assert due_today.days_left(TODAY) == 0
    assert item("late", due=TODAY - datetime.timedelta(days=3)).days_overdue(TODAY) == 3
