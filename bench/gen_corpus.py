#!/usr/bin/env python3
"""Generate the build-benchmark corpus for chorus and Hugo.

    python3 bench/gen_corpus.py --pages N --out DIR [--seed 42]

writes the same content three times:

    DIR/chorus/   a chorus hub (hub.yaml + content/, default theme)
    DIR/hugo/     a Hugo site (hugo.toml + content/ + a small theme copied
                  from bench/hugo-theme/)
    DIR/zola/     a Zola site (config.toml with its search index on,
                  config-nosearch.toml without, content/, and the same small
                  theme as Tera templates from bench/zola-theme/)

N is the number of pages in the default language (fr); about 10 % of them get
an English translation (`<slug>.en.md`). Pages are spread unevenly over 20
sections (one folder each, with `_index.md`). Every page has a title, a date,
a weight, 3-6 paragraphs, 2-4 headings, a list, a table (about 1 page in 3),
1-3 fenced code blocks in rust, python, javascript, go, bash, yaml, json, html,
css or sql whose identifiers and values depend on the page, so that no two
blocks are the same, and 1-2 internal links to other pages.

The only differences between the trees are the syntax of the internal links
(`@/<section>/<slug>.md` for chorus and Zola, `{{< ref ... >}}` for Hugo) and
the configuration files. Output is deterministic for a given (--pages, --seed).
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
HUGO_THEME = HERE / "hugo-theme"
ZOLA_THEME = HERE / "zola-theme"

SECTIONS = [
    ("actualites", "Actualités", "News"),
    ("reseaux-sociaux", "Réseaux sociaux", "Social networks"),
    ("bonnes-pratiques", "Bonnes pratiques", "Good practices"),
    ("outils", "Outils", "Tools"),
    ("formation", "Formation", "Training"),
    ("marque-employeur", "Marque employeur", "Employer brand"),
    ("recrutement", "Recrutement", "Recruiting"),
    ("evenements", "Événements", "Events"),
    ("produits", "Produits", "Products"),
    ("ingenierie", "Ingénierie", "Engineering"),
    ("securite", "Sécurité", "Security"),
    ("donnees", "Données", "Data"),
    ("design", "Design", "Design"),
    ("juridique", "Juridique", "Legal"),
    ("rse", "RSE", "CSR"),
    ("clients", "Clients", "Customers"),
    ("partenaires", "Partenaires", "Partners"),
    ("innovation", "Innovation", "Innovation"),
    ("culture", "Culture", "Culture"),
    ("communication-interne", "Communication interne", "Internal communication"),
]

WORDS_FR = """
équipe réseau partage publication campagne collègue entreprise message lien
contenu audience engagement visibilité marque talent recrutement salon produit
client partenaire projet réussite innovation données sécurité confidentialité
règle conseil exemple question réponse formation module objectif semaine mois
année résultat chiffre tendance article vidéo photo témoignage histoire valeur
mission culture métier expertise communauté conférence webinaire atelier outil
plateforme application service offre lancement annonce actualité rapport étude
analyse stratégie plan calendrier étape méthode pratique habitude ton style voix
public interne externe officiel personnel professionnel simple clair rapide
utile important nouveau prochain dernier premier grand petit fort ouvert juste
responsable attentif curieux fier engagé partager publier commenter aimer lire
écrire préparer relire vérifier valider expliquer montrer raconter inviter
rejoindre découvrir apprendre améliorer mesurer suivre choisir proposer éviter
respecter protéger signaler demander aider soutenir accueillir célébrer
toujours souvent parfois jamais ensemble aussi encore déjà bientôt vraiment
""".split()

WORDS_EN = """
team network share post campaign colleague company message link content
audience engagement visibility brand talent hiring fair product customer
partner project success innovation data security privacy rule advice example
question answer training module goal week month year result figure trend
article video photo story value mission culture craft expertise community
conference webinar workshop tool platform app service offer launch announcement
news report study analysis strategy plan calendar step method practice habit
tone style voice public internal external official personal professional
simple clear quick useful important new next last first big small strong open
fair responsible careful curious proud engaged share publish comment like read
write prepare review check approve explain show tell invite join discover learn
improve measure follow choose suggest avoid respect protect report ask help
support welcome celebrate always often sometimes never together also still
already soon really
""".split()

LINK_INTRO = {
    "fr": ["Voir aussi", "Lire la suite dans", "À comparer avec", "Pour aller plus loin :", "Relire"],
    "en": ["See also", "Read more in", "Compare with", "To go further:", "Revisit"],
}
TOC_WORDS = {
    "fr": ["Contexte", "En pratique", "Exemple", "Points clés", "À retenir", "Étapes", "Questions fréquentes", "Détails"],
    "en": ["Context", "In practice", "Example", "Key points", "Takeaways", "Steps", "FAQ", "Details"],
}
LANGS = ["rust", "python", "javascript", "go", "bash", "yaml", "json", "html", "css", "sql"]


# --------------------------------------------------------------------------- text

def sentence(rng: random.Random, words: list[str], lang: str, idx: int) -> str:
    n = rng.randint(6, 18)
    ws = [rng.choice(words) for _ in range(n)]
    # occasional inline markup
    r = rng.random()
    k = rng.randrange(n)
    if r < 0.12:
        ws[k] = f"**{ws[k]}**"
    elif r < 0.22:
        ws[k] = f"*{ws[k]}*"
    elif r < 0.30:
        ws[k] = f"`{ws[k]}_{idx}`"
    elif r < 0.36:
        ws[k] = f"[{ws[k]}](https://www.example.com/{lang}/{ascii_fold(ws[k])}-{idx})"
    elif r < 0.42:
        ws[k] = f'"{ws[k]}"'  # straight quotes: smart punctuation turns them into curly ones
    if n > 9 and rng.random() < 0.4:
        ws[n // 2] += ","
    if lang == "fr" and rng.random() < 0.2:
        ws.insert(0, "l'" + rng.choice(["équipe", "entreprise", "audience", "offre"]))
    text = " ".join(ws)
    end = rng.choice([".", ".", ".", ".", "?", "!", "..."])
    if lang == "fr" and end in "?!":
        end = "\u00a0" + end
    return text[0].upper() + text[1:] + end


def paragraph(rng, words, lang, idx) -> str:
    return " ".join(sentence(rng, words, lang, idx) for _ in range(rng.randint(3, 7)))


def md_list(rng, words, lang, idx) -> str:
    ordered = rng.random() < 0.35
    lines = []
    for j in range(rng.randint(3, 7)):
        item = " ".join(rng.choice(words) for _ in range(rng.randint(3, 10)))
        item = item[0].upper() + item[1:]
        bullet = f"{j + 1}." if ordered else "-"
        lines.append(f"{bullet} {item}")
        if not ordered and rng.random() < 0.15:
            for _ in range(rng.randint(1, 3)):
                lines.append(f"  - {rng.choice(words)} {rng.choice(words)} `{rng.choice(words)}-{idx}`")
    return "\n".join(lines)


def md_table(rng, words, lang, idx) -> str:
    cols = rng.randint(3, 5)
    rows = rng.randint(3, 8)
    head = [rng.choice(words).capitalize() for _ in range(cols)]
    align = [rng.choice(["---", ":---", "---:", ":---:"]) for _ in range(cols)]
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    for r in range(rows):
        cells = []
        for c in range(cols):
            if c == 0:
                cells.append(f"{rng.choice(words)} {idx}-{r}")
            elif rng.random() < 0.5:
                cells.append(str(rng.randint(0, 10_000)))
            else:
                cells.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


# --------------------------------------------------------------------------- code

def _ident(rng, words, idx):
    w = rng.choice(WORDS_EN)
    return f"{w}_{idx}_{rng.randint(0, 999)}"


def _camel(s: str) -> str:
    return "".join(p.capitalize() for p in s.split("_"))


def code_rust(rng, idx):
    name = _ident(rng, WORDS_EN, idx)
    ty = _camel(name)
    body_pool = [
        "    let {v} = input.iter().filter(|x| **x % {n} == 0).count() as u64;",
        "    total = total.wrapping_mul({n}).wrapping_add({v}_{n});",
        "    if total > {big} {{ total -= {n}; }}",
        "    let {v}: Vec<u64> = (0..{n}).map(|i| i * {m}).collect();",
        "    map.insert(\"{w}-{idx}\".to_string(), {n});",
        "    for (i, x) in input.iter().enumerate() {{ total += (*x as u64) << (i % {m}); }}",
        "    let label = format!(\"{w} {{}} #{idx}\", total);",
        "    debug_assert!(total >= {n}, \"{w} underflow\");",
        "    match total % {m} {{ 0 => total += 1, 1 => total ^= {n}, _ => {{}} }}",
    ]
    lines = [
        "use std::collections::HashMap;",
        "",
        f"/// {ty} computed for page {idx}.",
        "#[derive(Debug, Clone, PartialEq)]",
        f"pub struct {ty} {{ pub id: u32, pub score: u64 }}",
        "",
        f"pub fn {name}(input: &[u32]) -> {ty} {{",
        f"    let mut total: u64 = {rng.randint(0, 9999)};",
        "    let mut map: HashMap<String, u64> = HashMap::new();",
    ]
    lines += _fill(rng, body_pool, idx, len(lines))
    lines += [f"    {ty} {{ id: {idx}, score: total + map.len() as u64 }}", "}"]
    return lines


def code_python(rng, idx):
    name = _ident(rng, WORDS_EN, idx)
    body_pool = [
        "    {v} = [x * {n} for x in items if x % {m} == 0]",
        "    total += sum({v}_{n} for {v}_{n} in range({n}))",
        "    if total > {big}:\n        total //= {m}",
        "    cache[\"{w}-{idx}\"] = total",
        "    for i, item in enumerate(items):\n        total ^= item << (i % {m})",
        "    log.debug(\"{w} %s for page {idx}\", total)",
        "    {v} = {{k: v for k, v in cache.items() if v > {n}}}",
        "    total = max(total, len(items) * {n})",
    ]
    lines = [
        "import logging",
        "",
        "log = logging.getLogger(__name__)",
        "",
        "",
        f"def {name}(items: list[int]) -> dict[str, int]:",
        f"    \"\"\"Score of page {idx}.\"\"\"",
        f"    total, cache = {rng.randint(0, 9999)}, {{}}",
    ]
    lines += _fill(rng, body_pool, idx, len(lines))
    lines += [f"    return {{\"id\": {idx}, \"score\": total, \"cached\": len(cache)}}"]
    return lines


def code_javascript(rng, idx):
    name = _ident(rng, WORDS_EN, idx)
    fn = name.split("_")[0] + _camel("_".join(name.split("_")[1:]))
    body_pool = [
        "  const {v} = items.filter((x) => x % {n} === 0);",
        "  total += {v}_{n}.length * {m};",
        "  if (total > {big}) {{ total -= {n}; }}",
        "  cache.set(\"{w}-{idx}\", total);",
        "  for (const [i, x] of items.entries()) {{ total ^= x << (i % {m}); }}",
        "  console.debug(`{w} ${{total}} on page {idx}`);",
        "  const {v} = await fetch(`/api/{w}/{idx}?n={n}`).then((r) => r.json());",
        "  total = Math.max(total, items.length * {n});",
    ]
    lines = [
        f"// page {idx}: {fn}",
        f"export async function {fn}(items = []) {{",
        f"  let total = {rng.randint(0, 9999)};",
        "  const cache = new Map();",
    ]
    lines += _fill(rng, body_pool, idx, len(lines))
    lines += [f"  return {{ id: {idx}, total, size: cache.size }};", "}"]
    return lines


def code_go(rng, idx):
    name = _camel(_ident(rng, WORDS_EN, idx))
    body_pool = [
        "\t{v} := len(items) * {n}",
        "\ttotal += uint64({v}_{n})",
        "\tif total > {big} {{\n\t\ttotal -= {n}\n\t}}",
        "\tcache[\"{w}-{idx}\"] = total",
        "\tfor i, x := range items {{\n\t\ttotal ^= uint64(x) << (i % {m})\n\t}}",
        "\tlog.Printf(\"{w} %d on page {idx}\", total)",
    ]
    lines = [
        "package bench",
        "",
        "import \"log\"",
        "",
        f"// {name} scores page {idx}.",
        f"func {name}(items []int) (uint64, error) {{",
        f"\tvar total uint64 = {rng.randint(0, 9999)}",
        "\tcache := map[string]uint64{}",
    ]
    lines += _fill(rng, body_pool, idx, len(lines))
    lines += ["\treturn total + uint64(len(cache)), nil", "}"]
    return lines


def code_bash(rng, idx):
    w = rng.choice(WORDS_EN)
    body_pool = [
        "{v}=\"$(printf '%s-%d' {w} {n})\"",
        "mkdir -p \"$OUT/{w}/{idx}\"",
        "for f in \"$SRC\"/*.{w}; do\n  cp -- \"$f\" \"$OUT/{w}/{idx}/\"\ndone",
        "if [[ ${{#{v}}} -gt {n} ]]; then\n  echo \"{w}: too long\" >&2\nfi",
        "count=$((count + {n}))",
        "curl -fsS \"https://api.example.com/{w}/{idx}?limit={n}\" -o \"$OUT/{w}-{idx}.json\"",
        "grep -c '{w}' \"$SRC/log-{idx}.txt\" || true",
    ]
    lines = [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        f"SRC=\"${{1:-./{w}}}\"",
        f"OUT=\"${{2:-/tmp/out-{idx}}}\"",
        f"count={rng.randint(0, 99)}",
    ]
    lines += _fill(rng, body_pool, idx, len(lines))
    lines += [f"echo \"page {idx}: $count\""]
    return lines


def code_yaml(rng, idx):
    w = rng.choice(WORDS_EN)
    lines = [
        f"# configuration for page {idx}",
        f"name: {w}-{idx}",
        f"version: {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 50)}",
        "enabled: " + rng.choice(["true", "false"]),
        "networks:",
    ]
    for _ in range(rng.randint(1, 4)):
        lines.append(f"  - {rng.choice(['linkedin', 'x', 'mastodon', 'bluesky', 'email'])}")
    lines.append("limits:")
    for _ in range(rng.randint(1, 6)):
        lines.append(f"  {rng.choice(WORDS_EN)}_{idx}: {rng.randint(0, 5000)}")
    if rng.random() < 0.5:
        lines += ["description: >", f"  {rng.choice(WORDS_EN)} {rng.choice(WORDS_EN)} for page {idx}"]
    return lines


def code_json(rng, idx):
    w = rng.choice(WORDS_EN)
    lines = ["{", f"  \"id\": {idx},", f"  \"name\": \"{w}-{idx}\",", f"  \"ratio\": {rng.random():.4f},"]
    lines.append("  \"tags\": [" + ", ".join(f"\"{rng.choice(WORDS_EN)}\"" for _ in range(rng.randint(1, 4))) + "],")
    lines.append("  \"stats\": {")
    k = rng.randint(1, 8)
    for j in range(k):
        sep = "," if j < k - 1 else ""
        lines.append(f"    \"{rng.choice(WORDS_EN)}_{j}\": {rng.randint(0, 100000)}{sep}")
    lines += ["  },", f"  \"active\": {rng.choice(['true', 'false', 'null'])}", "}"]
    return lines


def code_html(rng, idx):
    w = rng.choice(WORDS_EN)
    lines = [
        f"<section class=\"card card-{idx}\" id=\"{w}-{idx}\">",
        f"  <h2>{w.capitalize()} #{idx}</h2>",
    ]
    for j in range(rng.randint(1, 5)):
        lines.append(f"  <p data-n=\"{rng.randint(0, 999)}\">{rng.choice(WORDS_EN)} <strong>{rng.choice(WORDS_EN)}</strong></p>")
    lines.append("  <ul>")
    for j in range(rng.randint(1, 6)):
        lines.append(f"    <li><a href=\"/{w}/{idx}/{j}/\">{rng.choice(WORDS_EN)}</a></li>")
    lines += ["  </ul>", "</section>"]
    return lines


def code_css(rng, idx):
    w = rng.choice(WORDS_EN)
    lines = []
    for j in range(rng.randint(1, 4)):
        lines.append(f".{w}-{idx}-{j} {{")
        for _ in range(rng.randint(1, 4)):
            prop = rng.choice([
                f"margin: {rng.randint(0, 40)}px {rng.randint(0, 40)}px",
                f"color: #{rng.randrange(0x1000000):06x}",
                f"font-size: {rng.randint(10, 40) / 10:.1f}rem",
                f"display: {rng.choice(['grid', 'flex', 'block', 'inline-block'])}",
                f"border: {rng.randint(1, 4)}px solid rgb({rng.randint(0, 255)} {rng.randint(0, 255)} {rng.randint(0, 255)})",
            ])
            lines.append(f"  {prop};")
        lines.append("}")
    return lines


def code_sql(rng, idx):
    w = rng.choice(WORDS_EN)
    t = f"{w}_{idx}"
    lines = [f"-- page {idx}", f"CREATE TABLE IF NOT EXISTS {t} ("]
    cols = [f"  id INTEGER PRIMARY KEY"]
    for j in range(rng.randint(1, 5)):
        cols.append(f"  {rng.choice(WORDS_EN)}_{j} {rng.choice(['TEXT', 'INTEGER', 'REAL', 'TIMESTAMP'])} NOT NULL")
    lines += [c + ("," if k < len(cols) - 1 else "") for k, c in enumerate(cols)]
    lines += [");", "", f"SELECT id, COUNT(*) AS n", f"FROM {t}",
              f"WHERE id > {rng.randint(0, 5000)} AND {rng.choice(WORDS_EN)}_0 IS NOT NULL",
              "GROUP BY id", f"ORDER BY n DESC LIMIT {rng.randint(1, 100)};"]
    return lines


CODE = {
    "rust": code_rust, "python": code_python, "javascript": code_javascript, "go": code_go,
    "bash": code_bash, "yaml": code_yaml, "json": code_json, "html": code_html,
    "css": code_css, "sql": code_sql,
}


def _fill(rng, pool, idx, used, footer=2):
    """Body statements so that the whole block has 5-20 lines (at least one statement)."""
    budget = max(1, rng.randint(5, 20) - used - footer)
    out = []
    j = 0
    while True:
        tpl = rng.choice(pool)
        v = f"{rng.choice(WORDS_EN)}{j}"
        stmt = tpl.format(v=v, n=rng.randint(2, 997), m=rng.randint(2, 31),
                          big=rng.randint(10_000, 10_000_000), w=rng.choice(WORDS_EN),
                          idx=idx).split("\n")
        if out and len(out) + len(stmt) > budget:
            return out
        out.extend(stmt)
        j += 1


def code_block(rng, idx) -> str:
    lang = rng.choice(LANGS)
    lines = CODE[lang](rng, idx)
    while not 5 <= len(lines) <= 20:  # keep blocks realistic: 5-20 lines
        lines = CODE[lang](rng, idx)
    return f"```{lang}\n" + "\n".join(lines) + "\n```"


# --------------------------------------------------------------------------- corpus

def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


class Page:
    __slots__ = ("idx", "section", "slug", "title_fr", "title_en", "date", "weight", "translated")

    def __init__(self, idx, section, slug, title_fr, title_en, date, weight):
        self.idx, self.section, self.slug = idx, section, slug
        self.title_fr, self.title_en = title_fr, title_en
        self.date, self.weight = date, weight
        self.translated = False


def split_pages(rng, n, k):
    """n pages over k sections, unevenly (weights 1..6), every section non-empty when n >= k."""
    weights = [rng.uniform(1, 6) for _ in range(k)]
    s = sum(weights)
    counts = [int(n * w / s) for w in weights]
    i = 0
    while sum(counts) < n:
        counts[i % k] += 1
        i += 1
    if n >= k:
        for j in range(k):
            while counts[j] == 0:
                big = counts.index(max(counts))
                counts[big] -= 1
                counts[j] += 1
    return counts


def build_model(n, seed):
    rng = random.Random(seed)
    counts = split_pages(rng, n, len(SECTIONS))
    pages = []
    base = dt.date(2019, 1, 1)
    idx = 0
    for (sec, _, _), count in zip(SECTIONS, counts):
        for j in range(count):
            w_fr = [rng.choice(WORDS_FR) for _ in range(rng.randint(2, 5))]
            w_en = [rng.choice(WORDS_EN) for _ in range(len(w_fr))]
            title_fr = " ".join(w_fr).capitalize() + f" {idx}"
            title_en = " ".join(w_en).capitalize() + f" {idx}"
            slug = f"{ascii_fold(w_fr[0])}-{idx:05d}"
            date = base + dt.timedelta(days=rng.randrange(0, 7 * 365))
            pages.append(Page(idx, sec, slug, title_fr, title_en, date.isoformat(), rng.randint(1, 1000)))
            idx += 1
    for p in rng.sample(pages, max(1, round(len(pages) * 0.10)) if pages else 0):
        p.translated = True
    return rng, pages


def page_body(rng, page, lang, pages, translated_pages):
    words = WORDS_FR if lang == "fr" else WORDS_EN
    idx = page.idx
    blocks = []
    n_par = rng.randint(3, 6)
    blocks.append(("p", paragraph(rng, words, lang, idx)))
    rest = [("p", None)] * (n_par - 1) + [("list", None)] + [("code", None)] * rng.randint(1, 3)
    if rng.random() < 1 / 3:
        rest.append(("table", None))
    rng.shuffle(rest)
    # internal links: 1-2, to other pages (same language when the target has one)
    pool = pages if lang == "fr" else translated_pages
    targets = []
    for _ in range(rng.randint(1, 2)):
        if len(pool) > 1:
            t = rng.choice(pool)
            while t is page:
                t = rng.choice(pool)
            targets.append(t)
    par_slots = [i for i, (k, _) in enumerate(rest) if k == "p"] or [None]
    link_at = {}
    for t in targets:
        link_at.setdefault(rng.choice(par_slots), []).append(t)
    out = [blocks[0][1]]
    headings = TOC_WORDS[lang]
    for i, (kind, _) in enumerate(rest):
        if i % 2 == 0:
            level = "##" if i == 0 or rng.random() < 0.7 else "###"
            out.append(f"{level} {rng.choice(headings)} {idx}.{i}")
        if kind == "p":
            out.append(paragraph(rng, words, lang, idx) + "".join(
                f" {rng.choice(LINK_INTRO[lang])} {{LINK:{t.idx}}}." for t in link_at.get(i, [])))
        elif kind == "list":
            out.append(md_list(rng, words, lang, idx))
        elif kind == "code":
            out.append(code_block(rng, idx))
        elif kind == "table":
            out.append(md_table(rng, words, lang, idx))
    for t in link_at.get(None, []):
        out.append(f"{rng.choice(LINK_INTRO[lang])} {{LINK:{t.idx}}}.")
    return "\n\n".join(out) + "\n"


def render_links(body, by_idx, lang, flavour):
    """Replace {LINK:i} placeholders with the link syntax of chorus or Hugo."""
    parts = body.split("{LINK:")
    out = [parts[0]]
    for part in parts[1:]:
        num, rest = part.split("}", 1)
        t = by_idx[int(num)]
        title = t.title_fr if lang == "fr" else t.title_en
        if flavour == "chorus":
            suffix = ".md" if lang == "fr" else ".en.md"
            target = f"@/{t.section}/{t.slug}{suffix}"
        else:
            target = '{{< ref "/' + f'{t.section}/{t.slug}.md' + '" >}}'
        out.append(f"[{title}]({target})" + rest)
    return "".join(out)


def front_matter(fields: dict) -> str:
    lines = ["---"]
    for k, v in fields.items():
        if isinstance(v, str) and k not in ("date",):
            v = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines.append(f"{k}: {v}")
    lines.append("---")
    return "\n".join(lines) + "\n"


HUB_YAML = """\
title: "Bench"
base_url: "https://bench.example"
default_language: fr
languages:
  fr: { title: "Bench" }
  en: { title: "Bench EN" }
