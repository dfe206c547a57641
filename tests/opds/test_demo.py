from io import StringIO

from django.core.management import call_command

from opds import inventory
from opds.models import Application


def test_demo_inventory_loads_once_with_varied_records_and_a_duplicate_pair(db):
    call_command("load_demo", stdout=StringIO())
    counts = (Application.objects.count(), Application.history.count())
    call_command("load_demo", stdout=StringIO())
    assert (Application.objects.count(), Application.history.count()) == counts

    gunung_mas = Application.objects.filter(opd__region__code="62.10").for_list()
    assert gunung_mas.count() == 30
    assert gunung_mas.values("opd").distinct().count() >= 15
    assert Application.objects.filter(opd__region__code__in=["62.02", "62.71"]).count() == 6
    assert set(gunung_mas.values_list("developer", flat=True)) == {"in_house"}
    percents = {inventory.application_completeness(app).percent for app in gunung_mas}
    assert 100 in percents
    assert min(percents) < 50

    active = gunung_mas.exclude(status="inactive")
    pairs = {(pair.first.name, pair.second.name) for pair in inventory.likely_duplicates(active)}
    assert pairs == {("SIMASURAT DPRD", "E-Office Surat Elektronik")}
