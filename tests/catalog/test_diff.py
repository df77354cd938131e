"""Version history: a field-by-field diff, materials and form fields included."""

import pytest

from bianmin.catalog import services
from bianmin.catalog.selectors import version_diff
from tests.catalog.helpers import editor_for, make_certificate, make_published_item

pytestmark = pytest.mark.django_db


def test_diff_lists_changed_fields_with_labels_and_materials():
    item = make_published_item()
    editor = editor_for(item.department)
    v1 = item.current_version
    v2 = services.version_create_draft(item=item, acting_user=editor)
    assert version_diff(v1, v2) == []
    certificate = make_certificate()
    first = v2.materials.all()[0]
    v2 = services.version_update(
        version=v2,
        acting_user=editor,
        data={"promised_limit": 5, "online_depth": ["1", "2", "3", "4", "5"], "service_objects": ["1"]},
        materials=[
            {"id": first.pk, "name": first.name, "necessity": "3", "copy_count": 2},
            {"name": "无犯罪记录证明", "certificate": certificate.pk},
        ],
        form_fields=[
            {"key": "shop_name", "label": "店铺名称", "kind": "text"},
            {"key": "area", "label": "面积", "kind": "number"},
        ],
    )
    rows = {label: (old, new) for label, old, new in version_diff(v1, v2)}
    assert rows["承诺办结时限"] == ("10工作日", "5工作日")
    assert rows["网办深度"][1].endswith("互联网办理")
    assert rows["服务对象"] == ("自然人、企业法人", "自然人")
    assert "容缺后补" in rows["申请材料：申请材料1"][1] and "必要" in rows["申请材料：申请材料1"][0]
    assert rows["申请材料：申请材料2"][1] == ""  # removed
    assert (
        rows["申请材料：无犯罪记录证明"][0] == ""
        and "证明事项：无犯罪记录证明" in rows["申请材料：无犯罪记录证明"][1]
    )
    assert rows["表单字段：area"][0] == "" and "数字" in rows["表单字段：area"][1]
    assert rows["表单字段：id_no"][1] == ""
    assert "事项名称" not in rows
