"""An approved case yields an e-licence: the citizen downloads it from the wallet, a stranger verifies it
through the link its QR code carries."""

import re
import subprocess

import pytest
from django.utils import timezone

from bianmin.core.crypto import sm3_hex

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _approve_food_case():
    from bianmin.cases import services
    from bianmin.cases.seed import _Demo

    demo = _Demo(timezone.localdate())
    u = demo.users
    case = demo.draft("e2e-licence", "食品经营许可（新办）")
    case = services.case_submit(case=case, acting_user=u["citizen"])
    case = services.case_accept(case=case, acting_user=u["clerk"])
    case = services.case_start_review(case=case, acting_user=u["reviewer"])
    for task in case.tasks.all():
        services.case_review(case=case, acting_user=u["reviewer"], task=task, opinion="符合条件。")
    return services.case_conclude(case=case, acting_user=u["head"], decision="approved")


def test_approved_case_licence_downloaded_and_verified_by_qr_link(
    browser, live_server, demo_data, sign_in, settings, tmp_path
):
    from bianmin.licences.models import Licence

    settings.PUBLIC_BASE_URL = live_server.url
    case = _approve_food_case()
    licence = Licence.objects.get(case=case)  # issued by the after-transition handler on commit

    citizen = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = sign_in(citizen.new_page(), "citizen")
    page.goto(f"{live_server.url}/my/licences/")
    row = page.locator("tr", has_text=licence.licence_no)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="下载PDF").click()
    pdf_path = tmp_path / "licence.pdf"
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF") and sm3_hex(pdf) == licence.pdf_sm3
    citizen.close()

    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "食品经营许可证" in text and licence.licence_no in text
    url = re.search(r"(http://\S+/licences/verify/\S+/)", text.replace("\n", "")).group(1)
    assert url == f"{live_server.url}/licences/verify/{licence.identifier}/"

    stranger = browser.new_context(locale="zh-CN")
    public = stranger.new_page()
    public.goto(url)
    verdict = public.locator("[data-outcome]")
    assert verdict.get_attribute("data-outcome") == "valid"
    main = public.locator("main").inner_text()
    assert "证照真实有效" in main and licence.licence_no in main and licence.holder_name in main
    assert licence.holder_code not in main
    stranger.close()
