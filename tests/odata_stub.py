"""A local HTTP server that answers like the CBS OData v3 API, for testing ``gka_dash.cbs``.

It serves, for each table folder under ``tests/data/odata/<TABLE>/``, the JSON files found there
(``TableInfos``, ``DataProperties``, ``TypedDataSet``, ``WijkenEnBuurten``), under the URLs
``cbsodata`` requests (``/ODataFeed/odata/<TABLE>/...``; ``/ODataApi/odata/...`` too):

- ``<TABLE>/`` lists the table's sub-tables (name, url), as CBS does;
- ``TypedDataSet`` evaluates ``$filter`` for real (``eq``, ``ne``, ``and``, ``or``, ``not``,
  parentheses, ``substringof``, ``startswith``, ``endswith``; string comparison is exact, so keys
  must carry CBS's padding), applies ``$select``, ``$skip`` and ``$top``, and pages with
  ``odata.nextLink`` after :attr:`OdataStub.page_size` rows;
- an unsupported filter gives HTTP 400, an unknown table or sub-table HTTP 404.

Every request is recorded in :attr:`OdataStub.requests` (path and decoded query parameters), and
:attr:`OdataStub.fail_status` makes every answer an error (e.g. 503), for failure tests.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

DATA_DIR = Path(__file__).resolve().parent / "data" / "odata"
_SERVICES = ("ODataFeed/odata", "ODataApi/odata")
# The sub-tables a KWB table lists at its root, in CBS's order.
_SUBTABLES = ("TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties", "CategoryGroups",
              "WijkenEnBuurten")


class FilterError(ValueError):
    """The $filter uses something this server (like CBS) does not understand."""


# ------------------------------------------------------------------------------------------
# $filter: tokenizer, recursive-descent parser, evaluator

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_]\w*)"
                    r"|(?P<punct>[(),]))")
_FUNCTIONS = {
    "substringof": lambda needle, haystack: needle in haystack,
    "startswith": lambda text, prefix: text.startswith(prefix),
    "endswith": lambda text, suffix: text.endswith(suffix),
}
_COMPARE = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b}


def _tokens(text: str) -> list[tuple[str, object]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise FilterError(f"syntax error at {pos}: {text[pos:pos + 20]!r}")
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "str":
            out.append(("lit", value[1:-1].replace("''", "'")))
        elif kind == "num":
            out.append(("lit", float(value)))
        else:
            out.append((kind, value))
    return out


class _Parser:
    """expr := and ('or' and)* ; and := unary ('and' unary)* ;
    unary := 'not' unary | cmp ; cmp := atom (('eq'|'ne') atom)? ;
    atom := literal | field | func '(' expr (',' expr)* ')' | '(' expr ')'"""

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.pos = 0

    def parse(self):
        node = self._or()
        if self.pos != len(self.tokens):
            raise FilterError(f"unexpected {self.tokens[self.pos][1]!r}")
        return node

    def _peek(self, *values):
        if self.pos < len(self.tokens) and self.tokens[self.pos][1] in values:
            return self.tokens[self.pos][1]
        return None

    def _take(self, value):
        if not self._peek(value):
            raise FilterError(f"expected {value!r}")
        self.pos += 1

    def _or(self):
        node = self._and()
        while self._peek("or"):
            self.pos += 1
            node = ("or", node, self._and())
        return node

    def _and(self):
        node = self._unary()
        while self._peek("and"):
            self.pos += 1
            node = ("and", node, self._unary())
        return node

    def _unary(self):
        if self._peek("not"):
            self.pos += 1
            return ("not", self._unary())
        node = self._atom()
        op = self._peek(*_COMPARE)
        if op:
            self.pos += 1
            node = (op, node, self._atom())
        return node

    def _atom(self):
        if self.pos >= len(self.tokens):
            raise FilterError("unexpected end of filter")
        kind, value = self.tokens[self.pos]
        self.pos += 1
        if kind == "lit":
            return ("lit", value)
        if value == "(":
            node = self._or()
            self._take(")")
            return node
        if kind == "name" and self._peek("("):
            if value not in _FUNCTIONS:
                raise FilterError(f"unknown function {value!r}")
            self._take("(")
            args = [self._or()]
            while self._peek(","):
                self.pos += 1
                args.append(self._or())
            self._take(")")
            return ("call", value, args)
        if kind == "name":
            return ("field", value)
        raise FilterError(f"unexpected {value!r}")


def _evaluate(node, row: dict):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "field":
        if node[1] not in row:
            raise FilterError(f"unknown property {node[1]!r}")
        return row[node[1]]
    if kind == "call":
        return _FUNCTIONS[node[1]](*(_evaluate(arg, row) for arg in node[2]))
    if kind == "not":
        return not _evaluate(node[1], row)
    if kind == "or":
        return _evaluate(node[1], row) or _evaluate(node[2], row)
    if kind == "and":
        return _evaluate(node[1], row) and _evaluate(node[2], row)
    return _COMPARE[kind](_evaluate(node[1], row), _evaluate(node[2], row))


def filter_rows(rows: list[dict], expression: str) -> list[dict]:
    """Rows for which the OData ``$filter`` expression holds."""
    tree = _Parser(expression).parse()
    return [row for row in rows if _evaluate(tree, row)]


# ------------------------------------------------------------------------------------------
# The server


class OdataStub:
    """``with OdataStub() as stub:`` serves ``tests/data/odata`` on ``stub.url`` (127.0.0.1, free port)."""

    def __init__(self, data_dir: Path = DATA_DIR, page_size: int = 50):
        self.data_dir = Path(data_dir)
        self.page_size = page_size
        self.fail_status: int | None = None
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def requests_for(self, name: str) -> list[dict[str, str]]:
        """Query parameters of the requests for one sub-table (e.g. 'TypedDataSet')."""
        return [params for path, params in self.requests if path.rstrip("/").endswith("/" + name)]

    def __enter__(self) -> OdataStub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _load(self, table: str, name: str):
        path = self.data_dir / table / f"{name}.json"
        if name == "CategoryGroups" and not path.exists() and (self.data_dir / table).is_dir():
            return []
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, dict]:
        """(status, JSON body) for a GET, as CBS would answer it."""
        self.requests.append((path, params))
        if self.fail_status:
            return self.fail_status, _error(f"stub configured to fail with {self.fail_status}")
        rest = next((path[len(s) + 2:] for s in _SERVICES if path.startswith(f"/{s}/")), None)
        if rest is None:
            return 404, _error(f"no such service: {path}")
        table, _, name = rest.partition("/")
        if not (self.data_dir / table).is_dir():
            return 404, _error(f"Resource not found for the segment '{table}'.")
        base = f"{self.url}{path[:len(path) - len(rest)]}{table}"
        if not name:
            return 200, {"odata.metadata": f"{base}/$metadata",
                         "value": [{"name": n, "url": f"{base}/{n}"} for n in _SUBTABLES]}
        rows = self._load(table, name)
        if rows is None:
            return 404, _error(f"Resource not found for the segment '{name}'.")
        try:
            if params.get("$filter"):
                rows = filter_rows(rows, params["$filter"])
        except FilterError as err:
            return 400, _error(f"Invalid $filter: {err}")
        if params.get("$select"):
            keep = [k.strip() for k in params["$select"].split(",")]
            rows = [{k: row.get(k) for k in keep} for row in rows]
        skip = int(params.get("$skip", 0))
        top = int(params["$top"]) if "$top" in params else len(rows)
        end = min(skip + top, len(rows))
        page_end = min(end, skip + self.page_size)
        body = {"odata.metadata": f"{base}/$metadata#Cbs.OData.WebAPI.{name}",
                "value": rows[skip:page_end]}
        if page_end < end:
            nxt = {k: v for k, v in params.items() if k not in ("$skip", "$top")}
            nxt["$skip"] = str(page_end)
            if "$top" in params:
                nxt["$top"] = str(end - page_end)
            body["odata.nextLink"] = f"{base}/{name}?{urlencode(nxt)}"
        return 200, body

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                status, body = stub.answer(parts.path, params)
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler


def _error(message: str) -> dict:
    return {"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": message}}}
