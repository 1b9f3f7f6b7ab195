"""The Chinese of the seed data's English notes (and English prose in `formula`), as the bundled
dataset's observation files carry them: a reader of `digecon query`, the API or the annex reads
Chinese. `scripts/build_demo_dataset.py` passes every note and formula through `translate` /
`formula` as it writes, so a rebuild gives the same files; run alone it rewrites a folder's CSVs
in place (the builder's dialect: QUOTE_MINIMAL, "\n", checked to round-trip byte for byte; only
`note` and `formula` cells change). Usage: python3 scripts/notes_zh.py DIR [--write]
"""
from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

P = "原文未写明时期，据上下文为2021年"

# one segment of a note (the notes join their parts with "; ") -> Chinese
SEG = {
    # 01_gdp.csv
    "preliminary (city initial accounting)": "初步核算数（市级初步核算）",
    "preliminary (统计公报/初步核算)": "初步核算数（统计公报/初步核算）",
    "revised (NBS database, post-census/final verification)":
        "修订数（国家统计局数据库，经济普查后修订/最终核实）",
    # period
    "period not explicit": None,  # joined with the next segment below
    "period not explicit; context is 2021": P,
    "period not explicit; context is 2021 (全年/上下文)": P + "（全年）",
    "context is 2021 (全年/上下文)": None,
    "period assumed same as preceding 截至2021年底": "时期假定与前文“截至2021年底”相同",
    "目前/已 (as of writing; paper dated 2022-07)": "“目前/已”（指成文时，白皮书日期为2022年7月）",
    "data year not stated": "原文未写明数据年份",
    "截至“十三五”末 (end of 2020)": "截至“十三五”末（2020年底）",
    "park opened 2021Q4": "园区于2021年第四季度开园",
    "base year 2019": "基期为2019年",
    "current year not stated": "原文未写明当期年份",
    "implies 2019 value ≈ 109.6亿元": "据此推算2019年数值约为109.6亿元",
    "vs end-2020": "与2020年底相比",
    "implies end-2020 = 1188.4-714.1 = 474.3万户": "据此推算2020年底 = 1188.4-714.1 = 474.3万户",
    "national target for 2025": "全国2025年目标",
    # kinds of value
    "cumulative": "累计数",
    "cumulative over 4 editions": "4届累计",
    "plan": "计划数",
    "planned capacity": "规划建设规模",
    "decline": "降幅",
    "index-point gap": "指数点差值",
    "implies national average ≈ 2.07": "据此推算全国平均约为2.07",
    "T = Tbps": "原文“T”即Tbps",
    "worded as 数字产业化规模": "原文表述为“数字产业化规模”",
    "worded as 电子信息产业 (revenue implied)": "原文表述为“电子信息产业”（隐含指营业收入）",
    "same claim as 前言 (地区生产总值 = GDP)": "与前言同一表述（地区生产总值即GDP）",
    "unit % not written in the text": "原文未写单位%",
    "implied by “20.4 个百分点”": "由“20.4 个百分点”推知",
    "implied by “提升 17.6 个百分点”": "由“提升 17.6 个百分点”推知",
    "written 7×24 = 7 days × 24 hours": "原文写作7×24 = 7天×24小时",
    "odd wording “9.1余万” (余 after a decimal)": "原文措辞“9.1余万”不规范（“余”接在小数之后）",
    "frequency: once per quarter": "频次：每季度一次",
    # category thresholds
    "category threshold 百亿 (营收≥100亿元) folded into indicator":
        "类别门槛“百亿”（营收≥100亿元）并入指标",
    "category threshold 超50亿元 folded into indicator": "类别门槛“超50亿元”并入指标",
    "category threshold 超亿元 folded into indicator": "类别门槛“超亿元”并入指标",
    "category threshold 超千万 folded into indicator": "类别门槛“超千万”并入指标",
    "disjoint from 百亿 firms since 2+6 = 8": "与百亿企业不重叠，因2+6 = 8",
    "threshold 超10亿元 folded into indicator": "门槛“超10亿元”并入指标",
    # checks and implications
    "check 12.6% × 35.0% = 4.41%": "核算：12.6% × 35.0% = 4.41%",
    "check 16.3/27.5 = 59.27% (borderline within rounding)": "核算：16.3/27.5 = 59.27%（勉强在舍入误差范围内）",
    "check 9070/10378 = 87.40%": "核算：9070/10378 = 87.40%",
    "implies ≈1328 PFlops": "约合1328 PFlops",
    "implies ≈256 PFlops": "约合256 PFlops",
    "implies ≈16 PFlops": "约合16 PFlops",
    "consistent with 77 of 79 stations (77/79 = 97.47%)": "与79个车站中覆盖77个相符（77/79 = 97.47%）",
    "total not stated": "原文未写明总数",
    "denominator not stated": "原文未写明分母",
    "implies ≈ 2136 resources expected (2033/0.9516)": "据此推算应挂载资源约2136项（2033/0.9516）",
    "if 增加1.5倍 = ×2.5 then 2020 ≈ 5011节": "若“增加1.5倍”指×2.5，则2020年约为5011节",
    "if read as ×1.5 then ≈ 8352节": "若理解为×1.5，则约为8352节",
    "implies 2018 rate 45.2-17.6 = 27.6%": "据此推算2018年比率为45.2-17.6 = 27.6%",
    "implies 2018 rate 48.7-20.4 = 28.3%": "据此推算2018年比率为48.7-20.4 = 28.3%",
    "implies 2020 share 12.6-4.1 = 8.5%": "据此推算2020年占比为12.6-4.1 = 8.5%",
    "implies 2020 share 35.0-2.5 = 32.5%": "据此推算2020年占比为35.0-2.5 = 32.5%",
    "implies 2020 share ≈ 26.9% (e.g. 43/160 = 26.9%)": "据此推算2020年占比约为26.9%（如43/160 = 26.9%）",
    "implies 2020 ≈ 160 projects (170/1.063 = 159.9)": "据此推算2020年约160个项目（170/1.063 = 159.9）",
    "implies 2020 ≈ 4967亿元": "据此推算2020年约为4967亿元",
    "implies GDP CAGR 2016-2021 = 20.7-10.7 = 10.0%":
        "据此推算2016-2021年GDP年均复合增长率 = 20.7-10.7 = 10.0%",
    "implies national average annual increase 2.6-0.9 = 1.7pp (not stated)":
        "据此推算全国年均提高2.6-0.9 = 1.7个百分点（原文未写明）",
    "implies national growth 24.25-10.4 = 13.85%": "据此推算全国增速为24.25-10.4 = 13.85%",
    "implies province has 10 such firms": "据此推算全省此类企业共10家",
    "implies province has 4 such firms": "据此推算全省此类企业共4家",
    "217/240 = 90.4% (not stated)": "217/240 = 90.4%（原文未写明）",
    "fraction ≈ 33.3% (capacity vs national output, as worded)": "约合33.3%（按原文措辞，为产能与全国产量之比）",
    "fraction 25%": "即25%",
    "赣南脐橙 is a 赣州 (赣南) product": "赣南脐橙为赣州（赣南）产品",
    "fraction 2/3 ≈ 66.7%": "2/3约合66.7%",
    "implies provincial 互联网产业收入 < 107/(2/3) = 160.5亿元": "据此推算全省互联网产业收入 < 107/(2/3) = 160.5亿元",
    "现有 (current)": "“现有”（当前）",
    "implies provincial total ≈ 174/0.148 ≈ 1176": "据此推算全省总数约为174/0.148 ≈ 1176",
    "增加了1.6倍 = increased BY 1.6x (2021 ≈ 2.6x 2016)": "“增加了1.6倍”指增加量为1.6倍（2021年约为2016年的2.6倍）",
    "consistent with CAGR 20.7% (1.207^5 = 2.56)": "与年均复合增长率20.7%相符（1.207^5 = 2.56）",
    # matches
    "matches 表1 江西 composite 31.56": "与表1江西综合指数31.56一致",
    "matches 表2": "与表2一致",
    "consistent with 表1": "与表1相符",
    "consistent with 表2 (河南 124.66 ahead)": "与表2相符（河南以124.66分居前）",
    "matches 表1 总排名 8": "与表1总排名第8一致",
    # groups and cities
    "group statement": "群体表述",
    "group statement (3 cities listed, no count word)": "群体表述（列出3个城市，无数量词）",
    "group statement (5 cities listed, no count word here)": "群体表述（列出5个城市，此处无数量词）",
    "萍乡、景德镇 not mentioned": "未提及萍乡、景德镇",
    "group statement, expanded per city in city_thresholds.csv": "群体表述，已在city_thresholds.csv中按市展开",
    "group statement: each listed province has 数字经济增加值 >= 1万亿元": "群体表述：所列各省数字经济增加值均≥1万亿元",
    "15 listed: 广东、江苏、山东、浙江、上海、北京、福建、湖北、四川、河南、河北、湖南、安徽、重庆、辽宁 (incl. municipalities called 省)":
        "列出15个：广东、江苏、山东、浙江、上海、北京、福建、湖北、四川、河南、河北、湖南、安徽、重庆、辽宁（含直辖市，原文统称为“省”）",
    "club incl. 江西 = 16": "万亿俱乐部连同江西共16个",
    "信丰县 is in 赣州市 (not stated in paper)": "信丰县属赣州市（白皮书未写明）",
    "南昌、景德镇 above this provincial average (see city_thresholds.csv)":
        "南昌、景德镇高于该全省平均值（见city_thresholds.csv）",
    "高新区 = 南昌高新区": "高新区即南昌高新区",
    "5 cities listed": "列出5个城市",
    "5 cities listed: 赣州、九江、上饶、宜春、吉安": "列出5个城市：赣州、九江、上饶、宜春、吉安",
    "4 cities listed": "列出4个城市",
    "listed: 生活流量、商贸流量、大健康流量": "列举为：生活流量、商贸流量、大健康流量",
    "listed: 政务、金融、社会、商务、现代流通": "列举为：政务、金融、社会、商务、现代流通",
    "listed: 数字文创、电商直播、平台经济、数据应用、智慧新能源": "列举为：数字文创、电商直播、平台经济、数据应用、智慧新能源",
    "tiers based on 数字经济规模及占比": "梯队按数字经济规模及占比划分",
    "其余 = the 11 cities minus 南昌 and the 5 second-tier cities": "“其余”指11个设区市中除南昌和5个第二梯队城市以外的城市",
    "其余 expanded": "“其余”已按市展开",
    "其余 expanded = 11 cities minus 南昌 (>40%) and the 5 listed (>35%)":
        "“其余”已按市展开，即11个设区市中除南昌（>40%）和所列5市（>35%）以外的城市",
    "其余 expanded = 11 cities minus 南昌 and the 4 listed": "“其余”已按市展开，即11个设区市中除南昌和所列4市以外的城市",
    "not stated in 前言": "前言未写明",
    "高于河南、山西 (consistent: 6 central provinces)": "高于河南、山西（相符：中部共6省）",
    "rank unchanged vs 2019 (i.e. 17th in 2019 too)": "排名与2019年持平（即2019年同为第17位）",
    "ordinal position in the MoE list": "在教育部名单中的排序位次",
    "top-10 membership (rank ≤ 10)": "入选前十（排名≤10）",
    "top-100 list membership (rank ≤ 100)": "入选百强榜（排名≤100）",
    "top-100 membership (rank ≤ 100)": "入选百强（排名≤100）",
    "ranks first among the 11 cities": "在11个设区市中居首位",
    "领跑全省 = ranks first among the 11 cities": "“领跑全省”即在11个设区市中居首位",
    "context 从规模来看 (数字产业化)": "语境为“从规模来看”（数字产业化）",
    # glosses of the paper's words
    "1万亿元 = 10000亿元 (cf. 10378亿元)": "1万亿元 = 10000亿元（对照10378亿元）",
    "首次 = first time": "“首次”即第一次",
    "突破 = exceeds": "“突破”即超过",
    "“实现零的突破” = count went from 0 to at least 1": "“实现零的突破”指数量由0变为至少1",
    "基本 = basically": "“基本”意为大体上",
    "“百余项” = 100-odd": "“百余项”即100多项",
    "“600 多” = 600-odd (more than 600)": "“600 多”即600有余（超过600）",
    "“多” = more than": "“多”意为超过",
    "“突过” is presumably a typo for “突破” (exceeds)": "“突过”疑为“突破”（超过）之误",
    "上升至 = rose to": "“上升至”指升至该位次",
    "以内 = within (≤)": "“以内”即不超过（≤）",
    "no “le” qualifier in schema": "数据格式的限定词中没有“le”（≤）",
    # 04_estimated_from_paper.csv
    "alternative via “增加了1.6倍”: 10378/2.6 = 3991.5": "另按“增加了1.6倍”推算：10378/2.6 = 3991.5",
    "rounding range of both ≈ 3916-4070": "两种算法计入舍入后的区间约为3916-4070",
    "assumes 19.5% is nominal growth of the same series": "假定19.5%为同一序列的名义增速",
    "assumes DI + ID = 100% of DE (holds in 2021: 12.6 + 87.4)":
        "假定数字产业化 + 产业数字化 = 数字经济的100%（2021年成立：12.6 + 87.4）",
    "second-order implication": "二次推算值（由推算值再推算）",
    "with 12.6/4.1/19.5 it implies DI growth of ≈77% in 2021": "由12.6/4.1/19.5可推出2021年数字产业化增速约为77%",
}

