"""write_outputs: the folder the CLI leaves, complete and usable offline."""

from __future__ import annotations

import os
import re

import pytest
from pypdf import PdfReader

from maps._jobs import _half, write_jobs
from maps.assets import static_dir
from maps.outputs import write_outputs
from routing.errors import InputError
from tests.helpers.html import Tags
from tests.helpers.sample_plans import make_plan, many_routes_plan


def test_write_outputs_layout(tmp_path):
    """Overview, a page, GPX and manifests per driver with a route, all-driver manifests,
    CSV/XLSX and the bundled assets; every returned path exists and is under the folder."""
    paths = write_outputs(make_plan(), tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in paths}
    assert {
        "overview.html",
        "drivers/dana-rivera.html",
        "drivers/dana-rivera.gpx",
        "drivers/sam-green.html",
        "manifests/dana-rivera.html",
        "manifests/dana-rivera.pdf",
        "manifests/sam-green.pdf",
        "manifests/all.html",
        "manifests/all.pdf",
        "plan.csv",
        "plan.xlsx",
        "static/leaflet/leaflet.js",
        "static/leaflet/leaflet.css",
        "static/leaflet/LICENSE",
    } <= names
    assert not any("idle" in n for n in names)
    assert all(p.is_file() for p in paths)
    assert (tmp_path / "static/leaflet/leaflet.js").read_bytes() == (
        static_dir() / "leaflet/leaflet.js"
    ).read_bytes()


def test_every_local_link_in_the_folder_resolves(tmp_path):
    """Each relative src/href of every written page points at a file that was written, so
    the folder opens from disk with no network; no page loads anything from another host."""
    write_outputs(make_plan(hostile=True), tmp_path, base_url="https://example.org/week48")
    pages = sorted(tmp_path.rglob("*.html"))
    assert len([p for p in pages if "publish" not in p.parts]) == 6
    assert len([p for p in pages if "publish" in p.parts]) == 5  # 2 x (page, manifest), index
    for page in pages:
        tags = Tags(page.read_text(encoding="utf-8"))
        for tag, attrs in tags.tags:
            for key in ("src", "href"):
                url = attrs.get(key)
                if not url:
                    continue
                if tag == "script" or (tag == "link" and attrs.get("rel") != "canonical"):
                    assert not re.match(r"(https?:)?//", url), (page, url)
                if re.match(r"[a-z]+:", url) or url.startswith("#"):
                    continue
                assert (page.parent / url).resolve().is_file(), (page.name, url)


def test_base_url_gives_manifests_a_qr_of_the_driver_page(tmp_path):
    """With a base URL each manifest carries a QR code and the URL of its driver page, which
    is published under an unguessable name in publish/, with only that driver's files."""
    write_outputs(make_plan(), tmp_path, base_url="https://example.org/week48/", pdf=False)
    manifest = (tmp_path / "manifests/dana-rivera.html").read_text(encoding="utf-8")
    assert "<svg" in manifest
    links = (tmp_path / "driver-links.csv").read_text(encoding="utf-8").splitlines()[1:]
    dana = next(line for line in links if line.startswith("Dana Rivera"))
    url = dana.split(",")[-1]
    assert url in manifest and "dana" not in url.lower()
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 16 and not token.startswith("-")
    assert (tmp_path / "publish" / "index.html").read_text(encoding="utf-8").count("<a") == 0
    published = sorted(
        p.relative_to(tmp_path / "publish").as_posix()
        for p in (tmp_path / "publish").rglob("*")
        if p.is_file()
    )
    assert f"{token}/index.html" in published
    assert not any(
        name.endswith(("overview.html", ".csv", ".xlsx", "all.html", ".pdf")) for name in published
    )
    assert all(n.startswith((token, "static/", "index.html")) or "/" in n for n in published)
    plain = write_outputs(make_plan(), tmp_path / "plain", pdf=False)
    assert "<svg" not in next(
        p for p in plain if p.name == "dana-rivera.html" and p.parent.name == "manifests"
    ).read_text(encoding="utf-8")


