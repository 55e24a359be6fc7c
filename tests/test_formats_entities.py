"""Character references in imported text are read as the characters they stand for."""

from __future__ import annotations

import json

from conftest import terminal_unsafe
from tuibrowser.core.corpus import parse_articles
from tuibrowser.core.formats import decode_entities, read_items


def test_whole_references_are_decoded_and_nothing_else():
    assert decode_entities("&#163;1.8m fine at the caf&#233;") == "£1.8m fine at the café"
    assert decode_entities("&pound;5 &amp; &#x20AC;6") == "£5 & €6"
    assert decode_entities("a doubly escaped &amp;#39;quote&amp;#39;") == "a doubly escaped 'quote'"
    assert decode_entities("AT&T, R&D, &nosuch; and a bare &") == "AT&T, R&D, &nosuch; and a bare &"


def test_csv_json_feed_and_text_articles_are_decoded():
    csv = b"title,text\n&#163;1.8m indecency fine for Viacom,Media giant Viacom has paid a &#163;1.8m fine.\n"
    article = parse_articles(csv, "news.csv")[0]
    assert article.title == "£1.8m indecency fine for Viacom" and "£1.8m fine" in article.text
    record = json.dumps({"title": "Caf&#233; opens", "text": "The caf&#233; opened &amp; closed."}).encode()
    article = parse_articles(record, "item.json")[0]
    assert article.title == "Café opens" and "café opened & closed" in article.text
    text = b"Blair&#8217;s plan\n\nThe prime minister&#8217;s plan was &lt;new&gt;.\n"
    article = parse_articles(text, "plain.txt")[0]
    assert article.title == "Blair’s plan" and "minister’s plan was <new>." in article.text
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><item>'
        b"<title>Caf&amp;#233; news</title><description>A caf&amp;amp;#233; story about coffee and cake.</description>"
        b"</item></channel></rss>"
    )
    article = parse_articles(feed, "feed.xml")[0]
    assert article.title == "Café news" and "café story" in article.text


def test_a_reference_to_a_control_character_never_reaches_the_text():
    csv = b"title,text\nRed &#27;[31malert,Body &#27;]52;c;payload&#7; here and more words to keep.\n"
    article = parse_articles(csv, "news.csv")[0]
    assert terminal_unsafe(article.title) == [] and terminal_unsafe(article.text) == []


def test_references_still_decoded_after_an_html_file_was_read():
    """Reading an HTML file imports the submodule `formats.html`, which once rebound the
    package's name `html` (the stdlib module) and made every later text file a rejection."""
    page = "<html><head><title>A page</title></head><body><article><p>{}</p></article></body></html>"
    read_items(page.format("Some words of an article, long enough to be one. " * 8).encode(), "a.html")
    assert decode_entities("&#163;1.8m") == "£1.8m"
    assert read_items(b"Fine\n\nA &#163;1.8m fine.\n", "b.txt")