# English prose inside the `formula` column (04_estimated_from_paper.csv)
FORMULA = {
    "35.0 - 2.5 = 32.5 (range 32.4-32.6 given rounding)": "35.0 - 2.5 = 32.5（考虑舍入，区间为32.4-32.6）",
    "10378 / 1.207^5 = 10378 / 2.5617 = 4051.1 (from CAGR)": "10378 / 1.207^5 = 10378 / 2.5617 = 4051.1（由年均复合增长率推算）",
    "12.6 - 4.1 = 8.5 (range 8.4-8.6)": "12.6 - 4.1 = 8.5（区间8.4-8.6）",
}

LATIN = re.compile(r"[A-Za-z]{2,}")
# Latin that may stay in Chinese text: units, GDP, a file name, a schema code, 2021Q4-like
ALLOWED = {"PFlops", "Tbps", "GDP", "city", "thresholds", "csv", "le"}


def segment(s: str) -> str:
    if not LATIN.search(s):
        return s
    if s in SEG:
        return SEG[s]
    m = re.fullmatch(r"written_as=(\S+)", s)
    if m:
        return f"原文写作“{m.group(1)}”"
    m = re.fullmatch(r"check (.+)", s)
    if m and m.group(1) not in SEG:
        return f"核算：{m.group(1)}"
    raise KeyError(s)


