"""Files to validated models: proposals and pay scales, with every problem named by file and line.

A proposal names its pay scale either by the name of a shipped scale (``nottinghamshire``) or by a
path to a ``.yaml`` file (taken relative to the proposal). An authority's scale names its spine
and NI table the same way, relative to the authority file, falling back to the shipped ones.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from postcost.basis import LineProblem, Resolver
from postcost.errors import PostcostError, Problem, describe_error, did_you_mean, excerpt
from postcost.models import (
    ALWAYS,
    NO_GRADES,
    AssumedAward,
    Authority,
    NationalInsurance,
    OnCostRule,
    PayYear,
    PensionScheme,
    Period,
    PostLine,
    PostRows,
    Proposal,
    ProposalOnCosts,
    ScaleName,
    Spine,
    Theme,
)
from postcost.scales import PayScale
from postcost.yamlfile import PAY_SCALE, PROPOSAL, YamlDocument, load_yaml

M = TypeVar("M", bound=BaseModel)

# The proposal keys a post's costing depends on, checked on their own when the file has other errors.
_COSTING_KEYS = ("pay_scale", "pay_year", "period", "assumed_pay_awards", "increments", "on_costs", "pension_schemes")


class _CostingSettings(BaseModel):
    """The keys of a Proposal that costing a post reads (the engine reads no others for a post)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    pay_scale: ScaleName | None = None
    pay_year: PayYear | None = None
    period: Period
    assumed_pay_awards: dict[PayYear, AssumedAward] = {}
    increments: bool = False
    on_costs: ProposalOnCosts | None = None
    pension_schemes: dict[str, PensionScheme] = {}


_COSTING_SETTINGS = TypeAdapter(_CostingSettings)
_POST = TypeAdapter(PostLine)


@dataclass(frozen=True)
class CsvOrigins:
    """Where the lines taken from a CSV file of posts were written in it."""

    file: str
    rows: dict[int, tuple[int, list[int]]]  # theme index -> (index of its first CSV line, each one's CSV line)
    encoding: str = "UTF-8"  # as the file was read: UTF-8, UTF-16 or Windows-1252

    def row(self, t: object, n: object) -> tuple[str, int] | None:
        first, lines = self.rows.get(t, (0, []))  # type: ignore[arg-type]
        if isinstance(n, int) and first <= n < first + len(lines):
            return self.file, lines[n - first]
        return None


@dataclass(frozen=True)
class LoadedProposal:
    """A validated proposal, the document it came from (for line numbers) and its pay scale."""

    proposal: Proposal
    document: YamlDocument
    scale: PayScale | None  # None for a proposal with no posts
    origins: CsvOrigins | None = None  # for posts from a CSV file
    csv_rows: dict[int, PostRows] = field(default_factory=dict)  # theme index -> its posts from the CSV file, after its lines

    @property
    def filename(self) -> str:
        return self.document.filename

    @property
    def files_read(self) -> list[str]:
        """Every file this proposal was read from: itself, its CSV of posts and its pay-scale files."""
        files = [self.document.filename]
        if self.origins is not None:
            files.append(self.origins.file)
        if self.scale is not None:
            files += [self.scale.authority_file, self.scale.spine_file, self.scale.ni_file]
        return files

    def _csv_row(self, path: tuple[object, ...]) -> tuple[str, int] | None:
        """The CSV file and row of a line from posts_csv, for a path into that line."""
        if self.origins is not None and len(path) >= 4 and path[0] == "themes":
            return self.origins.row(path[1], path[3])
        return None

    def locate(self, path: tuple[object, ...]) -> tuple[str, int | None]:
        """The file and line where ``path`` (e.g. ('themes', 2, 'lines', 0, 'stated')) is written."""
        return self._csv_row(path) or (self.document.filename, self.document.line_of(path))

    def problem(self, path: tuple[object, ...], message: str, hint: str | None = None) -> Problem:
        row = self._csv_row(path)
        if row is None:
            return self.document.problem(path, message, hint)
        column = path[4] if len(path) > 4 else None
        return Problem(*row, f"column {column}: {message}" if column else message, hint)


