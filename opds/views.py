from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView

from opds.access import membership_of
from opds.forms import OPDFilterForm
from opds.models import OPD, Region


@login_required
def home(request):
    """The landing page: each role sees its own scope."""
    membership = membership_of(request.user)
    context = {"membership": membership}
    if membership is None:
        return render(request, "opds/home.html", context)
    regions = Region.objects.visible_to(request.user).with_opd_counts()
    if membership.role in {"admin", "reviewer"}:
        provinces = [r for r in regions if r.kind == Region.Kind.PROVINCE]
        context["provinces"] = [
            (province, [r for r in regions if r.parent_id == province.pk]) for province in provinces
        ]
    elif membership.role == "head":
        context["region"] = get_object_or_404(regions, pk=membership.region_id)
    elif membership.role == "opd_staff":
        context["opd"] = membership.opd
        context["region"] = get_object_or_404(regions, pk=membership.opd.region_id)
    return render(request, "opds/home.html", context)


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
        self.form = OPDFilterForm(self.request.GET or None, user=self.request.user)
        queryset = OPD.objects.visible_to(self.request.user).for_list()
        if self.form.is_valid():
            data = self.form.cleaned_data
            if data.get("region"):
                queryset = queryset.filter(region=data["region"])
            if data.get("q"):
                queryset = queryset.filter(
                    Q(name__icontains=data["q"]) | Q(short_name__icontains=data["q"])
                )
            if not data.get("include_inactive"):
                queryset = queryset.filter(active=True)
        else:
            queryset = queryset.filter(active=True)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context
