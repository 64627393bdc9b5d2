#!/usr/bin/env python3
"""A synthetic Graph corpus of SCALE times the vendored v1.0 pages (issue 22:
linear in corpus size), deterministic, for xtask/measure.sh.

usage: xtask/corpus.py SCALE OUT [IR.json]

OUT/v1/ is docs-input/graph-v1.0 as it is. Copy k (k = 2, 3, ...) is the same
pages with every type renamed (`user` -> `userx2`, `driveItem` ->
`driveItemx2`, in text, links and file names) and every request path moved
under `/ck/`, so its types and endpoints are new ones rather than duplicates.
A fractional last copy (SCALE 1.5: half a copy) renames every second type
(in name order) and holds only the pages named after a renamed type; its
references to the other types resolve to copy 1. Type names come from the
IR (`cargo xtask codegen --emit-ir`); words that are page syntax (annotation
block types, table headers) are never renamed.
"""
import json
import os
import re
import shutil
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DOCS = os.path.join(ROOT, "docs-input", "graph-v1.0")
# Never renamed: words the parser reads as syntax.
STOP = {"resource", "request", "response", "example", "ignored", "permissions", "enum", "type",
        "string", "json", "property", "properties", "entity", "value", "name", "id"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
HTTP = re.compile(r"^(\s*(?:GET|POST|PATCH|PUT|DELETE)\s+)(https://graph\.microsoft\.com/v1\.0)?/", re.M)


def pages():
    for d, _, fs in os.walk(DOCS):
        for f in sorted(fs):
            stem = f.rsplit(".", 1)[0]
            if f.endswith((".md", ".txt")) and not stem.upper() == stem:
                p = os.path.join(d, f)
                yield os.path.relpath(p, DOCS), p


def main():
    scale = float(sys.argv[1])
    out = sys.argv[2]
    ir = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None
    names = sorted({t["name"] for t in ir["types"]}) if ir else []
    names = [n for n in names if n.lower() not in STOP and len(n) > 2]
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(DOCS, os.path.join(out, "v1"))
    copies = int(scale)
    frac = scale - copies
    plan = [(k, names) for k in range(2, copies + 1)]
    if frac > 0:
        every = round(1 / frac)
        plan.append((copies + 1, names[::every]))
    for k, renamed in plan:
        exact = set(renamed)
        lower = {n.lower() for n in renamed}
        suffix = f"x{k}"

        def word(m):
            w = m.group(0)
            return w + suffix if w in exact else w

        def path_word(m):
            w = m.group(0)
            return w + suffix if w in exact or w in lower else w

        link = re.compile(r"(?<=[(/\[])([A-Za-z0-9-]+)(?=\.md\b)|(?<=[(/])([a-z0-9]+)(?=-[a-z0-9-]+\.md\b)")
        partial = len(renamed) < len(names)
        for rel, src in pages():
            new_rel = "/".join(WORD.sub(path_word, c) if c.endswith(".md") else c for c in rel.split(os.sep))
            if partial and new_rel == rel.replace(os.sep, "/"):
                continue
            text = open(src, encoding="utf-8", errors="surrogateescape").read()
            text = link.sub(lambda m: WORD.sub(path_word, m.group(0)), text)
            text = WORD.sub(word, text)
            text = HTTP.sub(lambda m: f"{m.group(1)}{m.group(2) or ''}/c{k}/", text)
            dst = os.path.join(out, f"copy{k}", new_rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            open(dst, "w", encoding="utf-8", errors="surrogateescape").write(text)


main()