SCALE_KINDS = ("authority", "spine", "employer_ni")  # the 'kind' of each kind of pay-scale file


class NotAProposal(PostcostError):
    """The file is a pay-scale file, not a proposal: ``check`` passes over it (a pre-commit hook
    sees the scales beside the proposals), ``total`` and ``explain`` refuse it."""


def load_proposal(path: str | Path) -> LoadedProposal:
    """Read, validate and resolve a proposal file; raise PostcostError naming every problem."""
    document = load_yaml(path, PROPOSAL)
    if isinstance(document.data, dict) and document.data.get("kind") in SCALE_KINDS:
        raise NotAProposal([document.problem(
            ("kind",), f"this is a pay-scale file (kind: {document.data['kind']}), not a proposal",
            "name it in a proposal's pay_scale; postcost total, explain and check read proposals",
        )])
    try:
        proposal = validate(Proposal, document)
    except PostcostError as form:
        problems = form.problems + _costing_problems(document, Path(path).parent)
        raise PostcostError(sorted(_unique(problems), key=lambda p: p.line or 0)) from None
    origins, csv_rows = None, {}
    if proposal.posts_csv is not None:
        proposal, origins, csv_rows = _add_csv_posts(proposal, document, Path(path).parent / proposal.posts_csv)
    try:
        scale = _scale_of(proposal, Path(path).parent)
    except PostcostError as exc:
        if exc.problems and exc.problems[0].file is None:  # an unknown name: point at the proposal's line
            raise PostcostError(
                [Problem(document.filename, document.line_of(("pay_scale",)), p.message, p.hint) for p in exc.problems]
            ) from None
        raise
    return LoadedProposal(proposal, document, scale, origins, csv_rows)


def _scale_of(proposal: Proposal | _CostingSettings, folder: Path) -> PayScale | None:
    """The proposal's pay scale (a name or a path), with any on-costs the proposal states put in
    its rules' place; the grade-less scale where it states on-costs only; None for no posts."""
    if proposal.pay_scale is None and proposal.on_costs is None:
        return None
    scale = load_pay_scale(NO_GRADES if proposal.pay_scale is None else proposal.pay_scale, relative_to=folder)
    return with_on_costs(scale, proposal) if proposal.on_costs is not None else scale


def _costing_problems(document: YamlDocument, folder: Path) -> list[Problem]:
    """For a file with form errors: the costing problems of the posts that are valid on their own
    (an unknown grade, a point outside its grade, a period without rates), so that one run reports
    every problem. Needs the proposal's pay scale, period and pay-year keys to be valid."""
    data = document.data
    if not isinstance(data, dict):
        return []
    context = {key: data[key] for key in _COSTING_KEYS if key in data}
    try:
        settings = _COSTING_SETTINGS.validate_python(context)
        scale = _scale_of(settings, folder)
    except (ValidationError, PostcostError):
        return []
    if scale is None:
        return []
    resolver = Resolver(settings, scale)
    problems = []
    for t, theme in enumerate(data.get("themes") or []):
        lines = theme.get("lines") if isinstance(theme, dict) else None
        for n, line in enumerate(lines if isinstance(lines, list) else []):
            if isinstance(line, dict) and line.get("kind", "post") == "post":
                try:
                    resolver.basis(_POST.validate_python(line))
                except ValidationError:
                    pass  # its form errors are already reported
                except LineProblem as problem:
                    problems += [document.problem(("themes", t, "lines", n) + each.key, each.message, each.hint)
                                 for each in problem.each()]
    return problems


def with_on_costs(scale: PayScale, proposal: Proposal | _CostingSettings) -> PayScale:
    """The scale with its on-cost rules replaced by the ones the proposal states, for every month."""
    stated = proposal.on_costs
    rule = OnCostRule(
        start=ALWAYS[0],
        end=ALWAYS[1],
        employer_ni=stated.employer_ni,
        apprenticeship_levy=stated.apprenticeship_levy,
        rates=stated.rates,
        source=f"stated in the proposal: {stated.source}",
        confidence="H",  # the proposal states it: its own figure, whatever the report's basis
    )
    return replace(scale, authority=scale.authority.model_copy(update={"on_costs": [rule]}))


