"""Build the catalog's region table (src/digecon/catalog/data/regions.csv) from the pinned copy
of the Ministry of Civil Affairs' GB/T 2260 code list.

Run from anywhere: `python scripts/build_regions.py [--out DIR]` (default: the package's data
folder). The input is `data/sources/mca-2024.txt` (checked against its sha256, see
data/sources/PROVENANCE.md) and the hand-kept `data/region_overrides.csv`; the same inputs
give the same bytes.

Rules, in order:
- level: XX0000 province, XXXX00 prefecture ("city"), any other code county; 100000 全国 is
  added as the country. 710000/810000/820000 are left out (the source lists them without any
  subdivision; a dataset that needs them adds them in its catalog/).
- parent: a county's parent is its XXXX00 prefecture when the source lists one, else its
  province (the districts of the four 直辖市, and the 省直辖县级行政区划 such as 仙桃市).
- kind from the name's suffix (省 自治区 直辖市; 地级市 自治州 地区 盟; 市辖区 县 自治县 县级市 旗
  自治旗 特区 林区).
- short name and aliases: the suffix and, for autonomous units, the ethnic names are dropped
  (湘西土家族苗族自治州 → 湘西州, aliases 湘西 and 湘西自治州); a stem is never shorter than two
  characters; then region_overrides.csv replaces what the rule got wrong.
- uniqueness: a short name or alias that a higher level already uses is not given to a lower
  one (吉林 is 吉林省, so 吉林市 keeps its full name as short name); two provinces or two
  prefecture-level units with the same key stop the build (add an override). Counties may
  share a key with each other: the catalog refuses such a key as ambiguous.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "digecon" / "catalog" / "data"
SOURCE = DATA / "sources" / "mca-2024.txt"
SOURCE_SHA256 = "4bfd0a05caa1abdf6add54301eebb256156a0044010244ecdb659062cdbc0313"
OVERRIDES = DATA / "region_overrides.csv"
COLUMNS = ("code", "name", "short", "level", "kind", "parent", "name_en", "aliases")
LEFT_OUT = ("710000", "810000", "820000")
TIERS = {"country": 0, "province": 1, "city": 2, "county": 3}

# The 56 officially recognised ethnic groups without the final 族, and 各 (as in 隆林各族自治县).
ETHNIC = ("汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
          "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜",
          "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
          "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各")
ETHNIC_SUFFIXES = sorted([e + "族" for e in ETHNIC] + [e for e in ETHNIC if len(e) >= 2],
                         key=len, reverse=True)

PROVINCE_KINDS = (("特别行政区", "特别行政区"), ("自治区", "自治区"), ("省", "省"), ("市", "直辖市"))
CITY_KINDS = (("自治州", "自治州"), ("地区", "地区"), ("盟", "盟"), ("市", "地级市"))
COUNTY_KINDS = (("自治县", "自治县"), ("自治旗", "自治旗"), ("特区", "特区"), ("县", "县"),
                ("市", "县级市"), ("旗", "旗"), ("区", "市辖区"))


class BuildError(Exception):
    pass


def read_source(path: Path = SOURCE) -> list[tuple[str, str]]:
    """(code, name) pairs of the pinned MCA list, after checking its checksum and format."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        raise BuildError(f"{path}: sha256 {digest}, expected {SOURCE_SHA256} (the pinned copy "
                         f"named in sources/PROVENANCE.md; a newer list is a new pinned file)")
    rows = []
    for lineno, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        parts = line.split()
        if len(parts) != 2 or not (parts[0].isascii() and parts[0].isdigit() and len(parts[0]) == 6):
            raise BuildError(f"{path}:{lineno}: found {line!r}, expected '<6-digit code> <name>'")
        rows.append((parts[0], parts[1]))
    return rows


def kind_of(name: str, level: str, parent_is_province: bool) -> tuple[str, str]:
    """(kind, the suffix that names it) for a region's full name."""
    if level == "county" and parent_is_province and name.endswith("林区"):
        return "林区", "林区"  # 神农架林区; 碑林区 and 万柏林区 are districts
    table = {"province": PROVINCE_KINDS, "city": CITY_KINDS, "county": COUNTY_KINDS}[level]
    for suffix, kind in table:
        if name.endswith(suffix):
            return kind, suffix
    raise BuildError(f"{name}: no kind for a {level} with this suffix")


def strip_ethnic(stem: str) -> str:
    """湘西土家族苗族 → 湘西; never leaves fewer than two characters (内蒙古 stays)."""
    changed = True
    while changed:
        changed = False
        for e in ETHNIC_SUFFIXES:
            if stem.endswith(e) and len(stem) - len(e) >= 2:
                stem, changed = stem[: -len(e)], True
                break
    return stem


