"""The Simplified Chinese catalog is complete, current with the code, and used at run time.

Simplified Chinese is the default language, so an untranslated string is English on a page
that is otherwise Chinese. These checks read locale/zh_Hans/LC_MESSAGES/django.po with a
small parser and gettext's own tools (msgfmt), and regenerate the catalog from a copy of
the project with the same `makemessages` command as the project uses, so the repository's
files are never touched.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

from apps.accounts.models import Membership, Organisation
from apps.accounts.roles import Role
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Building, Community, Compound, Grid

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
CATALOG = Path("locale/zh_Hans/LC_MESSAGES/django.po")

# The project's command (Makefile, README): regenerate the zh_Hans catalog from the code.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "zh_Hans",
    "--ignore=.venv/*",
    "--ignore=node_modules/*",
    "--ignore=fixtures/*",
    "--ignore=tests/*",
    "--ignore=var/*",
]
# Top-level entries the copy for makemessages leaves out: ignored by the command above, or
# holding no source (the database cluster in var/, VCS data, caches).
NOT_COPIED = {
    ".git",
    ".venv",
    "node_modules",
    "fixtures",
    "tests",
    "var",
    "staticfiles",
    "media",
    "test-artifacts",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
}

PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[sd]|\{[^{}]*\}|<[^<>]+>")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: str = ""

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def where(self) -> str:
        return f"{self.msgid!r} ({self.references or 'no reference'})"


def parse_po(path: Path) -> list[Entry]:
    """The active entries of a .po file, header included (msgid ""); obsolete ones skipped.

    Strings stay as written in the file (escapes not decoded): enough to compare catalogs.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def close() -> None:
        nonlocal entry, target
        if entry is not None and entry.msgstr:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):  # an obsolete entry: no longer in the code
            continue
        if entry is None:
            entry = Entry()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#:"):
            entry.references = f"{entry.references} {line[2:].strip()}".strip()
            continue
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? "(.*)"', line)
        if match:
            keyword, index, text = match.group(1), int(match.group(2) or 0), match.group(3)
            target = (keyword, index)
        else:
            string = re.fullmatch(r'"(.*)"', line)
            if string is None or target is None:
                raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
            keyword, index, text = target[0], target[1], string.group(1)
        if keyword == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, keyword, (getattr(entry, keyword) or "") + text)
    close()
    return entries


def messages(path: Path) -> list[Entry]:
    """The translatable entries: every entry but the header."""
    return [entry for entry in parse_po(path) if entry.msgid or entry.msgctxt]


def untranslated(entries: list[Entry]) -> list[str]:
    return [
        entry.where
        for entry in entries
        if not all(entry.msgstr.values()) or (entry.msgid_plural and 0 not in entry.msgstr)
    ]


def fuzzy(entries: list[Entry]) -> list[str]:
    return [entry.where for entry in entries if "fuzzy" in entry.flags]


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (GNU gettext) is needed: `make setup` installs it"
    return path


# --- the catalog as it is --------------------------------------------------------------


def test_the_parser_reads_the_whole_catalog():
    entries = messages(ROOT / CATALOG)
    in_file = re.findall(r"^msgid ", (ROOT / CATALOG).read_text(encoding="utf-8"), re.M)
    assert len(entries) == len(in_file) - 1  # less the header
    assert len(entries) > 150
    assert len({entry.key for entry in entries}) == len(entries)


