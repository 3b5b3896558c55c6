"""RFC 7644 §3.4.2.2 filters: a tokenizer, a recursive-descent parser and an evaluator.

Grammar (precedence: grouping, then `not`, then `and`, then `or`):

    filter     = or_expr
    or_expr    = and_expr *("or" and_expr)
    and_expr   = unary *("and" unary)
    unary      = "not" unary / primary
    primary    = "(" filter ")" / attrExp / valuePath
    attrExp    = attrPath "pr" / attrPath compareOp compValue
    valuePath  = attrPath "[" filter "]" [ "." subAttr compareOp compValue ]

The `valuePath "." subAttr compareOp compValue` form is not in the RFC grammar, but Entra
matches users with `emails[type eq "work"].value eq "..."`, so it is accepted.

Attribute names and operators are case-insensitive; string comparison follows the
attribute's `caseExact` trait. Any syntax or type error raises a 400 `invalidFilter`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from anthropic_sim.scim.errors import ScimError, bad_request
from anthropic_sim.scim.schema import Attr, ResourceKind, attr_def, match_urn

COMPARE_OPS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
ORDER_OPS = frozenset({"gt", "ge", "lt", "le"})
_NAME = re.compile(r"^\$?[A-Za-z][\w$-]*$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
_MISSING = object()


def invalid_filter(detail: str) -> ScimError:
    return bad_request("invalidFilter", detail)


def get_ci(obj: Any, key: str, default: Any = None) -> Any:
    """`obj[key]` with the key compared case-insensitively (SCIM attribute names are)."""
    if not isinstance(obj, dict):
        return default
    if key in obj:
        return obj[key]
    wanted = key.lower()
    for k, v in obj.items():
        if k.lower() == wanted:
            return v
    return default


def key_ci(obj: dict[str, Any], key: str) -> str | None:
    """The key of `obj` that equals `key` case-insensitively, if any."""
    if key in obj:
        return key
    wanted = key.lower()
    return next((k for k in obj if k.lower() == wanted), None)


# ---------------------------------------------------------------- attribute paths


@dataclass(frozen=True)
class AttrRef:
    """`[urn:]attr[.sub]`. `schema` None means relative to a multi-valued element."""

    schema: str | None
    attr: str  # "" addresses a whole extension object (`urn:...:User`)
    sub: str | None
    definition: Attr | None
    sub_definition: Attr | None

    @property
    def leaf(self) -> Attr | None:
        """The definition of what a comparison compares."""
        if self.sub is not None:
            return self.sub_definition
        if self.definition is not None and self.definition.type == "complex":
            return self.definition.sub("value")
        return self.definition

    def container(self, obj: dict[str, Any], kind: ResourceKind | None) -> Any:
        if self.schema is None or kind is None or self.schema == kind.core:
            return obj
        return get_ci(obj, self.schema)

    def values(self, obj: dict[str, Any], kind: ResourceKind | None) -> list[Any]:
        """Every value the path designates in `obj`, flattened; absent values are omitted."""
        container = self.container(obj, kind)
        top = container if self.attr == "" else get_ci(container, self.attr)
        items = top if isinstance(top, list) else [top]
        out: list[Any] = []
        for item in items:
            if self.sub is not None:
                item = get_ci(item, self.sub)
            elif isinstance(item, dict) and isinstance(top, list):
                item = get_ci(item, "value", item)
            if item is not None:
                out.append(item)
        return out


def split_name(text: str) -> tuple[str, str | None]:
    """`attr` or `attr.sub` → (attr, sub); anything else is not a valid name."""
    parts = text.split(".")
    if len(parts) > 2 or not all(_NAME.match(p) for p in parts):
        raise ValueError(text)
    return parts[0], (parts[1] if len(parts) == 2 else None)


def resolve_path(text: str, kind: ResourceKind) -> AttrRef:
    """Resolve a top-level `[urn:]attr[.sub]`; raises ValueError when it cannot be parsed.

    Unknown (but well-formed) attribute names resolve with `definition` None.
    """
    schema = kind.core
    rest = text
    if text.lower().startswith("urn:"):
        matched = match_urn(kind, text)
        if matched is None:
            raise ValueError(f"unknown schema in {text!r}")
        schema, rest = matched
        if rest == "":
            if schema == kind.core:
                raise ValueError(text)
            return AttrRef(schema, "", None, None, None)
    attr, sub = split_name(rest)
    definition = attr_def(kind, schema, attr)
    if definition is None and schema == kind.core:
        for ext in kind.extensions:  # lenient: an extension attribute named without its URN
            definition = attr_def(kind, ext, attr)
            if definition is not None:
                schema = ext
                break
    if definition is not None:
        attr = definition.name
    sub_definition = definition.sub(sub) if definition is not None and sub else None
    if sub_definition is not None:
        sub = sub_definition.name
    return AttrRef(schema, attr, sub, definition, sub_definition)


def resolve_sub_path(text: str, parent: Attr | None) -> AttrRef:
    """Resolve a path inside `attr[...]`, relative to one element of `parent`."""
    attr, sub = split_name(text)
    definition = parent.sub(attr) if parent is not None else None
    if definition is not None:
        attr = definition.name
    sub_definition = definition.sub(sub) if definition is not None and sub else None
    return AttrRef(None, attr, sub, definition, sub_definition)


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    kind: str  # "(" ")" "[" "]" "str" "word"
    text: str
    value: Any = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()[]":
            tokens.append(Token(ch, ch))
            i += 1
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise invalid_filter("Unterminated string literal in filter")
            raw = text[i : j + 1]
            try:
                value = json.loads(raw)
            except ValueError as exc:
                raise invalid_filter(f"Bad string literal {raw}") from exc
            tokens.append(Token("str", raw, value))
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()[]"':
                j += 1
            tokens.append(Token("word", text[i:j]))
            i = j
    return tokens


# ---------------------------------------------------------------- nodes


class Node:
    def matches(self, obj: dict[str, Any], kind: ResourceKind | None) -> bool:
        raise NotImplementedError


@dataclass
class And(Node):
    left: Node
    right: Node

    def matches(self, obj: dict[str, Any], kind: ResourceKind | None) -> bool:
        return self.left.matches(obj, kind) and self.right.matches(obj, kind)


@dataclass
class Or(Node):
    left: Node
    right: Node

    def matches(self, obj: dict[str, Any], kind: ResourceKind | None) -> bool:
        return self.left.matches(obj, kind) or self.right.matches(obj, kind)


@dataclass
class Not(Node):
    inner: Node

    def matches(self, obj: dict[str, Any], kind: ResourceKind | None) -> bool:
        return not self.inner.matches(obj, kind)


def _non_empty(value: Any) -> bool:
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return value is not None


@dataclass
class Present(Node):
    path: AttrRef

    def matches(self, obj: dict[str, Any], kind: ResourceKind | None) -> bool:
        return any(_non_empty(v) for v in self.path.values(obj, kind))


@dataclass
class Compare(Node):
    path: AttrRef
    op: str
    literal: Any

    def matches(self, obj: dict[str, Any], kind: ResourceKind | None) -> bool:
        values = self.path.values(obj, kind)
        if self.literal is None:
            return (not values) if self.op == "eq" else bool(values)
        leaf = self.path.leaf
        if self.op == "ne":
            return not any(compare("eq", v, self.literal, leaf) for v in values)
        return any(compare(self.op, v, self.literal, leaf) for v in values)


@dataclass
class ValuePath(Node):
    """`attr[inner]`, optionally `attr[inner].sub op literal`."""

    path: AttrRef
    inner: Node
    sub: AttrRef | None = None
    op: str | None = None
    literal: Any = None

    def elements(self, obj: dict[str, Any], kind: ResourceKind | None) -> list[dict[str, Any]]:
        container = self.path.container(obj, kind)
        value = get_ci(container, self.path.attr)
        items = value if isinstance(value, list) else [value]
        return [e for e in items if isinstance(e, dict)]

    def matches(self, obj: dict[str, Any], kind: ResourceKind | None) -> bool:
        for element in self.elements(obj, kind):
            if not self.inner.matches(element, None):
                continue
            if self.sub is None or self.op is None:
                return True
            if Compare(self.sub, self.op, self.literal).matches(element, None):
                return True
        return False


# ---------------------------------------------------------------- comparison


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _order(op: str, a: Any, b: Any) -> bool:
    if op == "eq":
        return bool(a == b)
    if op == "gt":
        return bool(a > b)
    if op == "ge":
        return bool(a >= b)
    if op == "lt":
        return bool(a < b)
    return bool(a <= b)  # le


def compare(op: str, actual: Any, literal: Any, leaf: Attr | None) -> bool:
    """One comparison of a stored value against a filter literal (never `ne`, never null)."""
    kind = leaf.type if leaf is not None else None
    if isinstance(actual, dict):
        actual = get_ci(actual, "value")
    if actual is None:
        return False
    if kind == "boolean" or (kind is None and isinstance(actual, bool)):
        if op != "eq":
            raise invalid_filter(f"Operator {op!r} is not defined for a boolean attribute")
        want = as_bool(literal)
        if want is None:
            raise invalid_filter(f"{literal!r} is not a boolean")
        return as_bool(actual) is want
    if kind in ("integer", "decimal") or (kind is None and isinstance(actual, int | float)):
        if isinstance(literal, bool) or not isinstance(literal, int | float):
            raise invalid_filter(f"{literal!r} is not a number")
        if op not in ORDER_OPS | {"eq"} or not isinstance(actual, int | float):
            raise invalid_filter(f"Operator {op!r} is not defined for a number")
        return _order(op, actual, literal)
    if not isinstance(literal, str):
        raise invalid_filter(f"{literal!r} cannot be compared with a string attribute")
    if kind == "dateTime" and op in ORDER_OPS | {"eq"}:
        want_dt = parse_datetime(literal)
        if want_dt is None:
            raise invalid_filter(f"{literal!r} is not an RFC 3339 dateTime")
        have_dt = parse_datetime(actual)
        return have_dt is not None and _order(op, have_dt, want_dt)
    have, want = str(actual), literal
    if not (leaf is not None and leaf.case_exact):
        have, want = have.casefold(), want.casefold()
    if op == "co":
        return want in have
    if op == "sw":
        return have.startswith(want)
    if op == "ew":
        return have.endswith(want)
    return _order(op, have, want)


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, tokens: list[Token], kind: ResourceKind, parent: Attr | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.kind = kind
        self.parent = parent  # set while parsing inside `attr[...]`
        self.nested = False

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise invalid_filter("Unexpected end of filter")
        self.pos += 1
        return token

    def expect(self, kind: str) -> None:
        token = self.take()
        if token.kind != kind:
            raise invalid_filter(f"Expected {kind!r} but found {token.text!r}")

    def peek_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text.lower() in words

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.peek_word("or"):
            self.pos += 1
            node = Or(node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_unary()
        while self.peek_word("and"):
            self.pos += 1
            node = And(node, self.parse_unary())
        return node

    def parse_unary(self) -> Node:
        if self.peek_word("not"):
            self.pos += 1
            return Not(self.parse_unary())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "(":
            node = self.parse_or()
            self.expect(")")
            return node
        if token.kind != "word":
            raise invalid_filter(f"Expected an attribute but found {token.text!r}")
        path = self.resolve(token.text)
        nxt = self.peek()
        if nxt is not None and nxt.kind == "[":
            return self.parse_value_path(path)
        return self.parse_comparison(path)

    def resolve(self, text: str) -> AttrRef:
        try:
            if self.parent is not None:
                return resolve_sub_path(text, self.parent)
            return resolve_path(text, self.kind)
        except ValueError as exc:
            raise invalid_filter(f"Invalid attribute path {text!r}") from exc

    def parse_value_path(self, path: AttrRef) -> Node:
        if self.parent is not None or path.sub is not None or path.attr == "":
            raise invalid_filter("A value filter must follow a top-level attribute")
        self.expect("[")
        inner_parser = _Parser(self.tokens, self.kind, path.definition or _ANY_COMPLEX)
        inner_parser.pos = self.pos
        inner = inner_parser.parse_or()
        self.pos = inner_parser.pos
        self.expect("]")
        nxt = self.peek()
        if nxt is not None and nxt.kind == "word" and nxt.text.startswith("."):
            self.pos += 1
            try:
                sub = resolve_sub_path(nxt.text[1:], path.definition or _ANY_COMPLEX)
            except ValueError as exc:
                raise invalid_filter(f"Invalid sub-attribute {nxt.text!r}") from exc
            compared = self.parse_comparison(sub)
            if isinstance(compared, Present):
                return ValuePath(path, And(inner, compared))
            assert isinstance(compared, Compare)
            return ValuePath(path, inner, sub, compared.op, compared.literal)
        return ValuePath(path, inner)

    def parse_comparison(self, path: AttrRef) -> Node:
        token = self.take()
        op = token.text.lower()
        if token.kind != "word" or (op != "pr" and op not in COMPARE_OPS):
            raise invalid_filter(f"Expected an operator but found {token.text!r}")
        if path.attr == "":
            raise invalid_filter("A schema URN alone cannot be compared")
        if op == "pr":
            return Present(path)
        literal = self.parse_literal()
        if literal is None and op not in ("eq", "ne"):
            raise invalid_filter(f"null cannot be compared with {op!r}")
        return Compare(path, op, literal)

    def parse_literal(self) -> Any:
        token = self.take()
        if token.kind == "str":
            return token.value
        if token.kind == "word":
            low = token.text.lower()
            if low in ("true", "false"):
                return low == "true"
            if low == "null":
                return None
            if _NUMBER.match(token.text):
                return json.loads(token.text)
        raise invalid_filter(f"Expected a value but found {token.text!r}")


_ANY_COMPLEX = Attr(name="*", type="complex", multi_valued=True)


def parse_filter(text: str, kind: ResourceKind, parent: Attr | None = None) -> Node:
    """Parse `text` for resources of `kind` (or, with `parent`, for its elements)."""
    if not text or not text.strip():
        raise invalid_filter("Empty filter")
    parser = _Parser(tokenize(text), kind, parent)
    node = parser.parse_or()
    leftover = parser.peek()
    if leftover is not None:
        raise invalid_filter(f"Unexpected {leftover.text!r} in filter")
    return node


def matches(node: Node, resource: dict[str, Any], kind: ResourceKind) -> bool:
    return node.matches(resource, kind)