def rule_names(name: str, kind: str, suffix: str) -> tuple[str, list[str]]:
    """(short, aliases) by the rules in this module's docstring."""
    if kind in ("自治区", "自治州", "自治县", "自治旗"):
        stem = strip_ethnic(name[: -len(suffix)])
        if kind == "自治区":
            return stem, []
        if kind == "自治州":
            return stem + "州", [stem, stem + "自治州"]
        if kind == "自治县":
            return stem, [stem + "自治县"]
        return stem + "旗", [stem]
    if kind == "旗":
        return name, []  # 正蓝旗, 科尔沁右翼前旗: banners are called by their full names
    if kind == "市辖区":
        for longer in ("新区", "矿区"):  # 浦东新区 → 浦东, 峰峰矿区 → 峰峰
            if name.endswith(longer) and len(name) - len(longer) >= 2:
                return name[: -len(longer)], []
    if len(name) - len(suffix) >= 2:
        return name[: -len(suffix)], []
    return name, []


def read_overrides(path: Path = OVERRIDES) -> dict[str, dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    out: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(lines):
        if not row["why"].strip():
            raise BuildError(f"{path}: override of {row['code']} says no why")
        if row["code"] in out:
            raise BuildError(f"{path}: {row['code']} listed twice")
        out[row["code"]] = row
    return out


def build(source: Path = SOURCE, overrides_path: Path = OVERRIDES) -> list[dict[str, str]]:
    pairs = [(c, n) for c, n in read_source(source) if c not in LEFT_OUT]
    codes = {c for c, _ in pairs}
    rows = [{"code": "100000", "name": "全国", "level": "country", "kind": "国家", "parent": "",
             "short": "全国", "aliases": []}]
    for code, name in pairs:
        if code.endswith("0000"):
            level, parent = "province", "100000"
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in codes else code[:2] + "0000"
        if parent not in codes and parent != "100000":
            raise BuildError(f"{code} {name}: parent {parent} is not in the source")
        kind, suffix = kind_of(name, level, parent.endswith("0000"))
        short, aliases = rule_names(name, kind, suffix)
        rows.append({"code": code, "name": name, "level": level, "kind": kind,
                     "parent": parent, "short": short, "aliases": aliases})
    by_code = {r["code"]: r for r in rows}
    for code, o in read_overrides(overrides_path).items():
        if code not in by_code:
            raise BuildError(f"{overrides_path}: {code} is not a region of the source")
        row = by_code[code]
        if o["short"]:
            row["short"] = o["short"]
        if o["aliases"]:
            row["aliases"] = [] if o["aliases"] == "-" else o["aliases"].split("|")
        row["name_en"] = o["name_en"]
    _make_unique(rows)
    return rows


def _make_unique(rows: list[dict]) -> None:
    """A key (name, short, alias) belongs to the highest level that uses it; below that it is
    dropped (a short name falls back to the full name). Two provinces or two prefecture-level
    units with one key are an error; counties may share keys (the catalog refuses those)."""
    owner: dict[str, dict] = {}
    for tier in sorted(TIERS.values()):
        level_rows = [r for r in rows if TIERS[r["level"]] == tier]
        taken = dict(owner)  # keys of the levels above
        for r in level_rows:
            if r["short"] in taken or r["short"] == "":
                r["short"] = r["name"]
            r["aliases"] = [a for a in dict.fromkeys(r["aliases"])
                            if a not in taken and a not in (r["name"], r["short"])]
            for key in (r["name"], r["short"], *r["aliases"]):
                other = owner.get(key)
                if other is not None and other is not r and TIERS[other["level"]] == tier \
                        and r["level"] != "county":
                    raise BuildError(f"{key}: used by {other['code']} {other['name']} and "
                                     f"{r['code']} {r['name']}; add an override")
                owner.setdefault(key, r)


def render(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in sorted(rows, key=lambda r: r["code"]):
        writer.writerow([r["code"], r["name"], r["short"], r["level"], r["kind"], r["parent"],
                         r.get("name_en", ""), "|".join(r["aliases"])])
    return buf.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="folder for regions.csv")
    args = parser.parse_args(argv)
    try:
        rows = build()
    except BuildError as exc:
        print(f"build_regions: {exc}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "regions.csv").write_bytes(render(rows))
    counts = {lv: sum(r["level"] == lv for r in rows) for lv in TIERS}
    print(f"{args.out / 'regions.csv'}: " + ", ".join(f"{n} {lv}" for lv, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