def test_the_checks_notice_an_untranslated_or_fuzzy_entry(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\nmsgid "Grid"\nmsgstr "网格"\n\n'
        '#: a.py:2\nmsgid ""\n"A long message "\n"on two lines"\nmsgstr ""\n\n'
        '#: a.py:3\n#, fuzzy, python-format\nmsgid "%(n)s grid"\nmsgid_plural "%(n)s grids"\n'
        'msgstr[0] "%(n)s 个网格"\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    entries = messages(sample)
    assert [entry.msgid for entry in entries] == [
        "Grid",
        "A long message on two lines",
        "%(n)s grid",
    ]
    assert untranslated(entries) == ["'A long message on two lines' (a.py:2)"]
    assert fuzzy(entries) == ["'%(n)s grid' (a.py:3)"]
    assert entries[2].msgid_plural == "%(n)s grids" and entries[2].msgstr == {0: "%(n)s 个网格"}


def test_every_entry_is_translated():
    missing = untranslated(messages(ROOT / CATALOG))
    assert not missing, f"{len(missing)} entries without a translation: {missing}"


@pytest.mark.parametrize("option", ["--untranslated", "--only-fuzzy"])
def test_gettext_finds_nothing_untranslated_or_fuzzy(tmp_path, option):
    """A cross-check of the two tests above with gettext's own reading of the file."""
    selected = tmp_path / "selected.po"
    subprocess.run(
        [gettext_tool("msgattrib"), option, "--no-obsolete", "-o", str(selected), str(CATALOG)],
        cwd=ROOT,
        check=True,
    )
    found = [entry.where for entry in messages(selected)] if selected.exists() else []
    assert not found, f"{option}: {found}"


def test_no_entry_is_fuzzy():
    found = fuzzy(parse_po(ROOT / CATALOG))
    assert not found, f"fuzzy entries (check the translation, then drop the flag): {found}"


def test_translations_keep_every_placeholder_and_tag():
    broken = []
    for entry in messages(ROOT / CATALOG):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        wanted = {tuple(sorted(PLACEHOLDER.findall(source))) for source in sources}
        for translation_ in entry.msgstr.values():
            if tuple(sorted(PLACEHOLDER.findall(translation_))) not in wanted:
                broken.append(f"{entry.where} → {translation_!r}")
    assert not broken, broken


def test_msgfmt_check_passes_without_a_warning():
    result = subprocess.run(
        [gettext_tool("msgfmt"), "--check", "-o", "/dev/null", str(CATALOG)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr


def test_the_compiled_catalog_is_the_current_one(tmp_path):
    compiled = ROOT / CATALOG.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    # compilemessages runs exactly this (django.core.management.commands.compilemessages).
    subprocess.run(
        [gettext_tool("msgfmt"), "--check-format", "-o", str(fresh), str(CATALOG)],
        cwd=ROOT,
        check=True,
    )
    assert compiled.read_bytes() == fresh.read_bytes(), (
        f"{compiled} is older than the .po: run `make messages`"
    )


# --- the catalog against the code ------------------------------------------------------


def test_the_catalog_holds_every_string_of_the_code_and_no_other(tmp_path):
    """Regenerating the catalog from the code changes no entry and leaves none to translate."""
    gettext_tool("xgettext")
    project = tmp_path / "project"
    project.mkdir()
    for item in ROOT.iterdir():
        if item.name in NOT_COPIED:
            continue
        if item.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.mo")
            shutil.copytree(item, project / item.name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(item, project / item.name)

    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr

    before = {entry.key: entry for entry in messages(ROOT / CATALOG)}
    after = {entry.key: entry for entry in messages(project / CATALOG)}
    new = [after[key].where for key in after.keys() - before.keys()]
    gone = [before[key].where for key in before.keys() - after.keys()]
    assert not new, f"strings in the code but not in the catalog (run makemessages): {new}"
    assert not gone, f"strings in the catalog but no longer in the code: {gone}"
    changed = [entry.where for key, entry in after.items() if entry.msgstr != before[key].msgstr]
    assert not changed, f"translations makemessages changed: {changed}"
    assert not fuzzy(list(after.values())), fuzzy(list(after.values()))


# --- translation at run time -----------------------------------------------------------


def test_model_names_and_choices_are_chinese_by_default():
    with translation.override("zh-hans"):
        assert str(Facility._meta.verbose_name) == "设施"
        assert str(Community._meta.verbose_name) == "社区"
        assert str(Grid._meta.verbose_name) == "网格"
        assert str(Compound._meta.verbose_name) == "小区"
        assert str(Building._meta.verbose_name) == "楼栋"
        assert str(Building._meta.get_field("building_head").verbose_name) == "楼栋长"
        assert str(Membership._meta.get_field("role").verbose_name) == "角色"
        assert FacilityKind.CULTURE_CORRIDOR.label == "文化长廊"
        assert FacilityKind.COURIER_REST_STATION.label == "快递小哥驿站"
        assert FacilityKind.DRAIN.label == "下水道"
        assert Facility.Status.UNDER_CONSTRUCTION.label == "建设中"
        assert Role.GRID_WORKER.label == "网格员"
        assert Role.POLICE_OFFICER.label == "社区民警"
        assert Organisation.Kind.POLICE_STATION.label == "派出所"
        assert FacilityKind.SCHOOL.label == Organisation.Kind.SCHOOL.label == "学校"


def test_model_names_and_choices_are_english_in_english():
    with translation.override("en"):
        assert str(Facility._meta.verbose_name) == "facility"
        assert str(Compound._meta.verbose_name) == "compound"
        assert str(Building._meta.get_field("building_head").verbose_name) == "building head"
        assert FacilityKind.CULTURE_CORRIDOR.label == "Culture corridor"
        assert FacilityKind.DRAIN.label == "Drain"
        assert Facility.Status.UNDER_CONSTRUCTION.label == "Under construction"
        assert Role.GRID_WORKER.label == "Grid worker"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "DR-03 属于其他社区。"),
        ("en", "DR-03 belongs to another community."),
    ],
)
def test_a_message_with_a_placeholder_is_translated_and_filled(language, expected):
    with translation.override(language):
        message = translation.gettext("%(part)s belongs to another community.")
        assert message % {"part": "DR-03"} == expected
