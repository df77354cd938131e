"""The full-text index of the catalog (bianmin.catalog.search): a plain table of jieba-segmented text
per item, plus an FTS5 external-content table and its triggers on SQLite, or a generated tsvector
column with a GIN index on PostgreSQL. Raw SQL on purpose: no model owns these tables; the catalog
search module reads and writes them."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TABLE IF NOT EXISTS catalog_itemsearch (
        item_id integer NOT NULL PRIMARY KEY,
        name_text text NOT NULL DEFAULT '',
        alias_text text NOT NULL DEFAULT '',
        body_text text NOT NULL DEFAULT ''
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS catalog_itemsearch_fts USING fts5(
        name_text, alias_text, body_text,
        content='catalog_itemsearch', content_rowid='item_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS catalog_itemsearch_ai AFTER INSERT ON catalog_itemsearch BEGIN
        INSERT INTO catalog_itemsearch_fts(rowid, name_text, alias_text, body_text)
        VALUES (new.item_id, new.name_text, new.alias_text, new.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS catalog_itemsearch_ad AFTER DELETE ON catalog_itemsearch BEGIN
        INSERT INTO catalog_itemsearch_fts(catalog_itemsearch_fts, rowid, name_text, alias_text, body_text)
        VALUES ('delete', old.item_id, old.name_text, old.alias_text, old.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS catalog_itemsearch_au AFTER UPDATE ON catalog_itemsearch BEGIN
        INSERT INTO catalog_itemsearch_fts(catalog_itemsearch_fts, rowid, name_text, alias_text, body_text)
        VALUES ('delete', old.item_id, old.name_text, old.alias_text, old.body_text);
        INSERT INTO catalog_itemsearch_fts(rowid, name_text, alias_text, body_text)
        VALUES (new.item_id, new.name_text, new.alias_text, new.body_text);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_itemsearch_au",
    "DROP TRIGGER IF EXISTS catalog_itemsearch_ad",
    "DROP TRIGGER IF EXISTS catalog_itemsearch_ai",
    "DROP TABLE IF EXISTS catalog_itemsearch_fts",
    "DROP TABLE IF EXISTS catalog_itemsearch",
]
POSTGRES_FORWARD = [
    """CREATE TABLE IF NOT EXISTS catalog_itemsearch (
        item_id bigint NOT NULL PRIMARY KEY,
        name_text text NOT NULL DEFAULT '',
        alias_text text NOT NULL DEFAULT '',
        body_text text NOT NULL DEFAULT '',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', name_text), 'A')
            || setweight(to_tsvector('simple', alias_text), 'B')
            || setweight(to_tsvector('simple', body_text), 'D')
        ) STORED
    )""",
    "CREATE INDEX IF NOT EXISTS catalog_itemsearch_document_gin ON catalog_itemsearch USING gin (document)",
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS catalog_itemsearch"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_seed_themes")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
