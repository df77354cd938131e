"""The public 办事指南: browse and search the published catalog, read an item's guide, the certificate list.

Thin views over catalog.selectors; each page costs a constant number of queries whatever the number of
items or materials (tests/catalog/test_public_pages.py pins them). What a published version shows is
rendered once and cached (the guide's article, each result card), keyed by the version — immutable once
published — and by the few non-versioned values shown with it; the sidebar's filter fields are cached per
language and choice. The page around them (account, CSRF token, 长辈版) is rendered per request.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bianmin.catalog import selectors
from bianmin.catalog.constants import (
    HandlingForm,
    ItemType,
    LimitUnit,
    OnlineDepth,
    ServiceObject,
    Target,
    ThemeAudience,
    UniversalScope,
    limit_length,
)
from bianmin.catalog.models import ServiceItem, Theme
from bianmin.core.exceptions import NotFound
from bianmin.organisations.models import Department, Hall
from bianmin.web.text import join_list

PAGE_SIZE = 20
FILTER_OPTIONS_SECONDS = 60
# Part of every cached fragment's key (guide, result cards): bump it when their templates change in a
# way that must not wait for the timeouts.
FRAGMENT_CACHE_VERSION = 1
FLAG_FILTERS = (
    ("instant", gettext_lazy("马上办")),
    ("online", gettext_lazy("网上办")),
    ("nearby", gettext_lazy("就近办")),
    ("one_visit", gettext_lazy("一次办")),
)
FILTER_KEYS = ("q", "department", "type", "target", "theme", "instant", "online", "nearby", "one_visit")


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def limit_text(number, unit: str, *, instant: bool = False) -> str:
    """“3工作日” (“3 working days”), “即办” or “—”."""
    if number is None:
        return "—"
    if number == 0 and (instant or unit == LimitUnit.WORKING_DAY):
        return _("即办")
    return limit_length(number, unit)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page") or "1"
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


# Fields a result card shows: the page query loads only these (a sort over thousands of wide rows
# carrying every column of the version costs more than the rows it returns).
CARD_FIELDS = (
    "id",
    "code",
    "is_nearby",
    "parent_id",
    "department",
    "current_version",
    "sort_order",
    "department__name",
    "department__short_name",
    "department__sort_order",
    "current_version__name",
    "current_version__published_at",
    "current_version__status",
    "current_version__aliases",
    "current_version__item_type",
    "current_version__promised_limit",
    "current_version__promised_limit_unit",
    "current_version__is_free",
    "current_version__is_instant",
    "current_version__is_online",
    "current_version__is_one_visit",
)
# A result card is cached like the guide: by the published version (immutable), with the language and
# the item's non-versioned parts it shows (就近办, department name) in the key.
CARD_CACHE_SECONDS = 600
CARD_SEPARATOR = "<!--/card-->"  # escaped text cannot contain "<"


def _card_cache_key(item: ServiceItem, language: str) -> str:
    version = item.current_version
    parts = (
        FRAGMENT_CACHE_VERSION,
        version.pk,
        version.published_at.isoformat() if version.published_at else "",
        language,
        item.code,
        item.is_nearby,
        item.department.short_name or item.department.name,
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f"catalog:card:{version.pk}:{digest}"


def _card_context(item: ServiceItem, items_url: str, type_labels: dict[str, str]) -> dict:
    version = item.current_version
    return {
        "item": item,
        "url": f"{items_url}{item.code}/",
        "version": version,
        "department": item.department.short_name or item.department.name,
        "type": type_labels.get(version.item_type, version.item_type),
        "aliases": join_list(version.aliases),
        "promised": limit_text(
            version.promised_limit, version.promised_limit_unit, instant=version.is_instant
        ),
    }


def _result_cards(items: list[ServiceItem]) -> list[str]:
    """The HTML of each result card, from the cache (one get_many for the page) or rendered and stored."""
    language = get_language()
    keys = [_card_cache_key(item, language) for item in items]
    cached = cache.get_many(keys)
    missing = {}
    if len(cached) < len(keys):
        items_url = reverse("catalog:items")  # one reverse, not one per row
        type_labels = {value: str(label) for value, label in ItemType.choices}
        todo = [(key, item) for key, item in zip(keys, items, strict=True) if key not in cached]
        # One template pass for all the missing cards (twenty separate renders cost twice as much),
        # split on a separator that escaped text cannot contain.
        html = render_to_string(
            "catalog/public/_item_cards.html",
            {
                "cards": [_card_context(item, items_url, type_labels) for _key, item in todo],
                "separator": mark_safe(CARD_SEPARATOR),
            },
        )
        missing = dict(zip([key for key, _item in todo], html.split(CARD_SEPARATOR)[:-1], strict=True))
        cache.set_many(missing, CARD_CACHE_SECONDS)
    return [mark_safe(cached.get(key) or missing[key]) for key in keys]


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in FILTER_KEYS}
    filters["q"] = filters["q"][:100]
    queryset = selectors.published_item_list(filters=filters).only(*CARD_FIELDS)
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(_page_number(request))
    rows = _result_cards(list(page.object_list))
    context = {
        "page_obj": page,
        "rows": rows,
        "filters": filters,
        "has_filters": any(filters.values()),
        "filter_fields": _filter_fields(filters),
    }
    return render(request, "catalog/public/item_list.html", context)


def _filter_fields(filters: dict[str, str]) -> str:
    """The sidebar's selects and checkboxes with the current choices marked, cached per language and
    choice (not per query text: the form carries q outside them) as long as the options are."""
    options = _filter_options()
    # The key holds only choices that exist (made-up parameters must not fill the cache).
    selected = (
        filters["department"] if any(filters["department"] == c for c, _n in options["departments"]) else "",
        filters["theme"] if any(filters["theme"] == c for c, _n, _a in options["themes"]) else "",
        filters["type"] if filters["type"] in ItemType.values else "",
        filters["target"] if filters["target"] in Target.values else "",
        tuple(bool(filters[key]) for key, _label in FLAG_FILTERS),
    )
    parts = (FRAGMENT_CACHE_VERSION, get_language(), selected)
    key = "catalog:filters:" + hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    html = cache.get(key)
    if html is None:
        context = {
            "departments": [
                (code, name, code == filters["department"]) for code, name in options["departments"]
            ],
            "person_themes": [
                (c, n, c == filters["theme"]) for c, n, a in options["themes"] if a == ThemeAudience.PERSON
            ],
            "legal_themes": [
                (c, n, c == filters["theme"]) for c, n, a in options["themes"] if a == ThemeAudience.LEGAL
            ],
            "item_types": [(v, str(label), v == filters["type"]) for v, label in ItemType.choices],
            "targets": [(v, str(label), v == filters["target"]) for v, label in Target.choices],
            "flag_filters": [(key, str(label), bool(filters[key])) for key, label in FLAG_FILTERS],
        }
        html = render_to_string("catalog/public/_filter_fields.html", context)
        cache.set(key, html, FILTER_OPTIONS_SECONDS)
    return mark_safe(html)


def _filter_options() -> dict:
    """Departments that have published items, and the themes: the sidebar's choices, cached a minute."""
    key = "catalog:public:filter-options"
    options = cache.get(key)
    if options is None:
        departments = Department.objects.filter(
            Exists(ServiceItem.objects.filter(department=OuterRef("pk"), current_version__isnull=False))
        ).order_by("sort_order", "short_code")
        options = {
            "departments": [(d.short_code, d.name) for d in departments],
            "themes": [(t.code, t.name, t.audience) for t in Theme.objects.all()],
        }
        cache.set(key, options, FILTER_OPTIONS_SECONDS)
    return options


