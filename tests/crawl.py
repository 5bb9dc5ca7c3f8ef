"""Reading the site as a visitor does: the links and forms of a page, and odd values for them.

Used by the fuzz test (tests/web/test_fuzz_every_form.py), which follows every link a role
sees and posts generated values to every form it finds, and by benchmarks/security_probe.py,
which does the same against gunicorn. Plain standard library: no browser, no parser to install.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

# Values a careless user or an attacker types: control characters, numbers beyond any column,
# dates that do not exist, unknown words where a choice is expected, formulas and markup.
ODD_VALUES = (
    "", " ", "\x00", "a\x00b", "\x1b[2J", "\u202e\u200b", "-1", "0", "2147483647",
    "2147483648", "-2147483649", "99999999999999999999", "1e9", "NaN", "9999-12-31",
    "0001-01-01", "2026-02-30", "9999-10000", "bogus", "all", "=1+1", "<script>x</script>",
    "' OR 1=1 --", "../../etc/passwd", "x" * 5000,
)


@dataclass
class Field:
    """One named input of a form: its kind (text, number, date, select, checkbox, hidden,
    textarea, file, ...) and, for choices, the values offered."""

    name: str
    kind: str
    options: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class Form:
    method: str                      # "get" or "post"
    action: str                      # path with query string, resolved against the page
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.action).query, keep_blank_values=True))


@dataclass
class Page:
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.page = Page()
        self._form: Form | None = None
        self._select: Field | None = None
        self._other_actions: list[str] = []
        self._plain_submit = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag in {"button", "input"}:
            self._formaction(a, default_type="submit" if tag == "button" else "text")
        if tag == "a" and a.get("href"):
            self.page.links.append(urljoin(self.base, a["href"]))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(),
                              action=urljoin(self.base, a.get("action") or self.base))
            self.page.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            self._input(a)
        elif tag == "textarea":
            self._add(Field(a["name"], "textarea"))
        elif tag == "select":
            self._select = self._add(Field(a["name"], "select"))
        elif tag == "button" and a.get("value"):
            self._add(Field(a["name"], "submit", value=a["value"]))

    def _formaction(self, a: dict[str, str], default_type: str) -> None:
        # A button with its own formaction sends the same fields elsewhere: another form.
        if self._form is None or (a.get("type") or default_type).lower() != "submit":
            return
        if a.get("formaction"):
            self._other_actions.append(urljoin(self.base, a["formaction"]))
        else:
            self._plain_submit = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _input(self, a: dict[str, str]) -> None:
        kind = (a.get("type") or "text").lower()
        if kind in {"checkbox", "radio"}:
            known = self._form.fields.get(a["name"]) if self._form else None
            if known is not None:
                known.options.append(a.get("value", "on"))
                return
            self._add(Field(a["name"], kind, options=[a.get("value", "on")]))
        elif kind not in {"submit", "reset", "image"}:
            self._add(Field(a["name"], kind, value=a.get("value", "")))

    def _add(self, found: Field) -> Field:
        assert self._form is not None
        return self._form.fields.setdefault(found.name, found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            if self._other_actions and not self._plain_submit:
                # Every button goes elsewhere: the form's own action is never sent.
                self.page.forms.remove(self._form)
            for action in self._other_actions:
                self.page.forms.append(Form(self._form.method, action, dict(self._form.fields)))
            self._form, self._other_actions, self._plain_submit = None, [], False
        elif tag == "select":
            self._select = None


def read_page(html: str, base: str) -> Page:
    """The links and forms of ``html``, addresses resolved against ``base`` (the page's path)."""
    reader = _Reader(base)
    reader.feed(html)
    reader.close()
    return reader.page


def same_site(address: str) -> str | None:
    """``address`` as a path with query when it stays on this site, else None."""
    parts = urlsplit(address)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "localhost"}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
