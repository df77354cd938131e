"""The English catalog (locale/en) is complete and safe, and English pages show no Chinese interface text.

Chinese is the source language; English lives in locale/en/LC_MESSAGES/django.po. The catalog tests read the
.po file itself (a small parser, no extra dependency), so they fail as soon as makemessages brings in a string
nobody has translated, or a translation loses a placeholder that would raise at runtime.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
PLACEHOLDER = re.compile(r"%\([A-Za-z_0-9]+\)[sdif]|%[sdif%]|\{[A-Za-z_0-9]*\}|</?[A-Za-z][^>]*>")


def _unquote(line: str) -> str:
    return (
        line[line.index('"') + 1 : line.rindex('"')]
        .encode("latin-1", "backslashreplace")
        .decode("unicode_escape")
    )


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (list), flags; header and obsolete skipped.

    Entries are separated by blank lines, as makemessages writes them.
    """
    entries = []
    for block in re.split(r"\n\s*\n", text):
        entry: dict = {"flags": set(), "msgstr": []}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#~"):
                entry = {}
                break
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if field == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
                else:
                    entry[field] += _unquote(line)
            else:
                keyword = line.split(" ", 1)[0]
                if keyword.startswith("msgstr"):
                    entry["msgstr"].append(_unquote(line))
                    field = "msgstr"
                else:
                    entry[keyword], field = _unquote(line), keyword
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries():
    return parse_po(PO.read_text(encoding="utf-8"))


def test_parser_reads_plural_and_multiline_entries():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        "#, fuzzy, python-format\n"
        'msgid "共 %(n)s 项"\nmsgid_plural "共 %(n)s 项"\nmsgstr[0] "%(n)s item"\nmsgstr[1] "%(n)s items"\n\n'
        'msgid ""\n"第一行\\n"\n"第二行"\nmsgstr ""\n"line one\\n"\n"line two"\n'
    )
    plural, multiline = parse_po(sample)
    assert plural["flags"] == {"fuzzy", "python-format"}
    assert plural["msgid_plural"] == "共 %(n)s 项" and plural["msgstr"] == ["%(n)s item", "%(n)s items"]
    assert multiline["msgid"] == "第一行\n第二行" and multiline["msgstr"] == ["line one\nline two"]


def test_catalog_has_many_entries(entries):
    assert len(entries) > 2000


def test_every_entry_is_translated_and_none_is_fuzzy(entries):
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"]) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_translations_are_english(entries):
    # Chinese may appear only where the source quotes Chinese values the user must type or will see as data
    # (import column names, 是/否, example holiday names), never as an untranslated sentence.
    chinese = [
        (e["msgid"], s)
        for e in entries
        for s in e["msgstr"]
        if HAN.search(s) and len(HAN.findall(s)) * 3 > len(s)
    ]
    assert chinese == []


def test_placeholders_and_markup_are_kept(entries):
    broken = []
    for e in entries:
        if "msgid_plural" in e:
            allowed = set(PLACEHOLDER.findall(e["msgid"])) | set(PLACEHOLDER.findall(e["msgid_plural"]))
            if sorted(PLACEHOLDER.findall(e["msgstr"][-1])) != sorted(PLACEHOLDER.findall(e["msgid_plural"])):
                broken.append(e["msgid"])
            if any(not set(PLACEHOLDER.findall(s)) <= allowed for s in e["msgstr"]):
                broken.append(e["msgid"])
        elif sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(e["msgstr"][0])):
            broken.append(e["msgid"])
        for s in e["msgstr"]:
            if e["msgid"].endswith("\n") != s.endswith("\n"):
                broken.append(e["msgid"])
    assert broken == []


def test_glossary_terms_are_used_consistently():
    with translation.override("en"):
        assert translation.gettext("办件编号") == "Case number"
        assert translation.gettext("容缺受理") == "Tolerant acceptance (missing materials to follow)"
        assert translation.gettext("告知承诺") == "Notification and commitment"
        assert translation.gettext("一次性告知补正") == "One-time notice of corrections"
        assert translation.gettext("统一社会信用代码") == "Unified social credit code (USCC)"
        assert translation.gettext("长辈版") == "Senior mode"
        assert translation.gettext("好差评") == "Good/bad ratings"
        assert translation.gettext("电子证照") == "E-licence"
        assert translation.gettext("综合窗口") == "Comprehensive window"
        assert translation.ngettext("%(n)s 项", "%(n)s 项", 1) % {"n": 1} == "1 item"
        assert translation.ngettext("%(n)s 项", "%(n)s 项", 3) % {"n": 3} == "3 items"


def _visible_chinese(html: str) -> list[str]:
    # Settings values (site name, ICP filing numbers) and the 中文 switch label are Chinese by design.
    for allowed in (settings.SITE_NAME, settings.SITE_ICP, settings.SITE_PSB, ">中文<"):
        html = html.replace(allowed, "")
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.findall(r"[\u4e00-\u9fff][^<\"]{0,20}", html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/password-reset/",
        "/accounts/privacy/",
        "/lookup/",
        "/cases/lookup/",
        "/sitemap/",
    ],
)
def test_english_pages_show_no_chinese_interface_text(client, url):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert _visible_chinese(html) == []
