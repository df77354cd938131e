"""English mode of the shells: the site name, the footer's filings, the account link and the icon letters."""

import re

import pytest
from django.utils import translation

from bianmin.web.text import icon_letter, site_name
from tests.web.i18n_helpers import pending_english

pytestmark = pytest.mark.django_db

ICONS = re.compile(r'<span class="icon-letter" aria-hidden="true">([^<]*)</span>')
HAN = re.compile(r"[\u3400-\u9fff]")


def _english(client, url="/"):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client.get(url).content.decode()


def test_site_name_is_chinese_in_chinese(client):
    html = client.get("/").content.decode()
    assert '<span class="site-brand-name">龙湖区政务服务网</span>' in html
    assert re.search(r"<title>[^<]*· 龙湖区政务服务网</title>", html)


def test_site_name_is_translated_in_english(client):
    with pending_english():
        html = _english(client)
    assert '<span class="site-brand-name">Longhu District Government Services</span>' in html
    assert re.search(r"<title>[^<]*· Longhu District Government Services</title>", html)
    assert "龙湖区政务服务网" not in html


def test_an_english_site_name_setting_wins_in_english_only(client, settings):
    settings.SITE_NAME = "某某区政务服务网"
    settings.SITE_NAME_EN = "Moumou District Services"
    assert '<span class="site-brand-name">某某区政务服务网</span>' in client.get("/").content.decode()
    html = _english(client)
    assert '<span class="site-brand-name">Moumou District Services</span>' in html
    assert "某某区政务服务网" not in html


def test_a_renamed_site_without_an_english_name_keeps_its_chinese_name(settings):
    settings.SITE_NAME = "某某区政务服务网"
    settings.SITE_NAME_EN = ""
    with translation.override("en"):
        assert site_name() == "某某区政务服务网"
    settings.SITE_NAME = ""
    with translation.override("en"):
        assert site_name() == ""  # not the catalog header that gettext("") returns


def test_footer_filings_stay_as_registered_with_an_english_gloss(client, settings):
    zh = client.get("/").content.decode()
    assert f'<span lang="zh-CN">{settings.SITE_ICP}</span>' in zh
    assert f'<span lang="zh-CN">{settings.SITE_PSB}</span>' in zh
    assert "ICP备案号" not in zh and "公安机关互联网安全备案号" not in zh  # the filing text says it already
    with pending_english():
        en = _english(client)
    footer = en.split('class="site-footer"', 1)[1]
    assert f'ICP filing no. <span lang="zh-CN">{settings.SITE_ICP}</span>' in footer
    assert f'Public security filing no. <span lang="zh-CN">{settings.SITE_PSB}</span>' in footer
    assert "Website ID" in footer or settings.SITE_GOV_ID in footer


def test_account_link_reads_without_a_chinese_colon(login, citizen, client):
    login(citizen)
    html = _english(client)
    link = html.split('class="account-name"', 1)[1].split("</a>", 1)[0]
    assert "My account" in link and "(陈市民)" in link
    assert "：" not in link


def test_workbench_icons_are_letters_of_the_english_labels(login, clerk, client):
    login(clerk)
    zh = client.get("/workbench/").content.decode()
    assert any(HAN.match(icon) for icon in ICONS.findall(zh))
    en = _english(client, "/workbench/")
    icons = ICONS.findall(en)
    assert icons and all(re.fullmatch(r"[A-Z0-9·]", icon) for icon in icons), icons


def test_home_theme_tiles_use_letters_in_english(client):
    zh = client.get("/").content.decode()
    assert '<span class="icon-letter" aria-hidden="true">育</span>' in zh
    en = _english(client)
    tiles = re.findall(r'aria-hidden="true">([^<]*)</span><span class="theme-tile-name">([^<]*)<', en)
    assert tiles
    for icon, name in tiles:
        assert icon == name[:1].upper(), (icon, name)
    assert ("B", "Birth and adoption") in tiles


def test_icon_letter_keeps_the_character_without_a_translation():
    with translation.override("zh-hans"):
        assert icon_letter("审", "Review") == "审"
    with translation.override("en"):
        assert icon_letter("审", "review queue") == "R"
        assert icon_letter("审", "事项审核") == "审"  # untranslated label
        assert icon_letter("审", "") == "审"
