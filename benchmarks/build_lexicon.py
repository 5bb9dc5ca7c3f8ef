"""Build the lexicon files of ``matching/data`` from the shared sources, byte for byte.

    apt-get install -y wordnet-base        # Princeton WordNet 3.0 in /usr/share/wordnet
    python -m benchmarks.build_lexicon [--lexicon ../shared/data/lexicon] [--out matching/data]

Writes (see ``matching/data/README.md`` for credits, licences and changes):

- ``wordnet_nl_en.tsv.gz`` (CC BY-SA 4.0, derived from Open Dutch WordNet, Dutch Wiktionary
  on OMW, and WordNet 3.0): one line per Dutch one-word lemma, ``word``, then four lists of
  ``term:share``: its English words, the English words of its direct hypernyms, its Dutch
  synonyms and the Dutch words of its direct hypernyms. ``share`` is the part of the word's
  synsets that hold the term, so an ambiguous word spreads its weight.
- ``occupations_en.csv.gz`` (ESCO): ``uri``, ``preferredLabel``, ``altLabels``,
  ``hiddenLabels`` (``|``-separated) of the ESCO occupations in English.
- ``onet_titles.csv.gz`` (O*NET 29.1, CC BY 4.0): ``soc``, ``titles``: the O*NET-SOC title and
  alternate titles of each O*NET occupation the crosswalk links to ESCO, ``|``-separated, lower
  case, sorted; ``esco_onet.csv.gz`` (ESCO crosswalk): ``code`` (ESCO), ``soc`` links.

gzip headers carry no time or name (``mtime=0``), so rebuilding gives the same bytes.
Only the build needs wordnet-base; tests and the app read the committed files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from collections import defaultdict
from pathlib import Path

import openpyxl

from matching.text import normalise

LEXICON = Path(__file__).resolve().parents[2] / "shared" / "data" / "lexicon"
OUT = Path(__file__).resolve().parents[1] / "matching" / "data"
WORDNET = Path("/usr/share/wordnet")
DUTCH = ("odwn_nld_omw.tab", "wiktionary_nld_omw.tab")
_WORD = re.compile(r"[a-z]+")
_LETTERS = re.compile(r"^[a-z]{2,}$")
_ENGLISH_STOP = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on",
                           "or", "the", "to", "with"))


def english_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower().replace("_", " ")) if w not in _ENGLISH_STOP]


def read_wordnet(folder: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Synset id ("10470779-n") -> English words, and -> direct hypernym synset ids."""
    words: dict[str, list[str]] = {}
    hypernyms: dict[str, list[str]] = {}
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        for line in (folder / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            offset, synset_pos, n_words = fields[0], fields[2], int(fields[3], 16)
            key = f"{offset}-{'a' if synset_pos == 's' else pos}"
            lemmas = fields[4:4 + 2 * n_words:2]
            words[key] = list(dict.fromkeys(w for lemma in lemmas for w in english_words(lemma)))
            rest = fields[4 + 2 * n_words:]
            n_pointers = int(rest[0])
            pointers = [rest[1 + 4 * i:5 + 4 * i] for i in range(n_pointers)]
            hypernyms[key] = [f"{p[1]}-{'a' if p[2] == 's' else p[2]}" for p in pointers
                              if p[0] in ("@", "@i")]
    return words, hypernyms


def read_dutch(folder: Path) -> dict[str, list[str]]:
    """Dutch one-word lemma (normalised) -> its synset ids, from both wordnets."""
    synsets: dict[str, list[str]] = defaultdict(list)
    for name in DUTCH:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            synset, kind, lemma = line.split("\t")[:3]
            word = normalise(lemma)
            if kind.endswith("lemma") and _LETTERS.match(word) and synset not in synsets[word]:
                synsets[word].append(synset)
    return synsets


def _shares(lists: list[list[str]], n: int, exclude: str = "") -> str:
    counts: dict[str, int] = defaultdict(int)
    for terms in lists:
        for term in dict.fromkeys(terms):
            if term != exclude:
                counts[term] += 1
    return " ".join(f"{t}:{counts[t] / n:.2f}".rstrip("0").rstrip(".")
                    for t in sorted(counts))


def wordnet_lines(dutch: dict[str, list[str]], words: dict[str, list[str]],
                  hypernyms: dict[str, list[str]]) -> list[str]:
    lemmas: dict[str, list[str]] = defaultdict(list)
    for word, synsets in dutch.items():
        for synset in synsets:
            lemmas[synset].append(word)
    lines = []
    for word in sorted(dutch):
        synsets = [s for s in dutch[word] if s in words]
        if not synsets:
            continue
        n = len(synsets)
        broader = [[h for h in hypernyms[s] if h in words] for s in synsets]
        columns = [
            _shares([words[s] for s in synsets], n),
            _shares([[w for h in hs for w in words[h]] for hs in broader], n),
            _shares([lemmas[s] for s in synsets], n, exclude=word),
            _shares([[w for h in hs for w in lemmas[h]] for hs in broader], n, exclude=word),
        ]
        lines.append("\t".join([word, *columns]))
    return lines


def _write_gzip(path: Path, text: str) -> None:
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                              filename="") as handle:
        handle.write(text.encode("utf-8"))


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _labels(value: str) -> str:
    return "|".join(dict.fromkeys(v.strip() for v in value.split("\n") if v.strip()))


