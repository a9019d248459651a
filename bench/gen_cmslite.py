#!/usr/bin/python3
"""Deterministic generator of a CMS Lite metadata export (the input of gdx cmslite-metadata).

A comma-delimited CSV with a header row holding the 40 column names of the production
config (cmslitemetadata_to_redshift/cmslite_gdx.json in GDX_ORIGINAL_CONFIGS), about --mb MB
(10^6 bytes; the production export is ~70 MB). The same --seed gives the same bytes.

Shape, chosen to load the parts that made the original slow (its 40 columns and nested cells):
  * six nested columns written as `|a|b|` lists, with dictionary sizes in the range of the
    production export: content_types 60, mbcterms_subject_categories 2,000, dcterms_subjects
    6,561, dcterms_languages 40, audiences 25, dcterms_creator 400 distinct values, about
    8-9 elements per row over the six columns (~10^6 lookup rows for 70 MB); `||` empty lists,
    NULL cells and the odd duplicate element inside a list;
  * a node tree: 32-hex node ids, parents drawn from earlier nodes, ancestor_nodes paths;
  * text with commas and doubled quotes (quoted fields), a few line breaks inside quotes,
    a few TABs (the job turns them into spaces), backslashes (IDIR\\user), NA tokens;
  * seven date columns as `YYYY-MM-DD HH:MM:SS` or NULL.

Usage: gen_cmslite.py --mb N --out FILE [--seed S]
"""
import argparse
import os
import random
import sys

COLUMNS = [
    "node_id", "parent_node_id", "ancestor_nodes", "keywords", "description", "page_type",
    "synonyms", "dcterms_creator", "modified_date", "created_date", "updated_date",
    "published_date", "content_types", "mbcterms_subject_categories", "dcterms_subjects",
    "dcterms_languages", "audiences", "hr_url", "title", "nav_title", "eng_nav_title",
    "site_key", "site_id", "language_name", "language_code", "page_status", "published_by",
    "created_by", "modified_by", "node_level", "locked_date", "moved_date", "exclude_from_ia",
    "hide_from_navigation", "exclude_from_search_engines", "security_classification",
    "security_label", "publication_date", "defined_security_groups",
    "inherited_security_groups",
]
ROOTS = [  # the site roots the post-load SQL knows
    "CA4CBBBB070F043ACF7FB35FE3FD1081", "A9A4B738CE26466C92B45A66DD8C2AFC",
    "7B239105652B4EBDAB215C59B75A453B", "AFE735F4ADA542ACA830EBC10D179FBE",
    "D69135AB037140D880A4B0E725D15774",
]
SITE_KEYS = ["GOV", "INTRANET", "ALC", "MCFD", "TRAINING"]
WORDS = ("health housing education justice family children employment business tax forest "
         "water land transport road licence permit benefit service program grant fund report "
         "policy guide form application renewal community safety climate energy mining "
         "agriculture wildlife parks tourism culture heritage indigenous rural urban "
         "northern coastal interior regional provincial federal municipal public private "
         "online office appointment payment account status support information").split()
PAGE_TYPES = ["PAGE"] * 10 + ["ASSET"] * 6 + ["ASSET_FOLDER", "FOLDER", "LINK", "TOPIC"]
LANGUAGES = [("English", "en")] * 30 + [("French", "fr"), ("Punjabi", "pa"), ("Chinese", "zh"),
                                        ("Korean", "ko"), ("Not Applicable", "NA")]


def words(rng, lo, hi):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def vocabulary(rng, size, lo, hi, prefix=""):
    """`size` distinct ASCII terms of lo..hi words."""
    seen = set()
    terms = []
    while len(terms) < size:
        term = (prefix + words(rng, lo, hi)).title()
        if term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


def csv_field(text):
    """Quote when the CSV needs it (comma, quote, line break), doubling quotes."""
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def nested(rng, vocab, lo, hi, null_per_mille=20, skew=True):
    r = rng.randrange(1000)
    if r < null_per_mille:
        return "NULL"
    n = rng.randint(lo, hi)
    if n == 0:
        return "||"
    # Zipf-like skew: a few values are very common, as in real taxonomies.
    pick = (lambda: vocab[min(int(rng.paretovariate(1.2)) - 1, len(vocab) - 1)]) if skew else (
        lambda: rng.choice(vocab))
    items = [pick() if rng.randrange(3) else rng.choice(vocab) for _ in range(n)]
    if rng.randrange(200) == 0:
        items.append(items[0])  # duplicate element inside one list
    return "|" + "|".join(items) + "|"


def timestamp(rng, null_per_mille):
    if rng.randrange(1000) < null_per_mille:
        return "NULL"
    return "%04d-%02d-%02d %02d:%02d:%02d" % (
        rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28), rng.randrange(24),
        rng.randrange(60), rng.randrange(60))


def hex_id(rng):
    return "%032X" % rng.getrandbits(128)


