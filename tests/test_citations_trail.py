"""Citations of a sentence or a paragraph, and the reading trail (the file, the command)."""

from __future__ import annotations

import json
import threading

from tuibrowser.cli import main
from tuibrowser.core import trail
from tuibrowser.core.article import Article
from tuibrowser.core.citations import citation, paragraph_span, quote_span, sentence_span
from tuibrowser.core.trail import TrailEvent

TEXT = (
    'Russia on Wednesday called on Baku to unblock the corridor. "We expect progress," '
    "Ms. Zakharova said. Mr. Lavrov met U.S. officials in Jan. 2023 to discuss it.\n\n"
    "A second paragraph, with a [link](x) and *stars*."
)


def test_the_sentence_holding_an_offset_skips_abbreviations_and_keeps_closing_quotes():
    quote = TEXT.index("We expect")
    start, end = sentence_span(TEXT, quote)
    assert TEXT[start:end] == '"We expect progress," Ms. Zakharova said.'
    lavrov = TEXT.index("Lavrov")
    start, end = sentence_span(TEXT, lavrov)
    assert TEXT[start:end] == "Mr. Lavrov met U.S. officials in Jan. 2023 to discuss it."
    assert TEXT[slice(*sentence_span(TEXT, 3))] == "Russia on Wednesday called on Baku to unblock the corridor."
    second = TEXT.index("second")
    assert TEXT[slice(*paragraph_span(TEXT, second))].startswith("A second paragraph")


def test_a_quote_is_cited_with_its_own_marks_balanced():
    text = "Lavrov said: “The incident is related. It is about the border,” he said. “Yes” too."
    words = text.index("The incident"), text.index(",” he")
    assert text[slice(*quote_span(text, *words))] == "“The incident is related. It is about the border,”"
    yes = text.index("Yes")
    assert text[slice(*quote_span(text, yes, yes + 3))] == "“Yes”"
    plain = "no marks here at all"
    assert quote_span(plain, 3, 8) == (3, 8)


def test_a_citation_is_markdown_with_the_source_and_nothing_invented():
    article = Article(
        "id-1",
        "Russia urges Baku",
        "2023-06-23",
        "Asbarez",
        None,
        "https://asbarez.com/x",
        tuple(TEXT.split("\n\n")),
        "a.txt",
        "h",
    )
    start, end = paragraph_span(TEXT, TEXT.index("second"))
    text = citation(article, start, end)
    assert text.startswith("> A second paragraph, with a \\[link\\](x) and \\*stars\\*.\n>\n")
    assert "> — [Russia urges Baku](https://asbarez.com/x), Asbarez, 2023-06-23 (tuibrowser: `id-1`)" in text
    bare = Article("id-2", "Untitled", None, None, None, None, ("Just text.",), "b.txt", "h")
    assert citation(bare, 0, 10).splitlines()[-1] == "> — “Untitled” (tuibrowser: `id-2`)"


def test_a_citation_links_only_web_addresses_and_keeps_them_whole():
    def cited(url: str, title: str = "JSON title") -> str:
        article = Article("id-3", title, "2023-01-02", "Src", None, url, ("Some text.",), "c.json", "h")
        return citation(article, 0, 10).splitlines()[-1]

    # An imported file's "url" is untrusted: a javascript: or file: link is not made.
    assert cited("javascript:alert(1)") == "> — “JSON title”, Src, 2023-01-02 (tuibrowser: `id-3`)"
    assert "file:" not in cited("file:///etc/passwd")
    # Brackets and spaces would end the link early; the title's brackets are escaped.
    assert cited("https://example.org/a_(b) c", "A [b] c").startswith(
        "> — [A \\[b\\] c](https://example.org/a_%28b%29%20c), "
    )


def test_the_trail_keeps_every_line_from_concurrent_writers_and_skips_bad_ones(isolated_user_dirs, capsys):
    def write(name: str) -> None:
        for number in range(200):
            trail.append(TrailEvent(f"2026-11-2{number % 2 + 4}T10:00:00+00:00", "article", f"{name}-{number}", name))

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with trail.trail_path().open("ab") as handle:
        handle.write(b"not json\n" + b'{"time": 5}\n' + b'{"time": "x", "kind": "evil", "id": "i", "title": "t"}\n')
    events = trail.read()
    assert len(events) == 400 and {e.id for e in events} >= {"a-0", "b-199"}
    assert main(["trail", "--json", "--since", "2026-11-25"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 200


def test_trail_markdown_lists_reads_lookups_and_citations_by_day(isolated_user_dirs, capsys):
    trail.append(TrailEvent("2026-11-24T09:05:00+01:00", "article", "a1", "First", "TASS", "2023-05-26", "https://x/1"))
    trail.append(TrailEvent("2026-11-25T10:15:00+01:00", "entity", "maria-zakharova", "Maria Zakharova"))
    trail.append(TrailEvent("2026-11-25T10:16:00+01:00", "citation", "a1", "First", text="> quoted\n>\n> — source\n"))
    assert main(["trail", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "# Reading trail\n\n## 2026-11-24\n\n- 09:05 read [First](https://x/1), TASS, 2023-05-26 (`a1`)"
    )
    assert "## 2026-11-25\n\n- 10:15 looked up Maria Zakharova (`maria-zakharova`)" in out
    assert "- 10:16 cited “First”:\n\n  > quoted" in out
    assert main(["trail", "--since", "2026-13"]) == 2