def english_occupations(folder: Path) -> str:
    raw = gzip.decompress((folder / "esco_occupations_en.csv.gz").read_bytes())
    rows = [[r["conceptUri"], r["preferredLabel"].strip(), _labels(r["altLabels"]),
             _labels(r["hiddenLabels"])]
            for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))]
    return _csv_text(["uri", "preferredLabel", "altLabels", "hiddenLabels"], sorted(rows))


def onet_titles(folder: Path) -> tuple[str, str]:
    """O*NET occupations with their titles, and the ESCO occupations linked to each."""
    titles: dict[str, set[str]] = defaultdict(set)
    raw = gzip.decompress((folder / "onet_29_1_alternate_titles.txt.gz").read_bytes())
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8")), delimiter="\t"):
        titles[row["O*NET-SOC Code"]].add(row["Alternate Title"].strip().lower())
    sheet = openpyxl.load_workbook(folder / "esco_to_onet_soc.xlsx", read_only=True).worksheets[0]
    links: set[tuple[str, str]] = set()
    for row in sheet.iter_rows(min_row=5, values_only=True):
        esco, _, soc, soc_title = row[:4]
        if esco and soc:
            links.add((str(esco).strip(), str(soc).strip()))
            titles[str(soc).strip()].add(str(soc_title or "").strip().lower())
    linked = {soc for _, soc in links}
    rows = [[soc, "|".join(sorted(t for t in titles[soc] if t))] for soc in sorted(linked)]
    return (_csv_text(["soc", "titles"], rows),
            _csv_text(["code", "soc"], [list(link) for link in sorted(links)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexicon", type=Path, default=LEXICON)
    parser.add_argument("--wordnet", type=Path, default=WORDNET,
                        help="WordNet 3.0 dict folder (Debian package wordnet-base)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (args.wordnet / "data.noun").exists():
        parser.error(f"no WordNet 3.0 in {args.wordnet}: apt-get install -y wordnet-base")
    words, hypernyms = read_wordnet(args.wordnet)
    lines = wordnet_lines(read_dutch(args.lexicon), words, hypernyms)
    _write_gzip(args.out / "wordnet_nl_en.tsv.gz",
                "word\tenglish\tenglish_broader\tdutch\tdutch_broader\n" + "\n".join(lines)
                + "\n")
    _write_gzip(args.out / "occupations_en.csv.gz", english_occupations(args.lexicon))
    titles, links = onet_titles(args.lexicon)
    _write_gzip(args.out / "onet_titles.csv.gz", titles)
    _write_gzip(args.out / "esco_onet.csv.gz", links)
    for name in ("wordnet_nl_en.tsv.gz", "occupations_en.csv.gz", "onet_titles.csv.gz",
                 "esco_onet.csv.gz"):
        print(f"{name}: {(args.out / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