class Generator:
    def __init__(self, seed):
        rng = random.Random(seed)
        self.rng = rng
        self.content_types = vocabulary(rng, 60, 1, 2)
        self.categories = vocabulary(rng, 2000, 2, 3)
        self.subjects = vocabulary(rng, 6561, 2, 4)
        self.languages = vocabulary(rng, 40, 1, 1, "Lang ")
        self.languages[:3] = ["English", "French", "English "]  # trailing space is distinct
        self.audiences = vocabulary(rng, 25, 1, 2)
        self.creators = vocabulary(rng, 400, 2, 4, "Ministry of ")
        self.groups = vocabulary(rng, 80, 1, 2, "Group ")
        self.users = ["IDIR\\" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                                         for _ in range(rng.randint(4, 8))) for _ in range(300)]
        self.nodes = []  # (node_id, ancestor path, level, site index)

    def text(self, lo, hi):
        rng = self.rng
        t = words(rng, lo, hi).capitalize()
        r = rng.randrange(1000)
        if r < 100:
            t = t.replace(" ", ", ", 1)
        elif r < 120:
            t = 'The "%s" %s' % (words(rng, 1, 2), words(rng, 1, 3))
        elif r < 122:
            t = t + "\n" + words(rng, 2, 6)  # a line break inside a quoted field
        elif r < 125:
            t = t.replace(" ", "\t", 1)  # TAB: the job turns it into a space
        return t

    def row(self):
        rng = self.rng
        node = hex_id(rng)
        if not self.nodes or rng.randrange(50) == 0:
            site = rng.randrange(len(ROOTS))
            parent, path, level = ROOTS[site], "||", 1
        else:
            pid, ppath, plevel, site = self.nodes[rng.randrange(max(0, len(self.nodes) - 5000),
                                                                len(self.nodes))]
            parent = pid
            path = (ppath if ppath != "||" else "|") + pid + "|"
            if len(path) > 400:  # keep paths under VARCHAR(4095) and realistic (~12 levels)
                path = "|" + pid + "|"
            level = plevel + 1
        page_type = rng.choice(PAGE_TYPES)
        if page_type in ("PAGE", "FOLDER", "TOPIC", "ASSET_FOLDER"):
            self.nodes.append((node, path, level, site))
        language, code = rng.choice(LANGUAGES)
        title = self.text(2, 8)
        slug = "/".join(words(rng, 1, 2).replace(" ", "-") for _ in range(rng.randint(1, 5)))
        fields = [
            node, parent, path,
            "NULL" if rng.randrange(3) else ", ".join(words(rng, 1, 2) for _ in range(rng.randint(1, 6))),
            "NULL" if rng.randrange(4) == 0 else self.text(5, 40),
            page_type,
            "||" if rng.randrange(5) else "|" + "|".join(words(rng, 1, 2) for _ in range(rng.randint(1, 3))) + "|",
            nested(rng, self.creators, 1, 2, 10),
            timestamp(rng, 5), timestamp(rng, 5), timestamp(rng, 50), timestamp(rng, 100),
            nested(rng, self.content_types, 1, 2, 30),
            nested(rng, self.categories, 0, 3, 30, skew=False),
            nested(rng, self.subjects, 0, 5, 30, skew=False),
            "|" + language + "|" if rng.randrange(20) else nested(rng, self.languages, 1, 2, 0),
            nested(rng, self.audiences, 0, 2, 50),
            "https://www2.gov.bc.ca/gov/content/" + slug,
            title, title if rng.randrange(4) else self.text(1, 4), title,
            SITE_KEYS[site], ROOTS[site], language, code,
            rng.choice(("Published", "Published", "Published", "Draft", "Expired")),
            rng.choice(self.users), rng.choice(self.users), rng.choice(self.users),
            str(level), timestamp(rng, 950), timestamp(rng, 900),
            rng.choice(("false", "false", "true")), rng.choice(("false", "true")),
            rng.choice(("false", "false", "false", "true")),
            rng.choice(("Public", "Public", "Public", "Protected A")),
            "" if rng.randrange(10) else "Internal",
            timestamp(rng, 300),
            "||" if rng.randrange(8) else nested(rng, self.groups, 1, 3, 0),
            "||" if rng.randrange(4) else nested(rng, self.groups, 1, 3, 0),
        ]
        return ",".join(csv_field(f) for f in fields) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=70, help="size in MB (10^6 bytes)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20210602)
    args = parser.parse_args()
    target = int(args.mb * 1_000_000)
    gen = Generator(args.seed)
    tmp = args.out + ".tmp"
    written = rows = 0
    with open(tmp, "w", encoding="ascii", newline="", buffering=1 << 22) as out:
        header = ",".join(COLUMNS) + "\n"
        out.write(header)
        written += len(header)
        while True:
            line = gen.row()
            if written + len(line) > target:
                break
            out.write(line)
            written += len(line)
            rows += 1
    os.replace(tmp, args.out)
    print("wrote %s: %d bytes, %d rows" % (args.out, written, rows), file=sys.stderr)


if __name__ == "__main__":
    main()