def test_a_second_run_removes_what_the_first_wrote(tmp_path):
    """Last week's driver pages do not linger when this week's plan has other drivers."""
    write_outputs(make_plan(), tmp_path, base_url="https://example.org/w/", pdf=False)
    (tmp_path / "drivers" / "someone-last-week.html").write_text("old", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    write_outputs(make_plan(), tmp_path, pdf=False)
    assert not (tmp_path / "drivers" / "someone-last-week.html").exists()
    assert not (tmp_path / "publish").exists() and not (tmp_path / "driver-links.csv").exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_folder_aidroute_did_not_write_is_never_cleared(tmp_path):
    """A user's own drivers/ folder (rosters, say) is refused, not deleted; a publish/ link
    to a web root is unlinked, never followed."""
    (tmp_path / "drivers").mkdir()
    (tmp_path / "drivers" / "roster.csv").write_text("Name\nAna\n", encoding="utf-8")
    with pytest.raises(InputError, match="drivers"):
        write_outputs(make_plan(), tmp_path, pdf=False)
    assert (tmp_path / "drivers" / "roster.csv").exists()
    out = tmp_path / "out"
    write_outputs(make_plan(), out, pdf=False)
    webroot = tmp_path / "webroot"
    webroot.mkdir()
    (webroot / "keep.html").write_text("x", encoding="utf-8")
    (out / "publish").symlink_to(webroot)
    write_outputs(make_plan(), out, pdf=False)
    assert (webroot / "keep.html").exists() and not (out / "publish").exists()


def test_privacy_reaches_every_driver_file(tmp_path):
    """initials mode: no full name in any driver page, manifest or GPX (CSV keeps them)."""
    paths = write_outputs(make_plan(), tmp_path, privacy="initials", pdf=False)
    for p in paths:
        if p.parent.name in ("drivers", "manifests"):
            assert "Ana Lopez" not in p.read_text(encoding="utf-8"), p
    assert "Ana Lopez" in (tmp_path / "plan.csv").read_text(encoding="utf-8")
    with pytest.raises(InputError):
        write_outputs(make_plan(), tmp_path, privacy="secret")


def test_driver_file_names_are_transliterated_not_mangled():
    """Names in any script become readable ASCII file names ("Nadège Côté" -> nadege-cote,
    "王芳" -> wang-fang); a name with nothing to transliterate falls back to the driver's id,
    and two drivers with one name get distinct files."""
    from dataclasses import replace

    from maps.outputs import driver_slugs

    plan = make_plan()
    d1, d2, d3 = plan.problem.drivers
    names = {"d1": "Nadège Côté", "d2": "王芳"}
    problem = replace(
        plan.problem, drivers=tuple(replace(d, name=names.get(d.id, d.name)) for d in (d1, d2, d3))
    )
    assert driver_slugs(replace(plan, problem=problem)) == {"d1": "nadege-cote", "d2": "wang-fang"}
    same = replace(plan.problem, drivers=tuple(replace(d, name="🚚") for d in (d1, d2, d3)))
    assert driver_slugs(replace(plan, problem=same)) == {"d1": "d1", "d2": "d2"}
    twins = replace(plan.problem, drivers=tuple(replace(d, name="Ana") for d in (d1, d2, d3)))
    assert driver_slugs(replace(plan, problem=twins)) == {"d1": "ana", "d2": "ana-2"}


def test_two_processes_write_what_one_writes(tmp_path):
    """The folder written with a second process holds the same files, each as complete, as
    the one written in this process alone (issue 13: outputs rendered in parallel)."""
    plan = many_routes_plan(12, 5)
    one = write_outputs(plan, tmp_path / "one", workers=1)
    two = write_outputs(plan, tmp_path / "two", workers=2)
    assert [p.relative_to(tmp_path / "one") for p in one] == [
        p.relative_to(tmp_path / "two") for p in two
    ]
    for a, b in zip(one, two, strict=True):
        if a.suffix == ".pdf":
            texts = [[pg.extract_text() for pg in PdfReader(f).pages] for f in (a, b)]
            assert texts[0] == texts[1], a.name
        elif a.suffix in (".csv", ".gpx", ".json"):
            assert a.read_bytes() == b.read_bytes(), a.name
        else:
            assert abs(a.stat().st_size - b.stat().st_size) < 200, a.name  # random element ids


def test_a_failure_in_the_second_process_is_made_good_or_raised_here(tmp_path):
    """What the second process could not render, this one renders again: the file is there;
    and an error in a job reaches the caller, as it would in one process."""
    parent = os.getpid()

    def only_here() -> str:
        if os.getpid() != parent:
            raise RuntimeError("not in the second process")
        return "made here"

    jobs = [(f"f{k}.txt", 10, lambda k=k: f"file {k}") for k in range(5)]
    assert _half([*jobs, ("late.txt", 1, only_here)]) == {1, 3, 5}  # "late" is theirs
    paths = write_jobs(tmp_path, [*jobs, ("late.txt", 1, only_here)], workers=2)
    assert [p.read_text() for p in paths] == [*(f"file {k}" for k in range(5)), "made here"]

    def broken() -> str:
        raise ValueError("a page that cannot be rendered")

    with pytest.raises(ValueError, match="cannot be rendered"):
        write_jobs(tmp_path, [*jobs, ("bad.txt", 30, broken)], workers=2)


def test_the_jobs_of_a_kit_share_one_process(tmp_path):
    """Jobs needing the same library (maps, PDFs) go to one process, so only that one loads
    it; the halves still balance (the kits' own costs counted); files as in one process."""
    jobs = [(f"p{k}.txt", 3, lambda k=k: f"page {k}") for k in range(6)]
    jobs += [(f"m{k}.txt", 4, lambda k=k: f"pdf {k}") for k in range(6)]
    jobs += [("plan.csv", 2, lambda: "csv")]
    kits = ["map"] * 6 + ["pdf"] * 6 + [""]
    theirs = _half(jobs, kits)
    assert theirs in ({*range(6)}, {*range(6, 13)}, {*range(6, 12)}, {*range(6), 12})
    paths = write_jobs(tmp_path, jobs, workers=2, kits=kits)
    assert [p.read_text() for p in paths] == [
        *(f"page {k}" for k in range(6)),
        *(f"pdf {k}" for k in range(6)),
        "csv",
    ]
