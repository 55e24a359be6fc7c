"""The `--json` shapes the README documents, in one place.

Keys are a stable API for scripts: new keys may be added, none is ever renamed or dropped.
`tests/test_jsonshapes.py` checks every shape against the README's key lists.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tuibrowser.core.entities.curation.ops import CurationResult
    from tuibrowser.core.entities.registry import EntityRecord
    from tuibrowser.core.entities.sayings import QuotedArticle
    from tuibrowser.core.entities.views import MentionSpan
    from tuibrowser.core.importer import Verdict
    from tuibrowser.core.indexer import SyncReport
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.search import SearchResult
    from tuibrowser.core.services import EntityPage, OpenedArticle
    from tuibrowser.core.trail import TrailEvent
    from tuibrowser.core.watch import News

JSON = dict[str, Any]


def search_json(result: SearchResult) -> JSON:
    """`search --json`."""
    return {
        "query": result.query,
        "total": result.total,
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "date": hit.date,
                "source": hit.source,
                "score": hit.score,
                "snippet": hit.snippet,
                "snippet_text": hit.snippet_text,
                "snippet_marks": [list(span) for span in hit.snippet_marks],
                "path": hit.path,
            }
            for hit in result.hits
        ],
        "suggestion": result.suggestion,
        "notice": result.notice,
        "took_ms": result.took_ms,
        "total_exact": result.total_exact,
    }


def list_json(articles: list[ArticleSummary]) -> list[JSON]:
    """`list --json`."""
    return [{"id": a.id, "title": a.title, "date": a.date, "source": a.source, "path": a.path} for a in articles]


def article_json(opened: OpenedArticle) -> JSON:
    """`show --json`."""
    article = opened.article
    return {
        "id": article.id,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "byline": article.byline,
        "url": article.url,
        "text": article.text,
        "paragraphs": list(article.paragraphs),
        "path": article.path,
        "title_derived": article.title_derived,
        "entities": [
            {
                "id": item.entity.id,
                "name": item.entity.name,
                "type": item.entity.type,
                "discovered": item.entity.discovered,
                "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in item.mentions],
            }
            for item in opened.entities
        ],
        "quotes": [
            {"start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker, "cue": q.cue} for q in opened.quotes
        ],
    }


def entity_json(record: EntityRecord) -> JSON:
    """One entry of `entities --json`."""
    entity = record.entity
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "discovered": entity.discovered,
        "articles": record.articles,
        "mentions": record.mentions,
        "description": entity.description,
        "wikidata": entity.wikidata,
    }


def _mention_json(mention: MentionSpan) -> JSON:
    return {"start": mention.start, "end": mention.end, "text": mention.text, "context": mention.context}


def entity_page_json(page: EntityPage) -> JSON:
    """`entity NAME --json`: the entity, its concordance (date order) and related entities."""
    data = entity_json(page.record)
    data["articles"] = [
        {
            "id": a.id,
            "title": a.title,
            "date": a.date,
            "source": a.source,
            "mentions": [_mention_json(m) for m in a.mentions],
        }
        for a in page.articles
    ]
    data["related"] = [{"id": r.entity.id, "name": r.entity.name, "articles": r.articles} for r in page.related]
    timeline = page.timeline
    data["timeline"] = [{"period": p.label, "articles": p.articles, "mentions": p.mentions} for p in timeline.periods]
    data["timeline_by"] = timeline.by
    data["undated"] = {"articles": timeline.undated_articles, "mentions": timeline.undated_mentions}
    # Dated far outside the corpus's other dates, so outside the periods (see timeline.py).
    data["earlier"] = {"articles": timeline.earlier[0], "mentions": timeline.earlier[1]}
    data["later"] = {"articles": timeline.later[0], "mentions": timeline.later[1]}
    return data


def quotes_json(record: EntityRecord, articles: list[QuotedArticle]) -> JSON:
    """`quotes NAME --json`: what the entity said, articles in date order."""
    return {
        "id": record.entity.id,
        "name": record.entity.name,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "date": a.date,
                "source": a.source,
                "quotes": [
                    {"start": q.start, "end": q.end, "text": q.text, "cue": q.cue, "continues": q.continues}
                    for q in a.quotes
                ],
            }
            for a in articles
        ],
    }


def news_json(found: list[News]) -> list[JSON]:
    """`news --json`: for each watch, its new articles, newest first."""
    return [
        {
            "watch": item.watch.label,
            "kind": item.watch.kind,
            "new": [{"id": a.id, "title": a.title, "date": a.date, "source": a.source} for a in item.articles],
        }
        for item in found
    ]


def trail_json(events: list[TrailEvent]) -> list[JSON]:
    """`trail --json`: one object per step, oldest first."""
    return [
        {
            "time": e.time,
            "kind": e.kind,
            "id": e.id,
            "title": e.title,
            "source": e.source,
            "date": e.date,
            "url": e.url,
            "text": e.text,
        }
        for e in events
    ]


def import_json(verdicts: list[Verdict]) -> list[JSON]:
    """`import --json`: one object per input file."""
    return [{"path": v.path, "status": v.status, "ids": list(v.ids), "reason": v.reason} for v in verdicts]


def report_json(report: SyncReport) -> JSON:
    """`index --json`."""
    data = asdict(report)
    data["skipped"] = [{"path": path, "reason": why} for path, why in report.skipped]
    return data


def curation_json(result: CurationResult) -> JSON:
    """`entity rename|type|alias|unalias|merge|split|hide|unhide|promote|undo|redo --json`."""
    return {
        "op": result.op,
        "changed": result.changed,
        "summary": result.summary,
        "entities": list(result.entities),
        "added": list(result.added),
        "removed": list(result.removed),
        "moved": dict(result.moved),
        "spellings": list(result.spellings),
        "hidden": list(result.hidden),
        "diff": result.diff,
        "seq": result.seq,
        "relinked": result.report.relinked if result.report is not None else None,
        "notice": result.notice,
    }
