"""The English catalogue check finds a label given another meaning's English."""

import polib

from egov_portal.translations import Label, field_labels, label_clashes


def catalogue(*entries):
    """A small .po catalogue: entries are (msgid, English) or (context, msgid, English)."""
    po = polib.POFile()
    for entry in entries:
        context, msgid, english = entry if len(entry) == 3 else (None, *entry)
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=english))
    return po


def test_the_labels_come_from_models_forms_and_filters_with_their_context():
    labels = field_labels()
    assert Label("assessments.Level", "descriptor", "level", "deskripsi") in labels
    assert Label("opds.Application", "description", "", "deskripsi") in labels
    assert Label("opds.forms.ApplicationForm", "description", "", "deskripsi") in labels
    assert Label("opds.forms.HistoryFilterForm", "since", "", "Dari tanggal") in labels
    assert Label("opds.filters.OPDListFilter", "q", "", "Cari") in labels
    # A history model repeats its record's fields; it is not listed twice.
    assert not [label for label in labels if ".Historical" in label.where]


def test_an_application_description_translated_descriptor_is_reported():
    po = catalogue(
        ("deskripsi", "descriptor"),
        ("level", "deskripsi", "descriptor"),
        ("Deskripsi", "Description"),
    )
    assert label_clashes(po, field_labels()) == [
        "'deskripsi' (context 'level') is translated 'descriptor', the English of the field "
        "label 'deskripsi' (opds.Application.description)",
        "'deskripsi' is translated 'descriptor', the name of another field, but labels "
        "opds.Application.description",
    ]


def test_a_heading_given_the_english_of_another_meaning_is_reported():
    po = catalogue(
        ("deskripsi", "description"),
        ("level", "deskripsi", "descriptor"),
        ("Deskripsi", "Descriptor"),
    )
    assert label_clashes(po, field_labels()) == [
        "'Deskripsi' is translated 'descriptor', the English of the field label 'deskripsi' "
        "(context 'level') (assessments.Level.descriptor)"
    ]


def test_a_budget_column_given_a_targets_realisation_label_is_reported():
    po = catalogue(("realisasi", "realisation"), ("anggaran", "Realisasi", "Realisation"))
    assert label_clashes(po, field_labels()) == [
        "'Realisasi' (context 'anggaran') is translated 'realisation', the English of the "
        "field label 'realisasi' (masterplan.Target.realisation)"
    ]


def test_each_meaning_with_its_own_english_passes():
    po = catalogue(
        ("deskripsi", "description"),
        ("Deskripsi", "Description"),
        ("level", "deskripsi", "descriptor"),
        ("level", "Deskripsi", "Descriptor"),
        ("realisasi", "realisation"),
        ("anggaran", "Realisasi", "Realised"),
    )
    assert label_clashes(po, field_labels()) == []


def test_synonyms_and_labels_naming_their_own_field_pass():
    po = catalogue(
        # Two Indonesian words for one thing (listed with a reason).
        ("uraian", "description"),
        ("deskripsi", "description"),
        ("Keadaan", "Status"),
        ("status", "status"),
        # MasterPlan.notes is labelled "note", the name of Answer.note: its own name, singular.
        ("catatan", "note"),
        # Assessment.created_at is labelled "created", the name of a token's field.
        ("dibuat", "created"),
    )
    assert label_clashes(po, field_labels()) == []


def test_a_synonym_list_does_not_cover_other_words():
    po = catalogue(("uraian", "description"), ("Keterangan", "Description"))
    assert label_clashes(po, field_labels()) == [
        "'Keterangan' is translated 'description', the English of the field label 'uraian' "
        "(assessments.Framework.description)"
    ]
