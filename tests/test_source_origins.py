"""Origins: copies of one account share a key, so corroboration counts accounts, not files."""
from __future__ import annotations

from sqlalchemy import select, text

from tawthiq.domain import Source, SourceKind
from tawthiq.domain.origins import origin_key
from tawthiq.store import repository
from tawthiq.store.db import Database
from tawthiq.store.tables import sources

ARTICLE = ("Russian aircraft struck the market in Ariha on 7 October 2015, killing five civilians "
           "including two children, according to local activists.")


def test_copies_of_one_text_share_an_origin_whatever_the_spacing_or_letters() -> None:
    a = origin_key(sha256="a" * 64, text=ARTICLE, metadata=None)
    b = origin_key(sha256="b" * 64, text="  " + ARTICLE.replace(" ", "\n  ").upper(), metadata={})
    assert a == b and a.startswith("text:")
    ar1 = origin_key(sha256="c" * 64, text="قصفت الطائرات الروسية سوق أريحا يوم السابع من تشرين الأول "
                                           "ما أدى إلى مقتل خمسة مدنيين بينهم طفلان حسب ناشطين محليين", metadata=None)
    ar2 = origin_key(sha256="d" * 64, text="قَصفت الطائرات الروسية سوق اريحا يوم السابع من تشرين الاول "
                                           "ما ادى الى مقتل خمسة مدنيين بينهم طفلان حسب ناشطين محليين", metadata=None)
    assert ar1 == ar2
    assert origin_key(sha256="a" * 64, text=ARTICLE + " A second strike followed.", metadata=None) != a


def test_short_texts_forwards_and_batch_rows() -> None:
    # Two short texts that say the same few words are not trusted to be one account.
    assert origin_key(sha256="a" * 64, text="Airstrike on Ariha", metadata=None) != origin_key(
        sha256="b" * 64, text="Airstrike on Ariha", metadata=None)
    # A forwarded Telegram message is its first chat's message, whatever channel re-posted it.
    fwd = {"forwarded_from_id": "channel123", "date": "2015-10-07T10:00:00"}
    assert origin_key(sha256="a" * 64, text="x", metadata=fwd) == origin_key(sha256="b" * 64, text="y", metadata=fwd)
    # Rows of one batch file are separate accounts.
    assert origin_key(sha256="a" * 64, record_key="row:1", text="short", metadata=None) != origin_key(
        sha256="a" * 64, record_key="row:2", text="short", metadata=None)


def test_the_store_keeps_the_origin_and_the_upgrade_computes_it_for_old_sources(database_url: str) -> None:
    from alembic import command

    from tawthiq.store import dialect
    from tawthiq.store.db import alembic_config, connect, init_db

    db = connect(database_url)
    try:
        cfg = alembic_config(db)
        with dialect.write_engine(db.engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0010")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO sources (kind, sha256, record_key, text, metadata) "
                              "VALUES ('text', :s, '', :t, '{}')"), {"s": "e" * 64, "t": ARTICLE})
        init_db(db)  # to head
        sid, _, _ = repository.add_source_with_incidents(
            db, Source(kind=SourceKind.TEXT, sha256="f" * 64, text=ARTICLE.replace(" ", "  ")), [])
        with db.session() as session:
            origins = dict(session.execute(select(sources.c.sha256, sources.c.origin)).all())
        assert origins["e" * 64] == origins["f" * 64] == origin_key(sha256="x", text=ARTICLE, metadata=None)
    finally:
        db.dispose()


def test_a_new_source_gets_its_origin(db: Database) -> None:
    sid, _, _ = repository.add_source_with_incidents(
        db, Source(kind=SourceKind.IMAGE, sha256="9" * 64, text=""), [])
    with db.session() as session:
        assert session.scalar(select(sources.c.origin).where(sources.c.id == sid)) == "sha:" + "9" * 64