"""

HUGO_TOML = """\
baseURL = "https://bench.example/"
title = "Bench"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = false
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = true
timeZone = "UTC"

[languages.fr]
  languageName = "Français"
  title = "Bench"
  weight = 1

[languages.en]
  languageName = "English"
  title = "Bench EN"
  weight = 2

[markup.highlight]
  noClasses = false

[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""


ZOLA_STRINGS = {
    "fr": {"skip": "Aller au contenu", "menu": "Menu", "breadcrumb": "Fil d’Ariane", "home": "Accueil",
           "toc": "Sommaire", "pager": "Pages voisines", "read_more": "Lire la suite", "sections": "Rubriques"},
    "en": {"skip": "Skip to content", "menu": "Menu", "breadcrumb": "Breadcrumb", "home": "Home",
           "toc": "Contents", "pager": "Nearby pages", "read_more": "Read more", "sections": "Sections"},
}


def zola_config(search: bool, en_sections: set) -> str:
    """Zola's configuration; the menu of each language's sections is written
    here (`extra.menu_<lang>`), as Hugo's `.Site.Sections` and chorus's menu
    come with the site, rather than looked up by every page with `get_section`."""
    on = "true" if search else "false"
    def table(strings):
        return "\n".join(f'{k} = "{v}"' for k, v in strings.items())
    def menu(lang):
        items = [(sec, t_fr if lang == "fr" else t_en) for sec, t_fr, t_en in SECTIONS if lang == "fr" or sec in en_sections]
        prefix = "" if lang == "fr" else "en/"
        return "[" + ", ".join(f'{{ title = "{t}", path = "/{prefix}{sec}/" }}' for sec, t in items) + "]"
    return f"""\
base_url = "https://bench.example"
title = "Bench"
default_language = "fr"
compile_sass = false
minify_html = true
build_search_index = {on}
generate_feeds = true
generate_sitemap = true
generate_robots_txt = true

[markdown.highlighting]
style = "class"
theme = "github-light"

[search]
index_format = "elasticlunr_javascript"

[translations]
{table(ZOLA_STRINGS["fr"])}

[languages.en]
title = "Bench EN"
build_search_index = {on}
generate_feeds = true

[languages.en.translations]
{table(ZOLA_STRINGS["en"])}

[extra]
menu_fr = {menu("fr")}
menu_en = {menu("en")}
"""


def write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(n: int, out: Path, seed: int) -> dict:
    rng, pages = build_model(n, seed)
    by_idx = {p.idx: p for p in pages}
    translated = [p for p in pages if p.translated]
    trans_sections = {p.section for p in translated}

    chorus, hugo, zola = out / "chorus", out / "hugo", out / "zola"
    for d in (chorus, hugo, zola):
        if d.exists():
            shutil.rmtree(d)

    write(chorus / "hub.yaml", HUB_YAML)
    write(hugo / "hugo.toml", HUGO_TOML)
    shutil.copytree(HUGO_THEME, hugo, dirs_exist_ok=True)
    write(zola / "config.toml", zola_config(search=True, en_sections=trans_sections))
    write(zola / "config-nosearch.toml", zola_config(search=False, en_sections=trans_sections))
    shutil.copytree(ZOLA_THEME, zola, dirs_exist_ok=True)
    # The same stylesheet and script as the Hugo site's.
    for asset in ("style.css", "main.js"):
        (zola / "static").mkdir(parents=True, exist_ok=True)
        shutil.copy(HUGO_THEME / "assets" / asset, zola / "static" / asset)

    files = 0

    def both(rel: str, fm: dict, body: str, lang: str):
        nonlocal files
        write(chorus / "content" / rel, front_matter(fm) + "\n" + render_links(body, by_idx, lang, "chorus"))
        write(hugo / "content" / rel, front_matter(fm) + "\n" + render_links(body, by_idx, lang, "hugo"))
        write(zola / "content" / rel, front_matter(fm) + "\n" + render_links(body, by_idx, lang, "chorus"))
        files += 1

    both("_index.md", {"title": "Bench"}, paragraph(rng, WORDS_FR, "fr", 0) + "\n", "fr")
    both("_index.en.md", {"title": "Bench EN"}, paragraph(rng, WORDS_EN, "en", 0) + "\n", "en")
    for w, (sec, t_fr, t_en) in enumerate(SECTIONS, start=1):
        both(f"{sec}/_index.md", {"title": t_fr, "weight": w}, paragraph(rng, WORDS_FR, "fr", w) + "\n", "fr")
        if sec in trans_sections:
            both(f"{sec}/_index.en.md", {"title": t_en, "weight": w}, paragraph(rng, WORDS_EN, "en", w) + "\n", "en")
    for p in pages:
        fm = {"title": p.title_fr, "date": p.date, "weight": p.weight}
        both(f"{p.section}/{p.slug}.md", fm, page_body(rng, p, "fr", pages, translated), "fr")
        if p.translated:
            fm = {"title": p.title_en, "date": p.date, "weight": p.weight}
            both(f"{p.section}/{p.slug}.en.md", fm, page_body(rng, p, "en", pages, translated), "en")
    return {"pages": len(pages), "translations": len(translated), "sections": len(SECTIONS),
            "files": files}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="pages in the default language (fr)")
    ap.add_argument("--out", type=Path, required=True, help="output directory (chorus/ and hugo/ are replaced)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    if args.pages < 1:
        ap.error("--pages must be >= 1")
    if not (HUGO_THEME / "layouts").is_dir():
        sys.exit(f"gen_corpus: Hugo theme not found at {HUGO_THEME}")
    stats = generate(args.pages, args.out, args.seed)
    print(f"gen_corpus: {stats['pages']} pages + {stats['translations']} translations "
          f"in {stats['sections']} sections ({stats['files']} content files each) -> {args.out}/{{chorus,hugo,zola}}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
