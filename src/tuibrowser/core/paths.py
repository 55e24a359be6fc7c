"""Where the corpus and the index live: flags, then environment, then ./corpus, then user dirs."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "tuibrowser"
CORPUS_ENV = "TUIBROWSER_CORPUS"
INDEX_ENV = "TUIBROWSER_INDEX"


@dataclass(frozen=True, slots=True)
class Locations:
    """The corpus and index folders in use, and how they were chosen (for messages)."""

    corpus: Path
    index: Path
    seeded: bool = False
    """True when this call created the user's corpus from the sample articles."""


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def sample_corpus_dir() -> Path:
    """The sample articles shipped with the package.

    An installed wheel carries them as `tuibrowser/sample_corpus`; an editable install
    (a checkout) reads the repository's own `corpus/` folder, the source of truth.
    """
    from importlib import resources  # only to seed a first corpus (~0.7 ms of every start otherwise)

    packaged = Path(str(resources.files("tuibrowser"))) / "sample_corpus"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "corpus"


def resolve_locations(
    corpus: str | os.PathLike[str] | None = None,
    index: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Locations:
    """Choose the corpus and index folders.

    Order: the arguments; TUIBROWSER_CORPUS / TUIBROWSER_INDEX; ./corpus and ./index when
    the working directory has a corpus/ folder; the user's data directory, seeded with the
    sample corpus on first use. An index for a corpus chosen by flag or environment, with
    no index given, goes to the user's cache directory, one folder per corpus.
    """
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    seeded = False
    if corpus is None and environ.get(CORPUS_ENV):
        corpus = environ[CORPUS_ENV]
    if index is None and environ.get(INDEX_ENV):
        index = environ[INDEX_ENV]

    if corpus is not None:
        corpus_path = Path(corpus).expanduser()
        default_index = cache_dir() / "indexes" / hashlib.sha1(str(corpus_path.resolve()).encode()).hexdigest()[:16]
    elif (cwd / "corpus").is_dir():
        corpus_path, default_index = cwd / "corpus", cwd / "index"
    else:
        corpus_path, default_index = data_dir() / "corpus", data_dir() / "index"
        seeded = seed_corpus(corpus_path)
    index_path = Path(index).expanduser() if index is not None else default_index
    return Locations(corpus=corpus_path, index=index_path, seeded=seeded)


def seed_corpus(target: Path) -> bool:
    """Copy the sample articles into `target` if it does not exist yet. Returns True if it did.

    An existing folder, even an empty one, is the user's and is left alone.
    """
    if target.exists():
        return False
    source = sample_corpus_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.seeding")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    # The articles and the knowledge base that links them.
    for item in sorted([*source.glob("*.txt"), *source.glob("entities.toml")]):
        shutil.copyfile(item, staging / item.name)
    os.replace(staging, target)
    return True
