"""A publish through the operator services is announced and loaded by the other replicas at once
(in-process notifier here; tests/reliability/test_scale_out.py does the same over Redis)."""

from __future__ import annotations

from pathlib import Path

from bot.cluster.notify import IndexPublished, LocalNotifier
from bot.operators import OperatorServices
from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import Encoder
from tests.operators.files import NEW_FAQ, csv_bytes, row

TENANT = "namgang-lantern"


def test_a_publish_on_one_replica_is_loaded_by_the_other_without_polling(
    data_dir: Path, tmp_path: Path, encoder: Encoder
) -> None:
    notifier = LocalNotifier()
    heard: list[IndexPublished] = []
    notifier.subscribe(heard.append)
    replicas = []
    for name in ("a", "b"):
        # One database, separate index folders: what two hosts of a deployment share.
        settings = Settings(
            data_dir=data_dir, state_dir=tmp_path / name, database_url=f"sqlite:///{tmp_path / 'shared.db'}"
        )
        runtime = Runtime(settings, encoder=encoder)
        runtime.load(TENANT)
        replicas.append(OperatorServices(runtime, poll_interval=3600, notifier=notifier))
    a, b = replicas
    b.start()  # subscribes B; its poller would wait an hour
    try:
        rows = [row(e) for e in a.runtime.live_entries(TENANT)] + [row(NEW_FAQ)]
        draft = a.lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "tester")
        a.lifecycle.publish(TENANT, draft.version, "tester")
        assert heard == [IndexPublished(TENANT, draft.version, a.replica)]
        assert b.runtime.serving_version(TENANT) == draft.version
        assert b.runtime.search(TENANT, NEW_FAQ.question).hits[0].faq_id == NEW_FAQ.id
    finally:
        b.stop()
