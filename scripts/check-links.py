#!/usr/bin/env python3
"""Checks the relative links and #anchors of the repository's Markdown files (README.md, docs/).

usage: scripts/check-links.py [FILE.md ...]     exit 1 and a line per broken link when any is broken
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def anchors(path):
    """GitHub's anchors: headings lower-cased, punctuation dropped, spaces to dashes."""
    found = set()
    counts = {}
    in_code = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        text = line.lstrip("#").strip()
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        n = counts.get(slug, 0)
        counts[slug] = n + 1
        found.add(slug if n == 0 else "%s-%d" % (slug, n))
    return found


def links(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def main(files):
    broken = []
    for md in files:
        base = os.path.dirname(md)
        for link in links(md):
            if re.match(r"^[a-z]+:", link):
                continue
            target, _, anchor = link.partition("#")
            dest = os.path.normpath(os.path.join(base, target)) if target else md
            if not os.path.exists(dest):
                broken.append("%s: %s (no such file)" % (os.path.relpath(md, ROOT), link))
            elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                broken.append("%s: %s (no such heading)" % (os.path.relpath(md, ROOT), link))
    for line in broken:
        print(line)
    return 1 if broken else 0


if __name__ == "__main__":
    args = sys.argv[1:] or [os.path.join(ROOT, "README.md")] + [
        os.path.join(ROOT, "docs", f) for f in sorted(os.listdir(os.path.join(ROOT, "docs"))) if f.endswith(".md")]
    sys.exit(main(args))
