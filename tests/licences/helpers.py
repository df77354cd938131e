from __future__ import annotations

from bianmin.licences import services
from tests.factories import make_id_card


def issue(w, *, holder=None, **kwargs):
    holder = holder or w.citizen
    return services.licence_issue(
        licence_type=w.licence_type,
        acting_user=w.head,
        holder_name=holder.full_name,
        holder_code=holder.id_card_no or make_id_card(99),
        fields={"shop_name": "张三小吃店", "business_scope": "热食类食品制售"},
        **kwargs,
    )