def _add_csv_posts(proposal: Proposal, document: YamlDocument, path: Path) -> tuple[Proposal, CsvOrigins, dict[int, PostRows]]:
    """Each theme's posts from the CSV file, to follow its lines: a theme the file names that the
    proposal has not is added after the proposal's, with no lines of its own."""
    from postcost.csvposts import read_posts_csv

    try:
        found = read_posts_csv(path)
    except PostcostError as exc:
        if len(exc.problems) == 1 and exc.problems[0].line is None:  # the file itself: point at posts_csv
            p = exc.problems[0]
            raise PostcostError([Problem(document.filename, document.line_of(("posts_csv",)), f"posts_csv: {p.file}: {p.message}", p.hint)]) from None
        raise
    if proposal.pay_scale is None and proposal.on_costs is None and found.themes:
        raise PostcostError([document.problem(
            ("posts_csv",), "posts from a CSV file need a pay_scale, or on_costs for posts at a stated annual_salary",
            "name the pay scale (pay_scale: nottinghamshire), or state the report's on_costs",
        )])
    themes = list(proposal.themes)
    by_name = {theme.name: t for t, theme in enumerate(themes)}
    rows, csv_rows = {}, {}
    for name, posts in found.themes.items():
        t = by_name.get(name)
        if t is None:  # constructed: a theme of the proposal's has at least one line
            themes.append(Theme.model_construct(name=name, lines=[], stated_subtotal=None, tolerance=None, acknowledge=[], note=None))
            t = len(themes) - 1
        csv_rows[t] = posts
        rows[t] = (len(themes[t].lines), found.lines[name])
    return proposal.model_copy(update={"themes": themes}), CsvOrigins(found.file, rows, found.encoding), csv_rows


