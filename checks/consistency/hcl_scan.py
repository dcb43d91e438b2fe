"""Just enough HCL scanning for the static checks: top-level blocks and their bodies.

Not a parser: it finds `TYPE "LABEL" ... {` headers at nesting depth 0 and the
matching closing brace, skipping quoted strings and comments. That is all the
checks need (variable names and how many validation blocks each has, module
sources, run blocks of test files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Block:
    type: str
    labels: list[str]
    body: str


def _strip_comments_and_strings(text: str) -> str:
    """Replace comments and the contents of strings with spaces (same length)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j == -1 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j == -1 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            depth = 0
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith("${", j):
                    depth += 1
                    j += 2
                    continue
                if text[j] == "}" and depth:
                    depth -= 1
                elif text[j] == '"' and not depth:
                    break
                j += 1
            out.append('"' + " " * (j - i - 1) + '"')
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def blocks(text: str) -> list[Block]:
    masked = _strip_comments_and_strings(text)
    found = []
    header = re.compile(r'^([a-z_]+)((?:\s+"[^"\n]*")*)\s*\{', re.M)
    pos = 0
    while True:
        match = header.search(masked, pos)
        if not match:
            break
        depth, j = 0, match.end() - 1
        while j < len(masked):
            if masked[j] == "{":
                depth += 1
            elif masked[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        labels = re.findall(r'"([^"\n]*)"', text[match.start(2):match.end(2)])
        found.append(Block(match.group(1), labels, text[match.end():j]))
        pos = j + 1
    return found


def masked(text: str) -> str:
    return _strip_comments_and_strings(text)


def file_blocks(path: Path) -> list[Block]:
    return blocks(path.read_text())
