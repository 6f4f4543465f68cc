"""Write the two LimeSurvey-style fixture exports used by tests/data/test_limesurvey.py.

The files mirror what LimeSurvey 5/6 writes with "Responses > Export > CSV":
all fields double-quoted, comma-separated, UTF-8 with a byte-order mark, the
system columns first (``id, submitdate, lastpage, startlanguage, seed, token,
startdate, datestamp, ipaddr, refurl``), then one column per question or
array sub-question with headings as question codes (``G01Q01[SQ002]``), then the
timing column ``interviewtime``. An incomplete response has an empty
``submitdate``. The same 10 responses are written twice:

* ``limesurvey_codes.csv``: "Answer codes" (array answers ``AO01`` … ``AO05``,
  list answers ``A1`` … ``A3``);
* ``limesurvey_full.csv``: "Full answers" (French labels), and "question code &
  question text" headings.

Run ``python tests/reference/data/make_limesurvey_fixtures.py`` to rewrite them.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
LABELS = ["Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord",
          "Plutôt d'accord", "Tout à fait d'accord"]
COLLEGES = {"A1": "Habitant·e", "A2": "Salarié·e", "A3": "Bénévole"}
QUESTIONS = {  # code: question text (item in the mapping of the tests)
    "G01Q01[SQ001]": "Appartenance [Je me sens membre à part entière de ce collectif.]",
    "G01Q01[SQ002]": "Appartenance [Je suis fier·e de participer à ce projet.]",
    "G01Q01[SQ003]": "Appartenance [Je me sens à l'écart de ce qui se décide ici.]",
    "G01Q02[SQ001]": "Relations [J'ai rencontré ici des personnes que je n'aurais pas croisées.]",
    "G01Q02[SQ002]": "Relations [Je peux compter sur des personnes rencontrées ici.]",
    "G01Q02[SQ003]": "Relations [Des personnes de milieux différents se côtoient ici.]",
    "G02Q01[SQ001]": "Décisions [Mon avis est écouté quand une décision importante se prend.]",
    "G02Q01[SQ002]": "Décisions [Je reçois l'information nécessaire pour participer.]",
    "G02Q01[SQ003]": "Décisions [Les décisions sont prises par un petit groupe.]",
}
# id, complete, college, 9 answers (1..5, None = no answer), first name, comment
RESPONSES = [
    (1, True, "A1", [4, 5, 2, 4, 3, 5, 3, 4, 2], "Fatou", ""),
    (2, True, "A1", [5, 5, 1, 5, 4, 4, 4, 4, 3], "", "Très bon accueil, merci !"),
    (3, True, "A2", [3, 4, 3, 2, None, 3, 2, 3, 4], "Marc", "Trop de réunions,\nle soir surtout."),
    (4, True, "A2", [4, 4, 2, 3, 3, 4, 3, 3, 3], "", ""),
    (5, True, "A3", [5, 4, 1, 5, 5, 5, 5, 4, 1], "Inès", "Le \"café\" du jeudi est top"),
    (6, True, "A1", [2, 3, 4, None, None, 2, 1, 2, 5], "", ""),
    (7, False, "A1", [3, 3, None, None, None, None, None, None, None], "Paul", ""),
    (8, True, "A3", [4, None, 2, 4, 4, 3, 4, 5, 2], "", ""),
    (9, True, "A1", [4, 4, 3, 3, 4, 4, 3, 3, 3], "", "RAS"),
    (10, True, "A2", [1, 2, 5, 2, 2, 3, 1, 1, 5], "", ""),
]


def _rows(full: bool) -> list[list[str]]:
    def head(code: str, text: str) -> str:
        return f"{code}. {text}" if full else code

    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate",
              "datestamp", "ipaddr", "refurl", head("G00Q01", "Vous êtes…"),
              head("G00Q02", "Votre prénom (facultatif)")]
    header += [head(c, t) for c, t in QUESTIONS.items()]
    header += [head("G02Q02", "Un commentaire ?"), "interviewtime"]
    out = [header]
    for rid, complete, college, answers, name, comment in RESPONSES:
        day = f"2024-05-{rid + 1:02d}"
        row = [str(rid), f"{day} 10:{rid + 10:02d}:07" if complete else "",
               "3" if complete else "1", "fr", str(1_000_003 * rid % 99_991),
               f"tk{rid * 7919 % 100_000:05d}Qz", f"{day} 10:0{rid % 10}:51",
               f"{day} 10:{rid + 10:02d}:07", f"192.168.12.{20 + rid}", "",
               COLLEGES[college] if full else college, name]
        for a in answers:
            row.append("" if a is None else (LABELS[a - 1] if full else f"AO0{a}"))
        row += [comment, f"{180 + 13 * rid}.25" if complete else ""]
        out.append(row)
    return out


def main() -> None:
    for name, full in (("limesurvey_codes.csv", False), ("limesurvey_full.csv", True)):
        with open(HERE / name, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(_rows(full))


if __name__ == "__main__":
    main()
