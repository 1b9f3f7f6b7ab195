"""One error family: every input error is a digecon.errors.InputError, and the command line turns
any of them into exit 2 with its message in one place."""
from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from digecon import cli
from digecon.api.indices import IndexInputError
from digecon.api.scope import ScopeError
from digecon.catalog import CatalogError, UnknownNameError, get_catalog
from digecon.catalog.relations import FormulaError, RelationError
from digecon.dataset_paths import DatasetError
from digecon.errors import InputError
from digecon.evaluate.errors import MethodError, SpecError
from digecon.figures.defs import SpecError as FigureSpecError
from digecon.measure.classify import ConcordanceError
from digecon.measure.engines import RecordsError
from digecon.measure.growth import GrowthInputError
from digecon.narrative.cli import NarrativeInputError
from digecon.narrative.render import TemplateError


@pytest.mark.parametrize("cls", [CatalogError, UnknownNameError, FormulaError, RelationError,
                                 DatasetError, SpecError, MethodError, FigureSpecError,
                                 ScopeError, IndexInputError, ConcordanceError, RecordsError,
                                 GrowthInputError, NarrativeInputError, TemplateError])
def test_every_input_error_is_one_family(cls):
    assert issubclass(cls, InputError)


def test_fields_format_one_message():
    e = InputError(file="a.csv", sheet="数据", row=3, column="value", found="「abc」",
                   expected="数值")
    assert str(e) == "a.csv:数据:3:value: 发现「abc」，应为数值"
    assert (e.file, e.row, e.column) == ("a.csv", 3, "value")


def test_an_unknown_name_is_still_a_key_error_and_an_input_error():
    with pytest.raises(KeyError) as info:
        get_catalog().region("火星")
    assert isinstance(info.value, InputError) and "未知地区「火星」" in str(info.value)


def test_the_command_line_maps_any_input_error_to_exit_2(monkeypatch):
    @click.command()
    def boom():
        raise InputError(file="x.yaml", column="weights", found="「-1」", expected="非负权重")

    monkeypatch.setattr(cli, "_load", lambda name: boom if name == "boom" else None)
    r = CliRunner().invoke(cli.main, ["boom"])
    assert r.exit_code == 2
    assert "x.yaml:weights: 发现「-1」，应为非负权重" in r.output
