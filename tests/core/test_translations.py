"""The Chinese catalogue is complete: every message has a translation that keeps its placeholders.

The portal is Chinese first, so an untranslated msgid would show English to a township official. The .po file is
read with a small parser here (polib is not a project dependency); the compiled .mo is checked through Django.
"""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
ZH_PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# %(name)s / %(count)d / %(size).1f, bare %s / %d, {name} and {0}, and the literal percent sign %% of format strings.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[sdifr]|\{[A-Za-z_0-9][^{}]*\}|%%")


def parse_po(path):
    """The entries of a .po file, as written by msgmerge: blocks separated by blank lines.

    Each entry is a dict with flags (set), obsolete (bool), msgctxt / msgid / msgid_plural (str, when present) and
    msgstr ({index: str}; a singular msgstr is index 0).
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, key = {"flags": set(), "msgstr": {}, "obsolete": False}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                entry["obsolete"] = True
                line = line[2:].strip()
                if line.startswith("|"):
                    continue
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
                continue
            elif line.startswith("#") or not line:
                continue
            if line.startswith('"'):
                value = ast.literal_eval(line)
            else:
                keyword, _, rest = line.partition(" ")
                match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
                key = ("msgstr", int(match.group(1) or 0)) if match else keyword
                value = ast.literal_eval(rest)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] = entry["msgstr"].get(key[1], "") + value
            else:
                entry[key] = entry.get(key, "") + value
        if "msgid" in entry:
            entries.append(entry)
    return entries


ENTRIES = [e for e in parse_po(ZH_PO) if not e["obsolete"] and e["msgid"]]


def label(entry):
    return repr(entry["msgid"])[:80]


def test_the_catalogue_is_parsed():
    header = next(e for e in parse_po(ZH_PO) if e["msgid"] == "")
    assert "fuzzy" not in header["flags"], "a fuzzy header is dropped by msgfmt, with its Plural-Forms"
    assert "nplurals=1; plural=0;" in header["msgstr"][0]
    assert len(ENTRIES) > 500


def test_every_entry_is_translated():
    missing = [label(e) for e in ENTRIES if not all(e["msgstr"].values()) or not e["msgstr"]]
    assert not missing, f"{len(missing)} untranslated: " + "; ".join(missing[:20])


def test_no_entry_is_fuzzy():
    fuzzy = [label(e) for e in ENTRIES if "fuzzy" in e["flags"]]
    assert not fuzzy, f"{len(fuzzy)} fuzzy: " + "; ".join(fuzzy[:20])


def test_plural_entries_have_the_single_chinese_form():
    for entry in ENTRIES:
        if "msgid_plural" in entry:
            assert set(entry["msgstr"]) == {0}, label(entry)


def test_every_placeholder_is_kept():
    broken = []
    for entry in ENTRIES:
        wanted = set(PLACEHOLDER.findall(entry["msgid"])) | set(PLACEHOLDER.findall(entry.get("msgid_plural", "")))
        if "python-format" not in entry["flags"]:
            wanted.discard("%%")
        for text in entry["msgstr"].values():
            lost = wanted - set(PLACEHOLDER.findall(text))
            if lost:
                broken.append(f"{label(entry)} lost {sorted(lost)}")
    assert not broken, "\n".join(broken)


def test_the_parser_reads_multiline_plural_and_flags(tmp_path):
    sample = (
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "%(n)s firm"\nmsgid_plural "%(n)s firms"\nmsgstr[0] "%(n)s 家"\n"企业"\n\n'
        'msgctxt "menu"\nmsgid ""\n"Long "\n"line"\nmsgstr ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "旧"\n'
    )
    path = tmp_path / "sample.po"
    path.write_text(sample, encoding="utf-8")
    header, plural, long, gone = parse_po(path)
    assert "fuzzy" in header["flags"] and header["msgid"] == ""
    assert plural["msgid_plural"] == "%(n)s firms" and plural["msgstr"] == {0: "%(n)s 家企业"} and "python-format" in plural["flags"]
    assert long["msgctxt"] == "menu" and long["msgid"] == "Long line" and long["msgstr"] == {0: ""}
    assert gone["obsolete"] and gone["msgid"] == "gone"


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [("Enterprises", "企业"), ("Red list", "红榜"), ("Charter subsidy claims", "包车补助申请"), ("Sign out", "退出登录")],
)
def test_the_compiled_catalogue_is_used(msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_plurals_are_translated_for_any_count():
    with translation.override("zh-hans"):
        for n in (1, 2, 7):
            text = translation.ngettext("%(n)s specialist found", "%(n)s specialists found", n) % {"n": n}
            assert text == f"找到 {n} 名服务专员"
