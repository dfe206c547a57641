"""Checks of the English catalogue beyond completeness: a field's label says what the field is.

One Indonesian word can have two English meanings ("deskripsi" is an application's
*description* and a level's *descriptor*). Given one msgid, both fields get one English label,
right for one field and wrong for the other. Two rules find that kind of mistake:

- a field's English label is the name of another field (Application.description labelled
  "descriptor", the name of Level.descriptor): the translation was chosen for another meaning;
- a message's English is a field label's English while its Indonesian is another word, or
  the same word in another context (the application page's heading "Deskripsi" translated
  "Descriptor", the English of a level's "deskripsi"): the translation was taken from a
  neighbouring message.

Words that legitimately share an English label are listed in ``SHARED_ENGLISH`` with why.
"""

import inspect
import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import polib
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext, pgettext
from django_filters import FilterSet


@dataclass(frozen=True)
class Label:
    """A field a user sees by its label: where it is, its name in the code, its msgid."""

    where: str
    name: str
    context: str
    msgid: str


# English labels several Indonesian words share on purpose: English -> (the msgids, why).
SHARED_ENGLISH = {
    "description": ({"deskripsi", "uraian"}, "deskripsi and uraian are both a description"),
    "error": ({"kesalahan", "galat"}, "kesalahan and galat are both an error"),
    "evidence": (
        {"bukti", "bukti dukung", "bukti-dukung"},
        "Indonesian says bukti and bukti dukung (supporting evidence) for the same documents",
    ),
    "from": (
        {"dari", "dari tanggal"},
        "a transition's old status and the start of a date range are both labelled From",
    ),
    "status": ({"status", "keadaan"}, "a cycle's state (keadaan) is shown as its status"),
    "to": (
        {"ke", "sampai tanggal"},
        "a transition's new status and the end of a date range are both labelled To",
    ),
    "total": (
        {"jumlah"},
        "the number of reports in a bundle and a table's sum row are both its total",
    ),
}

# Fields whose English label is the name of another field meaning the same thing.
SAME_MEANING = {
    ("diubah oleh", "changed by"): "updated_by and changed_by both name who changed a record last",
    ("isi", "text"): "a notification's body is its text, as a comment's text is",
}


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").casefold()


def message_of(text) -> tuple[str, str] | None:
    """(context, msgid) of a lazily translated label; None when it is not translated."""
    if not isinstance(text, Promise):
        return None
    # A lazy string pickles as (function, arguments): gettext(msgid), pgettext(context,
    # msgid), or a text function such as capfirst() over another lazy string.
    function, arguments = text.__reduce__()[1][:2]
    if function is gettext:
        return "", arguments[0]
    if function is pgettext:
        return arguments[0], arguments[1]
    for argument in arguments:
        found = message_of(argument)
        if found:
            return found
    return None


def model_fields():
    """(model, field) for every field a model declares; history models (django-simple-history)
    repeat their record's fields and are left out."""
    for model in apps.get_models():
        if hasattr(model, "instance_type"):
            continue
        for field in model._meta.get_fields():
            if not (field.auto_created and not field.concrete):
                yield model, field


def form_classes():
    """Every form and filter set the project's own apps define."""
    for app in apps.get_app_configs():
        if Path(app.path) != settings.BASE_DIR / app.name:
            continue
        for module_name in ("forms", "filters"):
            if not module_has_submodule(app.module, module_name):
                continue
            module = import_module(f"{app.name}.{module_name}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(
                    cls, forms.BaseForm | FilterSet
                ):
                    yield cls


def field_labels() -> list[Label]:
    """The label of every model field, form field and filter the project shows a user."""
    labels = []
    for model, field in model_fields():
        found = message_of(getattr(field, "verbose_name", None))
        if found:
            labels.append(Label(model._meta.label, field.name, *found))
    for cls in form_classes():
        fields = cls.base_fields if issubclass(cls, forms.BaseForm) else cls.base_filters
        for name, field in fields.items():
            found = message_of(field.label)
            if found:
                labels.append(Label(f"{cls.__module__}.{cls.__name__}", name, *found))
    return labels


def english(entry: polib.POEntry) -> str:
    return normal(entry.msgstr or (entry.msgstr_plural or {}).get(0, ""))


def shared_on_purpose(english_label: str, *msgids: str) -> bool:
    words, _why = SHARED_ENGLISH.get(english_label, (set(), ""))
    return all(normal(msgid) in words for msgid in msgids)


def names_itself(english_label: str, name: str) -> bool:
    """Whether an English label names its own field: ``notes`` "note", ``created_at``
    "created"."""
    key = as_name(english_label)
    return key in {name, name.rstrip("s"), f"{name}s"} or key in name.split("_")


def as_name(english_label: str) -> str:
    return re.sub(r"[\s-]+", "_", english_label)


def described(context: str, msgid: str) -> str:
    return f"{msgid!r} (context {context!r})" if context else repr(msgid)


def label_clashes(catalogue: polib.POFile, labels: list[Label]) -> list[str]:
    """Where the catalogue's English gives a field another field's name, or a message another
    message's field label; one line per message."""
    translated = {
        (entry.msgctxt or "", entry.msgid): english(entry)
        for entry in catalogue
        if english(entry) and not entry.obsolete
    }
    # The code's own English words for things: the names of model fields.
    field_names = {field.name for _model, field in model_fields()}
    problems = {}
    field_english = {}
    for label in labels:
        message = (label.context, label.msgid)
        label_english = translated.get(message)
        if not label_english:
            continue
        field_english.setdefault(label_english, []).append(label)
        if (
            as_name(label_english) in field_names
            and not names_itself(label_english, label.name)
            and (normal(label.msgid), label_english) not in SAME_MEANING
        ):
            problems.setdefault(
                message,
                f"{described(*message)} is translated {label_english!r}, the name of another "
                f"field, but labels {label.where}.{label.name}",
            )
    for (context, msgid), message_english in translated.items():
        for label in field_english.get(message_english, ()):
            if (context, normal(msgid)) == (label.context, normal(label.msgid)):
                continue
            if shared_on_purpose(message_english, msgid, label.msgid):
                continue
            problems.setdefault(
                (context, msgid),
                f"{described(context, msgid)} is translated {message_english!r}, the English of "
                f"the field label {described(label.context, label.msgid)} "
                f"({label.where}.{label.name})",
            )
    return sorted(problems.values())