def translate(note: str) -> str:
    if not LATIN.search(note):
        return note
    if note in SEG:
        return SEG[note]
    # keys that themselves contain "; " are replaced whole before the note is split
    held = {}
    for k in sorted((k for k in SEG if "; " in k and SEG[k]), key=len, reverse=True):
        if k in note:
            tok = f"\x00{len(held)}\x00"
            held[tok] = SEG[k]
            note = note.replace(k, tok)
    parts = re.split(r"; |；", note)
    out, i = [], 0
    while i < len(parts):
        p = parts[i]
        # "period not explicit; context is 2021[ (全年/上下文)]" is one statement
        if p == "period not explicit" and i + 1 < len(parts) and parts[i + 1].startswith("context is 2021"):
            out.append(SEG[p + "; " + parts[i + 1]])
            i += 2
            continue
        # "check a; b" / "目前/已 (...); data year not stated" are kept together by segment()
        out.append(held.get(p) or segment(p))
        i += 1
    return "；".join(out)


def formula(text: str) -> str:
    return FORMULA.get(text, text)


def main() -> None:
    d = Path(sys.argv[1])
    write = "--write" in sys.argv
    mapping: dict[str, str] = {}
    for f in sorted(d.glob("*.csv")):
        raw = f.read_bytes()
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(rows)
        assert buf.getvalue().encode("utf-8") == raw, f"{f}: csv module does not round-trip it"
        header = rows[0]
        ni, fi = header.index("note"), header.index("formula")
        changed = 0
        for r in rows[1:]:
            new = translate(r[ni])
            if new != r[ni]:
                mapping[r[ni]] = new
                r[ni] = new
                changed += 1
            if LATIN.search(r[fi]) and r[fi] in FORMULA:
                mapping[r[fi]] = FORMULA[r[fi]]
                r[fi] = FORMULA[r[fi]]
                changed += 1
        for r in rows[1:]:
            for cell in (r[ni], r[fi]):
                left = set(LATIN.findall(cell)) - ALLOWED
                assert not left, (f.name, cell, left)
        print(f"{f.name}: {changed} cells changed", file=sys.stderr)
        if write and changed:
            out = io.StringIO(newline="")
            csv.writer(out, lineterminator="\n").writerows(rows)
            f.write_bytes(out.getvalue().encode("utf-8"))
    for k, v in mapping.items():
        print(f"{k}\n  -> {v}")
    print(f"{len(mapping)} distinct texts", file=sys.stderr)


if __name__ == "__main__":
    main()
