"""The four 办 of an item (design.md §4) — the ONE place they are derived.

Badges, filters, the public API and the KPIs all use these functions (or the columns the catalog
services fill from them), so they always agree:

- 网上办 (online)    ⇔ 网办深度 includes 4 互联网受理 or 5 互联网办理
- 一次办 (one_visit) ⇔ 到现场次数 ≤ 1
- 马上办 (instant)   ⇔ 办件类型 is 1 即办件
- 就近办 (nearby)    ⇔ 通办范围 is the district or wider (1–4), or the item is taken at a street or
  community hall. Which halls take an item is hall data kept outside the versioned item; the app
  that owns it registers a provider with `register_nearby_provider`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q

from bianmin.catalog.constants import HandleKind, OnlineDepth, UniversalScope

ONLINE_DEPTHS = frozenset({OnlineDepth.ACCEPTANCE.value, OnlineDepth.HANDLING.value})
NEARBY_SCOPES = frozenset(
    {
        UniversalScope.NATIONWIDE.value,
        UniversalScope.PROVINCE.value,
        UniversalScope.CITY.value,
        UniversalScope.DISTRICT.value,
    }
)


def is_online(online_depth: Iterable[str] | None) -> bool:
    return bool(ONLINE_DEPTHS & {str(v) for v in (online_depth or ())})


def is_one_visit(visits_required: int | None) -> bool:
    return visits_required is not None and visits_required <= 1


def is_instant(handle_kind: str | None) -> bool:
    return handle_kind == HandleKind.INSTANT


def is_nearby_scope(universal_scope: str | None) -> bool:
    return (universal_scope or "") in NEARBY_SCOPES


def is_nearby(universal_scope: str | None, *, taken_at_local_hall: bool) -> bool:
    return is_nearby_scope(universal_scope) or bool(taken_at_local_hall)


def version_flags(version) -> dict[str, bool]:
    """The denormalised columns of an ItemVersion, computed from its own fields."""
    return {
        "is_instant": is_instant(version.handle_kind),
        "is_online": is_online(version.online_depth),
        "is_one_visit": is_one_visit(version.visits_required),
        "is_nearby_scope": is_nearby_scope(version.universal_scope),
    }


VERSION_FLAG_FIELDS = ("is_instant", "is_online", "is_one_visit", "is_nearby_scope")


def version_badges(version, *, taken_at_local_hall: bool) -> dict[str, bool]:
    """The four 办 of one version of an item (hall data from its item)."""
    return {
        "instant": version.is_instant,
        "online": version.is_online,
        "nearby": version.is_nearby_scope or bool(taken_at_local_hall),
        "one_visit": version.is_one_visit,
    }


def item_flags(item) -> dict[str, bool]:
    """The four 办 of a ServiceItem's current published version (all False when none is published)."""
    version = item.current_version
    if version is None:
        return {"instant": False, "online": False, "nearby": False, "one_visit": False}
    return version_badges(version, taken_at_local_hall=item.is_taken_at_local_hall)


# --- query helpers over ServiceItem (prefix "" ) or over ItemVersion (prefix "version") -----------


def instant_q() -> Q:
    return Q(current_version__is_instant=True)


def online_q() -> Q:
    return Q(current_version__is_online=True)


def one_visit_q() -> Q:
    return Q(current_version__is_one_visit=True)


def nearby_q() -> Q:
    return Q(current_version__is_nearby_scope=True) | Q(is_taken_at_local_hall=True)


def version_flag_q(flag: str, *, prefix: str = "") -> Q:
    """The same four 办 as a filter over ItemVersion rows (prefix "" ) or a relation to them ("version__").

    For KPIs "as of" a date, which read the versions in force then, not the current ones.
    """
    columns = {"instant": "is_instant", "online": "is_online", "one_visit": "is_one_visit"}
    if flag in columns:
        return Q(**{f"{prefix}{columns[flag]}": True})
    if flag == "nearby":
        return Q(**{f"{prefix}is_nearby_scope": True}) | Q(**{f"{prefix}item__is_taken_at_local_hall": True})
    raise ValueError(flag)


FLAG_QS: dict[str, Callable[[], Q]] = {
    "instant": instant_q,
    "online": online_q,
    "nearby": nearby_q,
    "one_visit": one_visit_q,
}


# --- hall data: which items are taken at a street or community hall -------------------------------

NearbyProvider = Callable[[list[int]], set[int]]
_nearby_providers: list[NearbyProvider] = []


def register_nearby_provider(fn: NearbyProvider) -> NearbyProvider:
    """Register fn(item_ids) -> the subset of those ServiceItem ids taken at a street or community hall.

    Called by the halls/appointments app in its AppConfig.ready(); after it changes which halls take
    which items it calls catalog.services.item_refresh_nearby(item_ids=...).
    """
    if fn not in _nearby_providers:
        _nearby_providers.append(fn)
    return fn


def unregister_nearby_provider(fn: NearbyProvider) -> None:
    if fn in _nearby_providers:
        _nearby_providers.remove(fn)


def items_taken_at_local_halls(item_ids: Iterable[int]) -> set[int]:
    ids = list(item_ids)
    found: set[int] = set()
    for provider in _nearby_providers:
        found |= set(provider(ids))
    return found & set(ids)
