"""English rendering in tests before the lead merges new strings into locale/en.

New msgids are listed in /work/notes/translations/*.tsv and reach locale/en/LC_MESSAGES/django.po later; until
then `pending_english()` adds the missing ones to the loaded English catalog for the duration of a test. Entries
the catalog already has are left alone, so once merged the real translations are what the tests read.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.utils.translation import trans_real

PENDING = {
    "龙湖区政务服务网": "Longhu District Government Services",
    "ICP备案号": "ICP filing no.",
    "公安机关互联网安全备案号": "Public security filing no.",
    "已保存，但编码仍不符合国家规则：%(problems)s": (
        "Saved, but the codes still do not follow the national rules: %(problems)s"
    ),
    "用户 %(user)s 不存在。": "User %(user)s does not exist.",
    "第%(row)s行：%(problems)s": "Row %(row)s: %(problems)s",
    "文件过大。": "File too large.",
    "证照数据文件不是有效的JSON。": "The licence data file is not valid JSON.",
    "分享链接（有效至 %(until)s）：": "Share link (valid until %(until)s):",
    "%(kind)s日期：%(on)s；原因：%(reason)s": "%(kind)s date: %(on)s; reason: %(reason)s",
    "社会救助": "Social assistance",
}


@contextmanager
def pending_english(entries: dict[str, str] | None = None):
    """Add the not yet merged English translations (PENDING, or `entries`) while the block runs."""
    catalog = trans_real.translation("en")._catalog
    added = [key for key in (entries or PENDING) if catalog.get(key) is None]
    for key in added:
        catalog[key] = (entries or PENDING)[key]
    try:
        yield
    finally:
        top = getattr(catalog, "_catalogs", [catalog])[0]
        for key in added:
            top.pop(key, None)
