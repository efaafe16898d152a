#!/usr/bin/env python3
"""Usage: python3 tools/check-doc-links.py [repo root]. Every relative link in README.md and docs/**/*.md resolves: the file exists, and an anchor names a heading."""
import re, sys, pathlib
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.').resolve()
def slug(h):
    h = h.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)
    return h.replace(' ', '-')
def anchors(path):
    out, fence = set(), False
    for l in path.read_text(encoding='utf-8').splitlines():
        if l.startswith('```'): fence = not fence
        m = None if fence else re.match(r'^#+\s+(.*)', l)
        if m: out.add(slug(m.group(1)))
    return out
bad = 0; n = 0
files = [root/'README.md'] + sorted((root/'docs').rglob('*.md'))
for f in files:
    text = f.read_text(encoding='utf-8')
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    for m in re.finditer(r'\]\(([^)\s]+)\)', text):
        t = m.group(1)
        if re.match(r'^[a-z][a-z0-9+.-]*:', t): continue
        n += 1
        path, _, anchor = t.partition('#')
        target = (f.parent / path).resolve() if path else f
        if not target.exists():
            print(f'{f.relative_to(root)}: {t}: no such file'); bad += 1; continue
        if anchor and target.suffix == '.md' and anchor not in anchors(target):
            print(f'{f.relative_to(root)}: {t}: no such heading'); bad += 1
print(f'{n} relative links, {bad} broken'); sys.exit(1 if bad else 0)
