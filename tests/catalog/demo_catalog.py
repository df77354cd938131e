"""The demo catalog for tests: the organisations and accounts seeds, then the catalog seed (through services)."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 20)


def load_demo_catalog() -> str:
    from bianmin.accounts import seed as accounts_seed
    from bianmin.catalog import seed as catalog_seed
    from bianmin.organisations import seed as organisations_seed

    organisations_seed.seed(today=TODAY)
    accounts_seed.seed(today=TODAY)
    return catalog_seed.seed(today=TODAY)