def validate(model: type[M], document: YamlDocument) -> M:
    """Validate a document against a model, turning pydantic's errors into Problems with lines."""
    if not isinstance(document.data, dict):
        raise PostcostError(
            [document.problem((), f"the top level must be a mapping of keys (such as 'title:'), not {_kind(document.data)}")]
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        errors = exc.errors()
        # a value that fits no member of a union (a number or 'new_starters') gets one error a
        # member: keep the specific one, not "should be 'new_starters'"
        specific = {_data_path(e["loc"], document.data) for e in errors if e["type"] != "literal_error"}
        errors = [e for e in errors if e["type"] != "literal_error" or _data_path(e["loc"], document.data) not in specific]
        problems = [_problem(document, model, error) for error in errors]
        raise PostcostError(sorted(_unique(problems), key=lambda p: p.line or 0)) from None


# --- pay scales ----------------------------------------------------------------------------------

ScaleFile = Authority | Spine | NationalInsurance
_SCALE_MODELS: dict[str, type[Authority] | type[Spine] | type[NationalInsurance]] = {
    "authority": Authority, "spine": Spine, "employer_ni": NationalInsurance,
}
_KIND_WORDS = {"authority": "an authority's pay scale", "spine": "a pay spine", "employer_ni": "an employer NI table"}

# Where a user finds the pay-scale format: named in the hints of a pay-scale file's errors
SCALE_FORMAT = "the format is in README.md, 'Writing a pay-scale file'; 'postcost new --pay-scale FILE' writes a starter"
CONFIDENCE_HINT = (
    "state how sure the figure is: confidence: H (a cited source states it), M (it follows from a stated "
    "rule but no source quotes it) or L (inferred or assumed)"
)


@dataclass(frozen=True)
class ShippedScale:
    """A pay-scale file shipped with postcost, as `postcost scales` lists it."""

    name: str
    kind: str  # authority, spine or employer_ni
    title: str


def shipped_scale_names() -> list[str]:
    """The shipped authorities' scales (not the spine and NI tables they refer to, nor the
    grade-less scale used for proposals that state their own salaries and on-costs)."""
    folder = _shipped_folder()
    return sorted(
        p.stem
        for p in folder.glob("*.yaml")
        if "\nkind: authority" in "\n" + (text := p.read_text(encoding="utf-8")) and "\ngrades: {}" not in text
    )


def shipped_scales() -> list[ShippedScale]:
    """Every shipped pay-scale file of every kind, authorities first, then spines and NI tables;
    not the grade-less scale postcost uses itself. Each is read and validated."""
    found = []
    for path in sorted(_shipped_folder().glob("*.yaml")):
        if path.stem == NO_GRADES:
            continue
        scale, _ = load_scale_file(str(path))
        title = scale.authority if isinstance(scale, Authority) else scale.title
        found.append(ShippedScale(path.stem, scale.kind, title))
    return sorted(found, key=lambda s: (SCALE_KINDS.index(s.kind), s.name))


def load_scale_file(ref: str, *, relative_to: Path | None = None) -> tuple[ScaleFile, str]:
    """Any one pay-scale file (an authority, a spine or an NI table), by shipped name or path, as
    its 'kind' says, and the file it was read from. An authority's spine and NI table are not
    read: :func:`load_pay_scale` does that."""
    path = _resolve(ref, relative_to, every_kind=True)
    document = load_yaml(path, PAY_SCALE)
    kind = document.data.get("kind") if isinstance(document.data, dict) else None
    if kind not in _SCALE_MODELS:
        raise PostcostError([_not_a_scale(document, kind)])
    return validate(_SCALE_MODELS[kind], document), str(path)


def load_pay_scale(ref: str, *, relative_to: Path | None = None) -> PayScale:
    """Load an authority's pay scale by shipped name or path, with the spine and NI it names. The
    files are read each time: a scale edited since is read as it now is."""
    authority_path = str(_resolve(ref, relative_to))
    document = load_yaml(authority_path, PAY_SCALE)
    _check_kind(document, "authority", ref, None)
    authority = validate(Authority, document)
    here = Path(authority_path).parent
    spine_path = _resolve(authority.spine, here)
    ni_path = _resolve(authority.national_insurance, here)
    return PayScale(
        authority=authority,
        spine=_load_named(str(spine_path), Spine, authority.spine, (document, ("spine",))),
        ni=_load_named(str(ni_path), NationalInsurance, authority.national_insurance, (document, ("national_insurance",))),
        authority_file=authority_path,
        spine_file=str(spine_path),
        ni_file=str(ni_path),
    )


def _load_named(path: str, model: type[M], ref: str, named_at: tuple[YamlDocument, tuple[str]]) -> M:
    """The spine or NI table an authority's file names at ``named_at``."""
    document = load_yaml(path, PAY_SCALE)
    _check_kind(document, next(k for k, m in _SCALE_MODELS.items() if m is model), ref, named_at)
    return validate(model, document)


_NAMED_BY = {"authority": "pay_scale", "spine": "spine", "employer_ni": "national_insurance"}


def _check_kind(document: YamlDocument, wanted: str, ref: str, named_at: tuple[YamlDocument, tuple[str]] | None) -> None:
    """Refuse a file of another kind than ``wanted`` (or a proposal) as one problem where it is
    named: in the authority's file (``named_at``), or (None) at the proposal's pay_scale, which
    :func:`load_proposal` points at. Not every key the wanted kind lacks."""
    data = document.data if isinstance(document.data, dict) else {}
    kind = data.get("kind")
    if kind == wanted or not (kind in _KIND_WORDS or "themes" in data):
        return  # the wanted kind, or a file that validation will say more about
    what = f"{_KIND_WORDS[kind]} (kind: {kind})" if kind in _KIND_WORDS else "a proposal"
    message = f"{excerpt(ref)} is {what}, not {_KIND_WORDS[wanted]}"
    hint = (f"name {_KIND_WORDS[wanted]} file (kind: {wanted}) here"
            + (", which names its spine" if wanted == "authority" else "") + "; 'postcost scales' lists the shipped ones")
    if named_at is None:
        raise PostcostError([Problem(None, None, f"{_NAMED_BY[wanted]}: {message}", hint)])
    raise PostcostError([named_at[0].problem(named_at[1], message, hint)])


def _not_a_scale(document: YamlDocument, kind: object) -> Problem:
    """The problem with a file read as a pay scale whose 'kind' is missing or unknown."""
    data = document.data if isinstance(document.data, dict) else {}
    if "themes" in data:
        return document.problem(
            (), "this is a proposal, not a pay-scale file",
            "cost it with 'postcost total'; 'postcost scales' shows pay-scale files (kind: authority, spine or employer_ni)",
        )
    if kind is None:
        return document.problem((), "a pay-scale file needs a 'kind': authority, spine or employer_ni", SCALE_FORMAT)
    return document.problem(("kind",), f"kind {excerpt(kind)} is not a kind of pay-scale file",
                            "write kind: authority, spine or employer_ni")


def _resolve(ref: str, relative_to: Path | None, *, every_kind: bool = False) -> Path:
    looks_like_path = ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref
    if looks_like_path:
        path = Path(ref)
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        return path
    if relative_to is not None:
        beside = relative_to / f"{ref}.yaml"
        if beside.is_file() and beside.resolve().parent != _shipped_folder():
            return beside
    shipped = _shipped_folder() / f"{ref}.yaml"
    if shipped.is_file():
        return shipped
    names = [s.name for s in shipped_scales()] if every_kind else shipped_scale_names()
    raise PostcostError(
        [
            Problem(
                None,
                None,
                f"pay scale {ref!r} is not a shipped scale or a file",
                did_you_mean(ref, names) or f"shipped scales: {', '.join(names)}; or give a path to a .yaml file",
            )
        ]
    )


def _shipped_folder() -> Path:
    return Path(str(importlib.resources.files("postcost.pay_scales")))


# --- pydantic errors to problems -----------------------------------------------------------------


def _problem(document: YamlDocument, model: type[BaseModel], error: dict[str, Any]) -> Problem:
    path = _data_path(error["loc"], document.data)
    kind = error["type"]
    item = error.get("ctx", {}).get("item")
    if item is not None:  # an error about a whole list that belongs to one of its items
        path += (item,)
    scale = model in _SCALE_MODELS.values()
    if kind == "extra_forbidden":
        key = path[-1] if path else error["loc"][-1]
        otherwise = f"remove it; {SCALE_FORMAT}" if scale else "remove it, or check the format in README.md"
        hint = did_you_mean(str(key), _field_names(model)) or otherwise
        return document.problem(path[:-1], f"unknown key {excerpt(key)}", hint).at_line(document.line_of(path))
    if kind == "missing":
        missing = error["loc"][-1]
        hint = (CONFIDENCE_HINT if missing == "confidence" else f"add it; {SCALE_FORMAT}") if scale else None
        return document.problem(path, f"required key {missing!r} is missing", hint)
    message, hint = describe_error(error)
    return document.problem(path, message, hint)


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """The part of pydantic's error location that exists in the data (drops union tags and the like)."""
    path: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            after = loc[i + 1] if i + 1 < len(loc) else None
            if after is not None and after in node and not (isinstance(node[part], dict) and after in node[part]):
                continue  # a union's tag named like a key beside it (a line's 'amount'): the next part is the key
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            continue
        path.append(part)
    return tuple(path)


@functools.cache
def _field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every key the format knows, for 'did you mean' hints."""
    names: set[str] = set()
    seen: set[type] = set()

    def walk(tp: Any) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return
            seen.add(tp)
            for name, model_field in tp.model_fields.items():
                names.add(name)
                walk(model_field.annotation)
        elif get_origin(tp) is not None or get_args(tp):
            for arg in get_args(tp):
                walk(arg)

    walk(model)
    return frozenset(names)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _kind(value: Any) -> str:
    """What a top level that is not a mapping is, quoting none of it: a file that is no proposal
    or pay scale at all (a '.env' of passwords, say) reads as one long single value."""
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "a single value (text)"
    return "a single value"
