"""Integer size formulas: a small immutable expression type with floor semantics.

Every formula is kept in one normal form, :class:`Lin`: an integer constant plus integer
multiples of *atoms*, where an atom is a symbol (``H``), ``floor(num / q)`` of a normal form
``num`` and an integer ``q >= 2`` (:class:`Floor`), or a product of normal forms (:class:`Prod`,
a flattened tensor's ``C * H * W``). The constructors simplify as they build, with identities
that hold for every integer value of the symbols:

* ``floor((q * a + b) / q) = a + floor(b / q)`` (terms and constant divisible by ``q`` leave the floor);
* ``floor((g * y + c) / (g * d)) = floor((y + floor(c / g)) / d)`` (a common factor of the terms);
* ``floor((floor(e / a) + c) / b) = floor((e + c * a) / (a * b))`` for positive ``a``, ``b``
  (two strided windows are one of stride ``a * b``).

``ceil(e / q)`` is ``floor((e + q - 1) / q)`` and is shown as ``ceil`` again. Two renderings:
``math`` (``floor((H - 1) / 2) + 1``, ``ceil(H / 2)``) and ``python`` (``(H - 1) // 2 + 1``,
sympy's and torch.export's reading of the same formula).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import gcd, prod


@dataclass(frozen=True)
class Sym:
    """A named input size: ``H``, ``W``, ``x``."""

    name: str


@dataclass(frozen=True)
class Floor:
    """``floor(num / q)``, ``q >= 2``, ``num`` with no term or constant divisible by ``q`` pulled out."""

    num: Lin
    q: int


@dataclass(frozen=True)
class Prod:
    """The product of two or more formulas (a flattened tensor's feature count)."""

    factors: tuple[Lin, ...]


Atom = Sym | Floor | Prod


@dataclass(frozen=True)
class Lin:
    """``const + sum(coeff * atom)``: the normal form of every formula (terms sorted, no zero
    coefficient, each atom once)."""

    terms: tuple[tuple[Atom, int], ...]
    const: int = 0

    # ------------------------------------------------------------------ building
    def __add__(self, other: Lin | int) -> Lin:
        if isinstance(other, int):
            return Lin(self.terms, self.const + other)
        merged: dict[Atom, int] = dict(self.terms)
        for atom, k in other.terms:
            merged[atom] = merged.get(atom, 0) + k
        return _lin(merged, self.const + other.const)

    def __radd__(self, other: int) -> Lin:
        return self + other

    def __sub__(self, other: Lin | int) -> Lin:
        return self + (-1 * other if isinstance(other, Lin) else -other)

    def __mul__(self, k: int) -> Lin:
        if k == 0:
            return Lin((), 0)
        return Lin(tuple((a, c * k) for a, c in self.terms), self.const * k)

    def __rmul__(self, k: int) -> Lin:
        return self * k

    def __floordiv__(self, q: int) -> Lin:
        return floordiv(self, q)

    # ------------------------------------------------------------------ reading
    @property
    def is_const(self) -> bool:
        return not self.terms

    def symbols(self) -> frozenset[str]:
        found: set[str] = set()
        for atom, _ in self.terms:
            if isinstance(atom, Sym):
                found.add(atom.name)
            elif isinstance(atom, Floor):
                found |= atom.num.symbols()
            else:
                for f in atom.factors:
                    found |= f.symbols()
        return frozenset(found)

    def slope(self) -> Fraction:
        """The long-run growth per unit of every symbol at once (``2 * floor(H / 16)`` -> 1/8); a
        product's slope is not constant and reads as 0 (it is never compared by slope)."""
        total = Fraction(0)
        for atom, k in self.terms:
            if isinstance(atom, Sym):
                total += k
            elif isinstance(atom, Floor):
                total += k * atom.num.slope() / atom.q
        return total

    def __call__(self, env: Mapping[str, int]) -> int:
        """The formula's value, in integer arithmetic (``//`` is floor division)."""
        total = self.const
        for atom, k in self.terms:
            total += k * _value(atom, env)
        return total

    def subs(self, env: Mapping[str, Lin]) -> Lin:
        """The formula with symbols replaced by formulas, simplified again."""
        out = Lin((), self.const)
        for atom, k in self.terms:
            if isinstance(atom, Sym):
                out = out + k * env.get(atom.name, sym(atom.name))
            elif isinstance(atom, Floor):
                out = out + k * floordiv(atom.num.subs(env), atom.q)
            else:
                out = out + k * product([f.subs(env) for f in atom.factors])
        return out

    def render(self, style: str = "math") -> str:
        """``floor((H - 1) / 2) + 1`` (``style="math"``) or ``(H - 1) // 2 + 1`` (``"python"``)."""
        parts: list[tuple[int, str]] = []
        for atom, k in self.terms:
            text = _render_atom(atom, style)
            if abs(k) == 1:
                parts.append((k, text))
            else:
                wrapped = f"({text})" if style == "python" and isinstance(atom, Floor) else text
                parts.append((k, f"{abs(k)}*{wrapped}" if style == "python" else f"{abs(k)} * {text}"))
        if self.const or not parts:
            parts.append((self.const, str(abs(self.const))))
        out = ""
        for i, (k, text) in enumerate(parts):
            if i == 0:
                out = ("-" if k < 0 else "") + text
            else:
                out += (" - " if k < 0 else " + ") + text
        return out

    def __str__(self) -> str:
        return self.render()


def _value(atom: Atom, env: Mapping[str, int]) -> int:
    if isinstance(atom, Sym):
        return env[atom.name]
    if isinstance(atom, Floor):
        return atom.num(env) // atom.q
    return prod(f(env) for f in atom.factors)


def _render_atom(atom: Atom, style: str) -> str:
    if isinstance(atom, Sym):
        return atom.name
    if isinstance(atom, Prod):
        return (" * " if style == "math" else "*").join(_paren(f.render(style), f) for f in atom.factors)
    num, q = atom.num, atom.q
    if style == "python":
        return f"{_paren(num.render(style), num)} // {q}"
    if num.const == q - 1 and num.terms:
        inner = Lin(num.terms, 0)
        return f"ceil({_paren(inner.render(style), inner)} / {q})"
    return f"floor({_paren(num.render(style), num)} / {q})"


def _paren(text: str, e: Lin) -> str:
    single = len(e.terms) + (1 if e.const else 0) <= 1 and not (e.terms and e.terms[0][1] < 0)
    return text if single else f"({text})"


def _lin(merged: Mapping[Atom, int], const: int) -> Lin:
    return Lin(tuple(sorted(((a, k) for a, k in merged.items() if k), key=_order)), const)


def _order(term: tuple[Atom, int]) -> tuple[int, str]:
    atom = term[0]
    rank = 0 if isinstance(atom, Sym) else 1 if isinstance(atom, Floor) else 2
    return rank, repr(atom)


def sym(name: str) -> Lin:
    """The symbol ``name`` as a formula."""
    return Lin(((Sym(name), 1),), 0)


def const(value: int) -> Lin:
    return Lin((), value)


def floordiv(e: Lin, q: int) -> Lin:
    """``floor(e / q)`` for an integer ``q >= 1``, simplified (see the module docstring)."""
    if q < 1:
        raise ValueError(f"floordiv by {q}: the divisor must be positive")
    if q == 1:
        return e
    outside: dict[Atom, int] = {}
    inside: dict[Atom, int] = {}
    for atom, k in e.terms:
        whole, rest = divmod(k, q)
        if whole:
            outside[atom] = whole
        if rest:
            inside[atom] = rest
    t, c0 = divmod(e.const, q)
    base = _lin(outside, t)
    if not inside:
        return base
    g = q
    for k in inside.values():
        g = gcd(g, k)
    if g > 1:  # floor((g*y + c) / (g*d)) = floor((y + floor(c/g)) / d)
        return base + floordiv(_lin({a: k // g for a, k in inside.items()}, c0 // g), q // g)
    if len(inside) == 1:
        (atom, k), = inside.items()
        if k == 1 and isinstance(atom, Floor):  # floor((floor(e/a) + c) / b) = floor((e + c*a) / (a*b))
            return base + floordiv(atom.num + c0 * atom.q, atom.q * q)
    return base + Lin(((Floor(_lin(inside, c0), q), 1),), 0)


def ceildiv(e: Lin, q: int) -> Lin:
    """``ceil(e / q) = floor((e + q - 1) / q)``."""
    return floordiv(e + (q - 1), q)


def product(factors: list[Lin]) -> Lin:
    """The product of formulas: constants multiply out; a single formula stays itself."""
    k = 1
    rest: list[Lin] = []
    for f in factors:
        if f.is_const:
            k *= f.const
        else:
            rest.append(f)
    if not rest or k == 0:
        return const(k)
    if len(rest) == 1:
        return k * rest[0]
    return Lin(((Prod(tuple(rest)), k),), 0)


def quasi_affine(x: Lin, p: int, r: int, q: int) -> Lin:
    """``floor((p * x + r) / q)``: a layer's size in its regular regime (see :mod:`convshape.network.symbolic`)."""
    return floordiv(p * x + r, q)
