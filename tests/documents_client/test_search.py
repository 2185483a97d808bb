"""Local full-text search: Chinese queries of any length, 文号, opinions, filters, PDF
attachment text, ranking, and the index following every change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from modules.documents import search, service
from modules.documents.render import render_pdf
from sync.blobs import BlobStore
from sync.cache import LocalCache
from tests.documents_client import support


def ids(hits: list[dict]) -> list[str]:
    return [h["id"] for h in hits]


def _by_title(cache: LocalCache, fragment: str) -> str:
    return next(r["id"] for r in service.DocumentService(cache, None, support.ME).page("all")
                if fragment in r["title"])


def test_tokens_and_match_expressions() -> None:
    assert search.index_tokens("防汛工作 2026 ABC") == "防汛 汛工 工作 作 2026 abc"
    assert search.match_query("防汛") == '"防汛"'
    assert search.match_query("防汛工作") == '"防汛 汛工 工作"'
    assert search.match_query("汛") == '"汛" *'
    assert search.match_query("江府办〔2026〕41号") == '"江府 府办" AND "2026" AND "41" AND "号" *'
    assert search.match_query("  ，。") is None


def test_chinese_queries_of_every_length(demo_cache: LocalCache) -> None:
    flood = _by_title(demo_cache, "防汛抗旱")
    assert ids(search.search(demo_cache, "防汛"))[0] == flood  # 2 characters
    minutes = _by_title(demo_cache, "常务会议纪要")  # mentions 防汛抗旱 in its body
    assert set(ids(search.search(demo_cache, "汛"))) == {flood, minutes}  # 1 character
    assert ids(search.search(demo_cache, "汛"))[0] == flood  # in the title: ranked first
    assert ids(search.search(demo_cache, "行政首长负责制")) == [flood]  # body phrase
    # A phrase is consecutive: the characters of 防汛 and 责任 elsewhere do not match 防责.
    assert search.search(demo_cache, "防责") == []
    # All words must match (AND).
    assert ids(search.search(demo_cache, "防汛 水库")) == [flood]
    assert search.search(demo_cache, "防汛 量子") == []
    hit = search.search(demo_cache, "水库")[0]
    assert "水库" in hit["snippet"]


def test_doc_number_and_opinions(demo_cache: LocalCache) -> None:
    numbered = _by_title(demo_cache, "政务服务事项清单")
    assert ids(search.search(demo_cache, "江府办〔2026〕38号"))[0] == numbered
    assert ids(search.search(demo_cache, "38号")) == [numbered]
    # An opinion's words and its writer's name are searchable.
    report = _by_title(demo_cache, "政务公开")
    assert ids(search.search(demo_cache, "第四季度")) == [report]
    assert report in ids(search.search(demo_cache, "李娜 补充"))


def test_title_ranks_above_body(cache: LocalCache) -> None:
    in_title = support.make_record("d-000000000001", support._spec(
        "通知", "关于营商环境评估的通知", ["请按时报送材料。"]), "p-1")
    in_body = support.make_record("d-000000000002", support._spec(
        "通知", "关于报送材料的通知", ["为优化营商环境，请按时报送材料。"]), "p-1",
        start=support.BASE_TIME + dt.timedelta(days=1))
    support.seed(cache, [in_body, in_title])
    assert ids(search.search(cache, "营商环境")) == ["d-000000000001", "d-000000000002"]


def test_filters(demo_cache: LocalCache) -> None:
    assert {h["doc_type"] for h in search.search(demo_cache, "关于", filters={"doc_type": "请示"})} == {"请示"}
    done = search.search(demo_cache, "通知", filters={"status": "done"})
    assert [h["step_name"] for h in done] == ["已核发"]
    assert {h["status"] for h in search.search(demo_cache, "", filters={"status": ["draft", "voided"]})} \
        == {"draft", "voided"}
    assert search.search(demo_cache, "通知", filters={"date_from": "2030-01-01"}) == []
    days = {h["date"] for h in search.search(demo_cache, "", filters={
        "date_from": "2026-11-19", "date_to": "2026-11-19"})}
    assert days == {"2026-11-19"}
    assert search.search(demo_cache, "通知", filters={"body_id": "b-none"}) == []
    assert search.search(demo_cache, "通知", filters={"body_id": "b-jh-gov"})


def test_the_index_follows_changes_and_removals(demo_cache: LocalCache) -> None:
    engine = support.LocalEngine(demo_cache, support.ME)
    svc = service.DocumentService(demo_cache, engine, support.ME)
    draft = _by_title(demo_cache, "森林防火")
    doc = svc.get(draft)
    svc.save_draft(draft, {**doc["spec"], "title": "关于开展冬季森林防火宣传的通知",
                           "body": ["请各地开展巡山护林工作。"]})
    assert ids(search.search(demo_cache, "巡山护林")) == [draft]
    assert search.search(demo_cache, "进村入户") == []
    support.seed(demo_cache, [])  # nothing
    with demo_cache.write() as s:
        from sync.local import apply_server_changes

        apply_server_changes(s, [((service.ENTITY, draft), None, 999)], principal=support.ME)
    assert search.search(demo_cache, "巡山护林") == []


def test_rank_window_still_finds_old_rare_matches(cache: LocalCache,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", 5)
    records = [support.make_record(f"d-{i:012x}", support._spec(
        "通知", f"关于第{i}批事项的通知", ["做好工作。"]), "p-1") for i in range(12)]
    support.seed(cache, records)
    assert len(search.search(cache, "工作", limit=50)) == 5  # body hits: only the window
    assert len(search.search(cache, "工作", limit=3)) == 3
    assert len(search.search(cache, "事项", limit=50)) == 12  # title hits: all of them
    assert ids(search.search(cache, "第0批")) == ["d-000000000000"]
    assert ids(search.search(cache, "做好 第0批")) == ["d-000000000000"]  # old but rare


def test_pdf_attachment_text_is_searchable(cache: LocalCache, tmp_path: Path) -> None:
    blobs = BlobStore(cache, tmp_path / "blobs")
    pdf = render_pdf({"doc_type": "通知", "title": "关于水库巡查的通知", "issuer_mark": "江海市水利局文件",
                      "body": ["各水库管理单位要落实汛期巡查值守制度，严禁擅离职守。"]}).pdf
    sha = blobs.add_bytes(pdf)
    record = support.make_record("d-000000000abc", support._spec("通知", "关于转发水利局文件的通知",
                                                                 ["现将有关文件转发给你们。"]), "p-1",
                                 attachments=[{"name": "巡查制度", "sha256": sha, "size": len(pdf),
                                               "content_type": "application/pdf"}])
    support.seed(cache, [record])
    assert search.search(cache, "擅离职守") == []  # not extracted yet
    assert ids(search.search(cache, "巡查制度")) == ["d-000000000abc"]  # the name is indexed
    svc = service.DocumentService(cache, None, support.ME, blobs=blobs)
    assert svc.index_attachments() == 1
    assert ids(search.search(cache, "擅离职守")) == ["d-000000000abc"]
    assert svc.index_attachments() == 0  # done once
    assert search.extract_pdf_text(tmp_path / "missing.pdf") == ""


def test_body_matches_rank_by_bm25_or_recency(cache: LocalCache) -> None:
    older = support.make_record("d-00000000000a", support._spec(
        "通知", "关于汛期值守的通知", ["防汛抗旱。防汛物资。防汛队伍。"]), "p-1")
    newer = support.make_record("d-00000000000b", support._spec(
        "通知", "关于值班安排的通知", ["做好防汛抗旱。"]), "p-1",
        start=support.BASE_TIME + dt.timedelta(days=2))
    support.seed(cache, [older, newer])
    # two characters: BM25 — more occurrences rank first
    assert ids(search.search(cache, "防汛")) == ["d-00000000000a", "d-00000000000b"]
    # a longer phrase: newest first (no BM25 document count for multi-bigram phrases)
    assert ids(search.search(cache, "防汛抗旱")) == ["d-00000000000b", "d-00000000000a"]
