import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from egov_portal import history, spreadsheets
from egov_portal.errors import NotAllowed
from egov_portal.params import InvalidNumber, parse_id
from egov_portal.versions import StaleVersion, conflict_shown
from opds import inventory
from opds.access import (
    home_region,
    may_keep_inventory,
    may_keep_some_inventory,
    may_read_history_log,
    own_opd,
    require_inventory_keeper,
)
from opds.filters import CatalogueFilter, OPDListFilter
from opds.forms import ApplicationForm, HistoryFilterForm, ImportForm
from opds.inventory.spreadsheet_read import Sheet
from opds.models import OPD, Application, Region


class RegionListView(LoginRequiredMixin, ListView):
    template_name = "opds/region_list.html"
    context_object_name = "regions"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).with_opd_counts()


class RegionDetailView(LoginRequiredMixin, DetailView):
    template_name = "opds/region_detail.html"
    context_object_name = "region"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        context["opds"] = region.opds.order_by("-active", "name")
        context["children"] = (
            Region.objects.visible_to(self.request.user).filter(parent=region).with_opd_counts()
        )
        return context


class OPDListView(LoginRequiredMixin, ListView):
    template_name = "opds/opd_list.html"
    context_object_name = "opds"
    paginate_by = 50

    def get_queryset(self):
        filterset = OPDListFilter(
            self.request.GET,
            queryset=OPD.objects.visible_to(self.request.user).for_list(),
            request=self.request,
        )
        self.form = filterset.form
        return filterset.shown()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class ApplicationListView(LoginRequiredMixin, ListView):
    """The catalogue: search, filters, sort, a summary and the likely duplicates."""

    template_name = "opds/application_list.html"
    context_object_name = "applications"
    paginate_by = 25

    def get_queryset(self):
        filterset = CatalogueFilter(
            self.request.GET,
            queryset=Application.objects.visible_to(self.request.user),
            request=self.request,
        )
        self.form = filterset.form
        self.filtered = filterset.shown()
        return self.filtered.for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = self.form.region
        duplicates = inventory.region_duplicates(user, region) if region is not None else []
        duplicate_ids = {pair.first.pk for pair in duplicates} | {
            pair.second.pk for pair in duplicates
        }
        context.update(
            form=self.form,
            region=region,
            summary=inventory.catalogue_summary(self.filtered),
            duplicates=duplicates,
            rows=[
                (app, inventory.application_completeness(app), app.pk in duplicate_ids)
                for app in context["applications"]
            ],
            can_create=may_keep_some_inventory(user),
            querystring=_querystring(self.request),
            export_links=spreadsheets.export_links(
                lambda key: (
                    reverse("opds:application_export", kwargs={"file_format": key})
                    + f"?{_querystring(self.request)}"
                )
            ),
        )
        return context


def _querystring(request, drop=("page",)):
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


class ApplicationDetailView(LoginRequiredMixin, DetailView):
    template_name = "opds/application_detail.html"
    context_object_name = "application"

    def get_queryset(self):
        return Application.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        user = self.request.user
        context.update(
            completeness=inventory.application_completeness(application),
            history=inventory.application_history(application),
            can_edit=may_keep_inventory(user, application.opd),
            duplicates=[
                pair
                for pair in inventory.region_duplicates(user, application.opd.region)
                if application.pk in {pair.first.pk, pair.second.pk}
            ],
        )
        return context


def _editable_application(request, pk):
    """The application, 404 when the user cannot see it, 403 when they cannot change it."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("opd__region"), pk=pk
    )
    require_inventory_keeper(request.user, application.opd)
    return application


def _owner_opd(request, value):
    """The OPD named by a submitted id: 404 when not visible, 403 when not the user's to edit."""
    try:
        pk = parse_id(value)
    except InvalidNumber as error:
        raise Http404 from error
    opd = get_object_or_404(OPD.objects.visible_to(request.user).select_related("region"), pk=pk)
    require_inventory_keeper(request.user, opd)
    return opd


def _require_some_inventory(user):
    if not may_keep_some_inventory(user):
        raise NotAllowed(_("Hanya operator OPD dan administrator yang mencatat aplikasi."))


def _application_form_data(form):
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data["user_opds"] = list(data["user_opds"])
    data["integrations"] = list(data["integrations"])
    return data


