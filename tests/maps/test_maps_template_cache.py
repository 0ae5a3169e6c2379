"""Folium's templates, compiled from strings as it is imported, are kept on disk for the next
run (maps._render.templates_from_disk), and a damaged kept file is compiled again."""

from __future__ import annotations

import marshal

import jinja2

from maps._render import templates_from_disk
from tests.helpers.probe import fresh_python

SOURCE = "{% macro script(this) %}L.marker({{ this.where }});{% endmacro %}{{ 1 + 2 }}"


def _kept(home):
    return sorted((home / "cache" / "templates").glob("src-*.code"))


def test_a_template_compiled_from_a_string_is_kept_and_read_back(tmp_path, monkeypatch):
    """The first compile writes the code; the next one reads it (no compile) and renders the
    same; outside the block Jinja compiles as ever."""
    monkeypatch.setenv("AIDROUTE_HOME", str(tmp_path))
    with templates_from_disk():
        first = jinja2.Template(SOURCE)
    assert len(_kept(tmp_path)) == 1
    compiled = []
    real = jinja2.Environment._compile
    monkeypatch.setattr(
        jinja2.Environment, "_compile", lambda *a, **k: compiled.append(1) or real(*a, **k)
    )
    with templates_from_disk():
        again = jinja2.Template(SOURCE)
    assert compiled == []
    assert again.render() == first.render() == "3"
    jinja2.Template(SOURCE + " ")
    assert compiled == [1]
    assert len(_kept(tmp_path)) == 1


def test_a_damaged_kept_template_is_compiled_again(tmp_path, monkeypatch):
    """A file cut short or overwritten does not break a page: the template compiles."""
    monkeypatch.setenv("AIDROUTE_HOME", str(tmp_path))
    with templates_from_disk():
        jinja2.Template(SOURCE)
    (path,) = _kept(tmp_path)
    path.write_bytes(b"\x00not code")
    with templates_from_disk():
        assert jinja2.Template(SOURCE).render() == "3"
    path.write_bytes(marshal.dumps(12))  # readable, but not code
    with templates_from_disk():
        assert jinja2.Template(SOURCE).render() == "3"


def test_other_syntax_options_are_not_given_the_kept_code(tmp_path, monkeypatch):
    """The same source in an environment with other delimiters is its own template."""
    monkeypatch.setenv("AIDROUTE_HOME", str(tmp_path))
    source = "<< 1 + 2 >>{{ x }}"
    with templates_from_disk():
        plain = jinja2.Template(source)
        angled = jinja2.Template(source, variable_start_string="<<", variable_end_string=">>")
    assert plain.render(x=5) == "<< 1 + 2 >>5"
    assert angled.render(x=5) == "3{{ x }}"
    assert len(_kept(tmp_path)) == 2


def test_the_first_map_of_a_process_reads_folium_templates_kept(tmp_path):
    """Drawing a map first thing in a process (as the renderer's warm-up does) imports
    folium by way of the kept templates: the next process compiles almost none of them."""
    probe = """
import json, jinja2
compiled = []
real = jinja2.Environment._compile
jinja2.Environment._compile = lambda *a, **k: compiled.append(1) or real(*a, **k)
from maps.overview import overview_map
from tests.helpers.sample_plans import make_plan
overview_map(make_plan())
print(json.dumps(len(compiled)))
"""
    first = fresh_python(probe, AIDROUTE_HOME=str(tmp_path))
    again = fresh_python(probe, AIDROUTE_HOME=str(tmp_path))
    assert first >= 40  # folium's element templates, compiled from strings
    assert again <= 10
