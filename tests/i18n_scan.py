"""Finds text a worker would read that is not marked for translation (tests/alliedup/test_i18n.py).

A template is lexed as Django does; text inside {% blocktranslate %}, comments and <script>/
<style> is skipped, every {{ variable }} and {% tag %} becomes a placeholder, and what is
left is read as HTML: its text and its user-visible attributes (title, alt, placeholder,
aria-label, a button's value) must hold no letters. Plain-text templates (emails, SMS) are
read as text. Two slips a string check misses are reported too: a date format with month or
day names not wrapped in _() (its order stays English) and |pluralize (English plurals).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

PLACEHOLDER = "\x00"
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
LETTER = re.compile(r"[^\W\d_]")
# Punctuation around an allowed text ("· Co-op Ops", "(PDF)") does not need translating either.
EDGES = re.compile(r"^[^\w]+|[^\w]+$")
# A literal date format argument: date:"M j, Y" (not date:_("M j, Y")).
DATE_LITERAL = re.compile(r"""\|date:(["'])(?P<format>.*?)\1""")
# Format characters that print words (month and weekday names, a.m./p.m.); a backslash escapes.
NAMED_FORMAT = re.compile(r"(?<!\\)[DlMFNbEAaP]")
BLOCK_TRANSLATE = re.compile(r"^(blocktranslate|blocktrans)\b")
END_BLOCK_TRANSLATE = re.compile(r"^(endblocktranslate|endblocktrans)\b")


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    text: str

    def __str__(self):
        return f"{self.template}:{self.line}: {self.text!r}"


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and (name in VISIBLE_ATTRIBUTES or (name == "value" and tag == "input"
                                                          and attrs.get("type") in ("submit", "button", "reset"))):
                self.chunks.append((self.getpos()[0], value))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append((self.getpos()[0], data))


def _flatten(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The template with its tags replaced by placeholders and translated blocks dropped,
    and the variable/tag contents (for the date and pluralize checks), with line numbers."""
    out, expressions = [], []
    skip_until = None
    for token in Lexer(source).tokenize():
        if skip_until is not None:
            if token.token_type == TokenType.BLOCK and skip_until.match(token.contents):
                skip_until = None
            elif token.token_type == TokenType.VAR:
                expressions.append((token.lineno, token.contents))
            # keep the line count right for what follows
            out.append("\n" * token.contents.count("\n"))
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            contents = token.contents
            expressions.append((token.lineno, contents))
            if BLOCK_TRANSLATE.match(contents):
                skip_until = END_BLOCK_TRANSLATE
            elif contents == "comment" or contents.startswith("comment "):
                skip_until = re.compile(r"^endcomment\b")
            elif contents == "verbatim" or contents.startswith("verbatim "):
                skip_until = re.compile(r"^endverbatim\b")
        elif token.token_type == TokenType.VAR:
            expressions.append((token.lineno, token.contents))
        out.append(PLACEHOLDER + "\n" * token.contents.count("\n"))
    return "".join(out), expressions


def untranslated(path: Path, name: str, allowed: set[str]) -> list[Finding]:
    """Text in the template at `path` (named `name` in reports) that a reader sees and no
    translation tag covers, except the `allowed` texts (names, symbols); plus literal date
    formats with names and |pluralize."""
    source = path.read_text()
    flat, expressions = _flatten(source)
    if path.suffix == ".html":
        parser = _VisibleText()
        parser.feed(flat)
        parser.close()
        chunks = parser.chunks
    else:
        chunks, line = [], 1
        for part in flat.split(PLACEHOLDER):
            chunks.append((line, part))
            line += part.count("\n")
    findings = []
    for line, chunk in chunks:
        for piece in chunk.split(PLACEHOLDER):
            text = " ".join(piece.split())
            if text and LETTER.search(text) and EDGES.sub("", text) not in allowed:
                findings.append(Finding(name, line + piece.count("\n", 0, len(piece) - len(piece.lstrip())), text))
    for line, contents in expressions:
        for match in DATE_LITERAL.finditer(contents):
            if NAMED_FORMAT.search(match.group("format")):
                findings.append(Finding(name, line, f"date format {match.group(0)} needs _() (Spanish puts the day first)"))
        if re.search(r"\|pluralize\b", contents):
            findings.append(Finding(name, line, "|pluralize is English only: use {% blocktranslate count %}"))
    return findings


# --- a small reader of .po files ------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstrs: tuple[str, ...] = ()
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def key(self):
        return (self.msgctxt, self.msgid)


def _c_unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(escapes.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file as makemessages writes it (entries apart by blank lines),
    without the header (msgid "")."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text()):
        fields, flags, obsolete, current = {}, set(), False, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                obsolete, line = True, line[2:].strip()
            elif line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
                continue
            elif line.startswith("#") or not line:
                continue
            if line.startswith('"'):
                fields[current] += _c_unescape(line[1:-1])
            else:
                current, _, rest = line.partition(" ")
                fields[current] = _c_unescape(rest.strip()[1:-1])
        if fields.get("msgid"):
            strs = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
            entries.append(Entry(fields["msgid"], fields.get("msgid_plural", ""), fields.get("msgctxt"), strs,
                                 "fuzzy" in flags, obsolete))
    return entries