@login_required
def application_create(request):
    user = request.user
    _require_some_inventory(user)
    opd_value = request.POST.get("opd") or request.GET.get("opd")
    if opd_value:
        region = _owner_opd(request, opd_value).region
    elif own_opd(user) is not None:
        region = own_opd(user).region
    elif request.GET.get("region"):
        region = get_object_or_404(Region.objects.visible_to(user), code=request.GET["region"])
    else:
        regions = Region.objects.visible_to(user).exclude(kind=Region.Kind.PROVINCE)
        return render(request, "opds/application_choose_region.html", {"regions": regions})
    initial = {"opd": own_opd(user).pk} if own_opd(user) is not None else {}
    if request.GET.get("opd"):
        initial["opd"] = request.GET["opd"]
    form = ApplicationForm(request.POST or None, user=user, region=region, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _application_form_data(form)
        try:
            application = inventory.application_create(
                user=user, opd=data.pop("opd"), name=data.pop("name"), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Aplikasi “%(name)s” ditambahkan.") % {"name": application})
            return redirect(application)
    return render(
        request, "opds/application_form.html", {"form": form, "region": region, "application": None}
    )


@login_required
def application_update(request, pk):
    application = _editable_application(request, pk)
    if request.method == "POST" and request.POST.get("opd"):
        _owner_opd(request, request.POST["opd"])
    form = ApplicationForm(
        request.POST or None,
        instance=application,
        user=request.user,
        region=application.opd.region,
    )
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = _application_form_data(form)
        try:
            inventory.application_update(
                application, user=request.user, data=data, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except StaleVersion as error:
            current = error.current
            conflict = conflict_shown(error, data, by=current.changed_by, at=current.changed_at)
            # What the user typed stays in the form; saving it again is now a deliberate
            # overwrite of what they have seen.
            form.data = form.data.copy()
            form.data["version"] = current.version
            status = 409
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect(application)
    return render(
        request,
        "opds/application_form.html",
        {
            "form": form,
            "region": application.opd.region,
            "application": application,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_POST
def application_retire(request, pk):
    application = _editable_application(request, pk)
    inventory.application_retire(application, user=request.user)
    messages.success(
        request,
        _("“%(name)s” dipensiunkan: statusnya kini tidak aktif dan catatannya tetap disimpan.")
        % {"name": application},
    )
    return redirect(application)


@login_required
def application_export(request, file_format):
    """The catalogue page as a spreadsheet: the same filters, order and headings."""
    file_format = spreadsheets.file_format_or_404(file_format)
    filterset = CatalogueFilter(
        request.GET, queryset=Application.objects.visible_to(request.user), request=request
    )
    if not filterset.is_valid():
        # A file of no rows would read as an empty catalogue: say what is wrong instead.
        form = filterset.form
        raise ValidationError(
            [
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
        )
    table = inventory.export_table(
        filterset.qs, region=filterset.form.region, filters=filterset.form.chosen_filters()
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return spreadsheets.table_response(
        table, file_format=file_format, filename=f"katalog-aplikasi-{stamp}"
    )


IMPORT_SESSION_KEY = "inventory_imports"


def _template_links(request):
    """The downloads of the empty import template, for the region being imported into."""
    region = request.GET.get("region")
    query = f"?{urlencode({'region': region})}" if region else ""
    return spreadsheets.export_links(
        lambda key: reverse("opds:application_import_template", kwargs={"file_format": key}) + query
    )


@login_required
def application_import(request):
    """Step one of an import: upload a file, kept in the session for the preview."""
    _require_some_inventory(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = inventory.read_spreadsheet(
                form.cleaned_data["file"], max_bytes=settings.INVENTORY_IMPORT_MAX_BYTES
            )
        except inventory.SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            token = secrets.token_urlsafe(12)
            # Only the latest upload is kept: a session holds one pending import at a time.
            request.session[IMPORT_SESSION_KEY] = {token: sheet.as_dict()}
            return redirect("opds:application_import_preview", token=token)
    return render(
        request,
        "opds/application_import.html",
        {
            "form": form,
            "max_bytes": settings.INVENTORY_IMPORT_MAX_BYTES,
            "template_links": _template_links(request),
        },
    )


@login_required
def application_import_template(request, file_format):
    """The empty table to fill for an import; in XLSX with the values its coded columns
    accept (the OPDs of ``?region=`` or of the user's own region) as drop-down lists."""
    _require_some_inventory(request.user)
    file_format = spreadsheets.file_format_or_404(file_format)
    regions = Region.objects.visible_to(request.user).order_by("code")
    code = request.GET.get("region")
    region = get_object_or_404(regions, code=code) if code else home_region(request.user)
    template = inventory.import_template(
        regions=[region] if region else regions,
        opds=region.opds.order_by("name") if region else [],
        max_rows=settings.INVENTORY_IMPORT_MAX_ROWS,
    )
    return spreadsheets.table_response(
        template.table,
        file_format=file_format,
        filename="templat-impor-aplikasi" + (f"-{region.code}" if region else ""),
        extra_sheets=[template.choices],
        validations=template.validations,
    )


@login_required
def application_import_preview(request, token):
    """Step two: every row as create, update, unchanged or error; applied on confirmation."""
    _require_some_inventory(request.user)
    stored = request.session.get(IMPORT_SESSION_KEY, {}).get(token)
    if stored is None:
        messages.warning(
            request, _("Pratinjau impor ini sudah tidak tersedia. Unggah berkasnya lagi.")
        )
        return redirect("opds:application_import")
    sheet = Sheet.from_dict(stored)
    if request.method == "POST":
        try:
            preview = inventory.import_apply(sheet, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.success(
                request,
                _(
                    "Impor selesai: %(creates)s aplikasi ditambahkan, %(updates)s diperbarui, "
                    "%(unchanged)s tidak berubah."
                )
                % {
                    "creates": preview.creates,
                    "updates": preview.updates,
                    "unchanged": preview.unchanged,
                },
            )
            return redirect("opds:application_list")
    preview = inventory.import_preview(sheet, user=request.user)
    return render(
        request,
        "opds/application_import_preview.html",
        # A file with errors is fixed and uploaded again from this page.
        {"preview": preview, "sheet": sheet, "token": token, "form": ImportForm()},
    )


HISTORY_PER_PAGE = 50


@login_required
def history_log(request):
    """The whole history of the portal for administrators: every change, newest first,
    filtered by user, region, kind of record and date."""
    if not may_read_history_log(request.user):
        raise Http404
    kinds = [(item.kind, item.label) for item in history.tracked()]
    form = HistoryFilterForm(request.GET or None, user=request.user, kinds=kinds)
    if not form.is_bound:
        rows = history.history_log()
    elif form.is_valid():
        rows = history.history_log(**form.filters())
    else:
        rows = []
    page = Paginator(rows, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "opds/history_list.html",
        {
            "form": form,
            "entries": history.log_entries(page.object_list),
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "querystring": _querystring(request),
        },
        status=400 if form.errors else 200,
    )
