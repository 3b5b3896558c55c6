"""Helpers of the report tests: the simulator's control API and checks of the HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx

from anthropic_sim.server import RunningSimulator

VOID = {"meta", "br", "img", "hr", "input", "link", "col", "rect", "line", "polygon", "path"}
FETCHING_TAGS = {"script", "link", "iframe", "img", "object", "embed", "image", "use", "base"}
FETCHING_CSS = re.compile(r"@import|url\(", re.IGNORECASE)
URL = re.compile(r"https?://", re.IGNORECASE)


def mutate(running: RunningSimulator, **body: Any) -> dict[str, Any]:
    """One operation of the simulator's control API (see anthropic_sim/control.py)."""
    response = httpx.post(
        f"{running.base_url}/_control/mutate", json=body, headers=running.control_headers()
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]


class ReportPage(HTMLParser):
    """What the tests look at in the HTML: ids, links, tags, text, and nesting errors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.text: list[str] = []
        self.styles: list[str] = []  # <style> contents and style="..." attributes
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.add(value)
            if tag == "a" and name == "href" and value:
                self.links.append(value)
            if name == "style" and value:
                self.styles.append(value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)


def parse_page(html: str) -> ReportPage:
    page = ReportPage()
    page.feed(html)
    page.close()
    assert not page.errors, page.errors[:5]
    assert not page.stack, f"unclosed tags: {page.stack}"
    return page


def assert_self_contained(html: str, browser_url: str) -> None:
    """No script, no external resource; the only URLs are links into Neo4j Browser."""
    page = parse_page(html)
    assert not FETCHING_TAGS & set(page.tags), FETCHING_TAGS & set(page.tags)
    assert not any(FETCHING_CSS.search(style) for style in page.styles)
    browser_links = [link for link in page.links if link.startswith(browser_url)]
    urls_in_links = sum(len(URL.findall(link)) for link in browser_links)
    assert len(URL.findall(html)) == urls_in_links, "a URL that is not a Neo4j Browser link"
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), f"event handler {name} on <{tag}>"
        assert name not in ("src", "srcset", "xlink:href", "action"), f"<{tag} {name}>"
        if tag != "a" or name != "href":
            assert not URL.search(value), f"<{tag} {name}={value!r}>"
