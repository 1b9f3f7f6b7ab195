"""`digecon factcheck`: check the numbers of a Chinese text file and write JSON, CSV or HTML."""
from __future__ import annotations

from pathlib import Path

import click

from digecon.factcheck.check import check_text
from digecon.factcheck.render import summary, to_csv, to_html, to_json
from digecon.options import db_option


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """The bytes as text and the encoding used: UTF-8 (with or without BOM), UTF-16 with a BOM, or
    GB18030 (which covers GBK); a click error naming the file when none of them fits."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
        if text and sum(ch.isprintable() or ch.isspace() for ch in text) >= 0.95 * len(text) \
                and "\x00" not in text:
            return text, "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        return raw.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{name}: 不是 UTF-8、UTF-16 或 GBK/GB18030 编码的文本（按 UTF-8 在第 {where} 字节处无法解码）；"
            "请另存为 UTF-8 文本后再核查") from None


def read_text_file(path: Path) -> str:
    """The file as text, or a click error naming the file and what is wrong with it."""
    if path.is_dir():
        raise click.ClickException(f"{path}: 是一个目录，应为一个文本文件")
    if not path.is_file():
        raise click.ClickException(f"文件不存在：{path}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: 无法读取（{exc.strerror}）") from None
    text, encoding = decode_text(raw, str(path))
    if encoding != "UTF-8":
        click.echo(f"{path}: 按 {encoding} 编码读取", err=True)
    if not text.strip():
        raise click.ClickException(f"{path}: 文件为空，没有可核查的文字")
    return text


@click.command()
@click.argument("text_file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html"]), default="json",
              show_default=True, help="输出格式")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="输出文件")
@db_option
@click.option("--no-store", is_flag=True, help="不查数据库，只做文内算术核查")
@click.option("--as-of", default=None,
              help="只用该日期（YYYY-MM-DD）及以前发布的数据版本（默认取文首 digecon 注释中的 as_of，否则最新）")
@click.option("--region", default=None, help="文本所述地区（默认从文中推断）")
@click.option("--year", default=None, help="文本所述年份（默认从文中推断）")
def factcheck(text_file: Path, fmt: str, out: Path, db: Path | None, no_store: bool, as_of: str | None,
              region: str | None, year: str | None) -> None:
    """核查文本中的数字：提取每个数值表述，做文内算术核查并与数据库比对。

    Read every number of a Chinese text with its unit, parse each clause into a statement
    (level, growth, increment, share, pp change, gap, multiple, CAGR, rank, count), check the
    statements against each other by interval arithmetic at their stated precision and,
    unless --no-store, against the store. Encodings: UTF-8, UTF-16 (with BOM), GBK/GB18030.

    \b
    Example:
      digecon factcheck draft.txt --no-store --out checks.json
      digecon factcheck draft.txt --format html --db digecon.duckdb --out checks.html
    """
    text = read_text_file(text_file)
    store = None
    if not no_store:
        from digecon.store import Store

        store = Store(db)
        if not store.exists():
            raise click.ClickException(f"数据库 {store.path} 不存在；先运行 digecon load-demo，或加 --no-store")
    from digecon.factcheck.check import header_as_of, read_header

    as_of = as_of or header_as_of(read_header(text)[0])
    if as_of:
        import datetime as dt

        try:
            as_of = dt.date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise click.ClickException(f"--as-of / 文首 as_of：应为日期 YYYY-MM-DD，收到 {as_of!r}") from None
    if out.is_dir():
        raise click.ClickException(f"--out {out}: 是一个目录，应为输出文件的路径")
    claims = check_text(text, store=store, region=region, year=year, as_of=as_of)
    body = {"json": to_json, "csv": to_csv}.get(fmt)
    payload = body(claims) if body else to_html(text, claims, title=f"数字核查：{text_file.name}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(payload, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"--out {out}: 无法写入（{exc.strerror}）") from None
    s = summary(claims)
    vintage = f"（数据版本截至 {as_of}）" if store is not None and as_of else ""
    if not claims:
        click.echo(f"{text_file}: 文中没有找到数值表述，没有可核查的数字；结果（空）已写入 {out}")
        return
    click.echo(f"共 {s['claims']} 个数值表述，不一致 {s['inconsistent']} 个，一致 {s['consistent']} 个，"
               f"无法核验 {s['unverifiable']} 个，覆盖率 {s['coverage']:.1%}{vintage}，结果已写入 {out}")