def _material_row(material) -> dict:
    parts = []
    if material.original_count:
        parts.append(_("原件%(n)d份") % {"n": material.original_count})
    if material.copy_count:
        parts.append(_("复印件%(n)d份") % {"n": material.copy_count})
    return {
        "material": material,
        "copies": join_list(parts) or _("电子材料"),
        "necessity": material.get_necessity_display(),
        "source": material.get_source_display(),
        "form": material.get_form_display(),
    }


def _halls_for(item: ServiceItem) -> list[Hall]:
    """Halls with a window that takes the item's department (hall data, outside the versioned item)."""
    return list(
        Hall.objects.filter(is_active=True, windows__is_active=True, windows__departments=item.department_id)
        .only("id", "name", "address", "opening_hours", "phone", "sort_order", "updated_at")
        .distinct()
        .order_by("sort_order", "name")
    )


# The rendered guide (the <article>) is cached. A published version is immutable, so its pk (with its
# publication time, which tells apart a pk a restored or test database reused) keys its contents; the
# key also carries everything of the page that is not versioned: the language, the item's 就近办 flag,
# department, parent and sub-items, and the halls that take it (hall data). Certificates and partner
# departments are read through the version but edited on their own: the timeout bounds how long such an
# edit takes to show on an already cached guide. Nothing user-specific is inside the article (the
# apply button depends only on the item), so one entry serves every visitor; the page around it
# (account menu, CSRF token, 长辈版 class) is rendered per request.
GUIDE_CACHE_SECONDS = 600


