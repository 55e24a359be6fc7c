"""The command line: JSON shapes, exit codes, one-line errors, locations and auto-indexing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_CORPUS
from tuibrowser.cli import main
from tuibrowser.core.paths import resolve_locations


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def where(corpus, index_dir):
    return ["--corpus", str(corpus), "--index", str(index_dir)]


def test_search_json_shape(capsys, where):
    code, out, err = run(capsys, *where, "search", "ICJ", "ruling", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"query", "total", "hits", "suggestion"}
    assert data["query"] == "ICJ ruling" and data["total"] == 1 and data["suggestion"] is None
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "source", "score", "snippet"}
    assert hit["date"] == "2023-05-29" and hit["source"] is None and isinstance(hit["score"], float)
    assert "«ICJ»" in hit["snippet"]
    assert "indexing" in err  # the missing index was built first, with a message


def test_search_zero_hits_is_success_with_suggestion(capsys, where):
    code, out, _ = run(capsys, *where, "search", "Zakharva", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 0 and data["hits"] == [] and data["suggestion"] == "Zakharova"


def test_list_json_newest_first_with_relative_paths(capsys, where):
    code, out, _ = run(capsys, *where, "list", "--json")
    assert code == 0
    items = json.loads(out)
    assert [set(item) >= {"id", "title", "date", "source", "path"} for item in items] == [True] * 5
    assert [item["date"] for item in items] == ["2023-06-23", "2023-05-29", "2023-05-26", None, None]
    assert {item["path"] for item in items} == {p.name for p in SAMPLE_CORPUS.glob("*.txt")}


def test_show_json_text_is_the_joined_paragraphs(capsys, where):
    _, out, _ = run(capsys, *where, "list", "--json")
    article_id = json.loads(out)[0]["id"]
    code, out, _ = run(capsys, *where, "show", article_id, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"id", "title", "date", "source", "byline", "url", "text", "paragraphs"}
    assert data["text"] == "\n\n".join(data["paragraphs"])
    assert (data["source"], data["byline"], data["date"]) == ("Asbarez", "Asbarez", "2023-06-23")


def test_show_unknown_id_exits_2_with_close_matches(capsys, where):
    run(capsys, *where, "index")
    code, out, err = run(capsys, *where, "show", "russia-urges-baku", "--json")
    assert code == 2 and out == ""
    assert (
        err.count("\n") == 1 and "no article with id" in err and "russia-urges-baku-to-unblock-lachin-corridor" in err
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["search", ""],
        ["search", "x" * 10_000],
        ["search", "date:bogus"],
        ["search", "x", "--limit", "0"],
        ["search", "x", "--limit", "many"],
        ["nonsense"],
        ["search"],
        ["show"],
        ["list", "--bogus"],
        ["search", "title:"],
        ["index", "--wait", "-5"],
        ["index", "--wait", "nan"],
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, where, argv):
    run(capsys, *where, "index")
    code, out, err = run(capsys, *where, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("tuibrowser: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_index_location_that_is_a_file_exits_2(capsys, tmp_path):
    (tmp_path / "afile").write_text("x")
    code, _, err = run(capsys, "--corpus", str(SAMPLE_CORPUS), "--index", str(tmp_path / "afile"), "list")
    assert code == 2 and "not a folder" in err and "internal error" not in err


def test_os_errors_are_one_line_messages(capsys, tmp_path, monkeypatch):
    from tuibrowser.core.services import Services

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "index"))

    monkeypatch.setattr(Services, "sync", no_space)
    code, _, err = run(capsys, "--corpus", str(SAMPLE_CORPUS), "--index", str(tmp_path / "index"), "index")
    assert code == 1 and err == f"tuibrowser: No space left on device: {tmp_path / 'index'}\n"


def test_missing_corpus_folder_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "--corpus", str(tmp_path / "nope"), "list")
    assert code == 2 and "corpus folder not found" in err


def test_index_command_reports_counts(capsys, where, corpus):
    code, out, _ = run(capsys, *where, "index")
    assert code == 0 and "5 added, 0 updated, 0 removed, 0 unchanged" in out
    (corpus / "new.txt").write_text("Fresh headline\n\nFresh body.\n")
    code, out, _ = run(capsys, *where, "index", "--json")
    data = json.loads(out)
    assert (data["added"], data["updated"], data["removed"], data["unchanged"]) == (1, 0, 0, 5)


def test_stale_index_is_synced_before_a_search(capsys, where, corpus):
    run(capsys, *where, "index")
    (corpus / "new.txt").write_text("Fresh headline about walruses\n\nWalruses everywhere.\n")
    code, out, err = run(capsys, *where, "search", "walruses", "--json")
    assert code == 0 and json.loads(out)["total"] == 1
    assert "1 added" in err


def test_options_work_after_the_command(capsys, corpus, index_dir):
    code, out, _ = run(capsys, "search", "Zakharova", "--corpus", str(corpus), "--index", str(index_dir), "--json")
    assert code == 0 and json.loads(out)["total"] == 1


def test_help_and_version_everywhere():
    for argv in (["--help"], ["index", "--help"], ["list", "--help"], ["search", "--help"], ["show", "--help"]):
        proc = subprocess.run([sys.executable, "-m", "tuibrowser", *argv], capture_output=True, text=True)
        assert proc.returncode == 0 and "usage: tuibrowser" in proc.stdout, argv
    proc = subprocess.run([sys.executable, "-m", "tuibrowser", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("tuibrowser ")


def test_installed_command_searches_without_importing_textual(tmp_path):
    exe = shutil.which("tuibrowser", path=str(Path(sys.executable).parent))
    assert exe, "the console script is installed"
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run(
        [exe, "--corpus", str(SAMPLE_CORPUS), "--index", str(tmp_path / "ix"), "search", "Lavrov", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["total"] == 2
    assert "textual" not in proc.stderr and " rich" not in proc.stderr


def test_locations_order(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    assert resolve_locations(cwd=tmp_path).corpus == tmp_path / "corpus"
    assert resolve_locations(cwd=tmp_path).index == tmp_path / "index"
    env = {"TUIBROWSER_CORPUS": str(tmp_path / "c2"), "TUIBROWSER_INDEX": str(tmp_path / "i2")}
    assert resolve_locations(environ=env, cwd=tmp_path).corpus == tmp_path / "c2"
    assert resolve_locations(environ=env, cwd=tmp_path).index == tmp_path / "i2"
    flags = resolve_locations(tmp_path / "c3", tmp_path / "i3", environ=env, cwd=tmp_path)
    assert (flags.corpus, flags.index) == (tmp_path / "c3", tmp_path / "i3")


def test_first_use_seeds_the_user_corpus(capsys, tmp_path, monkeypatch, isolated_user_dirs):
    monkeypatch.chdir(tmp_path)  # no ./corpus here
    code, out, err = run(capsys, "search", "Zakharova", "--json")
    assert code == 0 and json.loads(out)["total"] == 1
    assert "created a sample corpus" in err
    seeded = isolated_user_dirs / "xdg_data_home" / "tuibrowser" / "corpus"
    expected = [*SAMPLE_CORPUS.glob("*.txt"), SAMPLE_CORPUS / "entities.toml"]
    assert sorted(p.name for p in seeded.iterdir()) == sorted(p.name for p in expected)
    code, out, _ = run(capsys, "search", "entity:icj", "--json")
    assert code == 0 and json.loads(out)["total"] == 1  # the knowledge base came along
    code, _, err = run(capsys, "list")
    assert code == 0 and "created" not in err and "indexing" not in err
