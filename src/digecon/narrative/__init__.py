"""Narrative: Chinese number language (fmt), statement blocks over facts (statements) and the
dataset's section templates rendered with them (render, generate)."""
from digecon.narrative import fmt
from digecon.narrative.fmt import ILLUSTRATIVE_MARK
from digecon.narrative.generate import generate, generate_section, templates_dir
from digecon.narrative.render import (
    Narrative,
    TemplateError,
    find_template,
    render_template,
    template_section,
)
from digecon.narrative.said import Missing, Said
from digecon.narrative.statements import Statements

__all__ = ["ILLUSTRATIVE_MARK", "Missing", "Narrative", "Said", "Statements", "TemplateError",
           "find_template", "fmt", "generate", "generate_section", "render_template",
           "template_section", "templates_dir"]
