"""Checks the Atom feeds of a running Ponder site with feedparser (PyPI), the parser
most feed readers build on: a feed must be well-formed XML that it reads as Atom
1.0, and hold what RFC 4287 requires of a feed and of each entry (an id, a title,
an updated date it can read, an author, a link), with ids that do not repeat and
dates in RFC 3339. Each feed is found the way a reader finds it: from the
<link rel="alternate"> of its page.

usage: python check.py BASE_URL
"""

import re
import sys
import urllib.request

import feedparser

FEED_LINK = re.compile(
    r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">'
)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers.get("Content-Type", "")


def first_link(base, page, prefix):
    html, _ = fetch(base + page)
    found = re.search(r'href="(' + re.escape(prefix) + r'[^"#?]+)"', html.decode())
    if not found:
        sys.exit(f"no link starting {prefix} on {page}")
    return found.group(1)


def check(base, page):
    html, _ = fetch(base + page)
    links = FEED_LINK.findall(html.decode())
    if len(links) != 1:
        sys.exit(f"{page}: expected one Atom link, found {links}")
    url = base + links[0]
    body, content_type = fetch(url)
    if not content_type.startswith("application/atom+xml"):
        sys.exit(f"{url}: Content-Type {content_type}")
    parsed = feedparser.parse(body)
    if parsed.bozo:
        sys.exit(f"{url}: not well-formed: {parsed.bozo_exception}")
    if parsed.version != "atom10":
        sys.exit(f"{url}: read as {parsed.version!r}, not Atom 1.0")
    feed = parsed.feed
    for field in ("id", "title", "updated_parsed"):
        if not feed.get(field):
            sys.exit(f"{url}: the feed has no {field}")
    if not any(link.get("rel") == "self" for link in feed.get("links", [])):
        sys.exit(f"{url}: no self link")
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
    ids = []
    for entry in parsed.entries:
        for field in ("id", "title", "updated_parsed", "published_parsed", "link", "author"):
            if not entry.get(field):
                sys.exit(f"{url}: an entry has no {field}")
        if not rfc3339.match(entry.updated) or not rfc3339.match(entry.published):
            sys.exit(f"{url}: {entry.id}: dates are not RFC 3339")
        if not re.match(r"^[a-z][a-z0-9+.-]*:", entry.id):
            sys.exit(f"{url}: entry id {entry.id!r} is not an absolute IRI")
        ids.append(entry.id)
    if len(ids) != len(set(ids)):
        sys.exit(f"{url}: entry ids repeat")
    print(f"ok - {links[0]}: Atom 1.0, {len(ids)} entries")
    return len(ids)


def main():
    base = sys.argv[1].rstrip("/")
    pages = [
        "/",
        first_link(base, "/", "/questions/"),
        first_link(base, "/categories", "/categories/"),
        first_link(base, "/tags", "/tags/"),
        first_link(base, first_link(base, "/", "/questions/"), "/users/"),
    ]
    entries = sum(check(base, page) for page in pages)
    if entries == 0:
        sys.exit("every feed was empty")
    print(f"feeds: {len(pages)} feeds valid")


if __name__ == "__main__":
    main()