def _guide_cache_key(item: ServiceItem, version, sub_items: list[ServiceItem], halls: list[Hall]) -> str:
    parent = item.parent
    parts = (
        FRAGMENT_CACHE_VERSION,
        version.pk,
        version.published_at.isoformat() if version.published_at else "",
        get_language(),
        item.code,
        item.is_nearby,
        item.department.name,
        item.department.phone,
        (parent.code, str(parent)) if parent else None,
        [(s.code, s.current_version_id, s.is_nearby) for s in sub_items],
        [(h.pk, h.updated_at.isoformat() if h.updated_at else "") for h in halls],
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"catalog:guide:{version.pk}:{digest}"


def _guide_context(item: ServiceItem, sub_items: list[ServiceItem], halls: list[Hall]) -> dict:
    version = selectors.guide_version_contents(item.current_version_id)
    can_apply = version.is_online and version.accepts_applications and not sub_items
    return {
        "SITE_HOTLINE": settings.SITE_HOTLINE,
        "item": item,
        "version": version,
        "sub_items": sub_items,
        "materials": [_material_row(m) for m in version.materials.all()],
        "partner_departments": [d.name for d in version.partner_departments.all()],
        "service_objects": [_label(ServiceObject, c) for c in version.service_objects],
        "handling_forms": [_label(HandlingForm, c) for c in version.handling_forms],
        "online_depth": [_label(OnlineDepth, c) for c in version.online_depth],
        "universal_scope": _label(UniversalScope, version.universal_scope) if version.universal_scope else "",
        "statutory": limit_text(version.statutory_limit, version.statutory_limit_unit),
        "promised": limit_text(
            version.promised_limit, version.promised_limit_unit, instant=version.is_instant
        ),
        "halls": halls,
        "can_apply": can_apply,
        "apply_url": f"/apply/{item.code}/",
        "is_nearby": item.is_nearby,
        "special_steps": [
            {
                "name": step.get("name", ""),
                "duration": limit_text(step.get("duration"), step.get("unit") or LimitUnit.WORKING_DAY)
                if step.get("duration")
                else "",
                "counted": bool(step.get("counted")),
            }
            for step in version.special_steps or []
            if isinstance(step, dict)
        ],
    }


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = selectors.published_item_guide_header(code=code)
    except NotFound:
        raise Http404(_("未找到该事项，或该事项未发布。"))
    version = item.current_version
    sub_items = list(item.sub_items.all())
    halls = _halls_for(item)
    key = _guide_cache_key(item, version, sub_items, halls)
    guide = cache.get(key)
    if guide is None:
        # Rendered without the request: no context processor, so no user, session or CSRF token in it.
        guide = render_to_string("catalog/public/_guide.html", _guide_context(item, sub_items, halls))
        cache.set(key, guide, GUIDE_CACHE_SECONDS)
    context = {"item": item, "version": version, "guide": mark_safe(guide)}
    return render(request, "catalog/public/item_detail.html", context)


@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "department", "commitment")}
    queryset = selectors.certificate_list_public(filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(_page_number(request))
    departments = Department.objects.filter(requested_certificates__state="published").distinct()
    context = {"page_obj": page, "filters": filters, "departments": departments}
    return render(request, "catalog/public/certificate_list.html", context)
