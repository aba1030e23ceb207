"""Writes local-survey-2025.sav: the twelve invented respondents of local-survey-2025.csv as
an SPSS system file, with value labels on `onveilig` (9 declared user-missing) and variable
labels, by ReadStat's writer (pyreadstat), so that Veilig's reader (ambers) is checked against
an independent writer. Respondent 4 answers 7, a code without a label (to be quarantined).
Run from testdata/survey: python3 r/make-local-survey-sav.py"""
import pandas as pd
import pyreadstat

rows = [
    (1, "13025", "MOL-01", 12.5, 2), (2, "13025", "MOL-02", 12.5, 4),
    (3, "13003", "BAL-01", 10.0, 1), (4, "13003", "BAL-02", 10.0, 7),
    (5, "13006", "DES-01", 8.0, 3), (6, "13006", "DES-02", 8.0, 2),
    (7, "13025", "MOL-03", 12.5, 5), (8, "13025", "MOL-01", 12.5, 9),
    (9, "13003", "BAL-03", 10.0, 1), (10, "13003", "BAL-03", 10.0, 2),
    (11, "13006", "DES-03", 8.0, 1), (12, "13025", "MOL-04", 12.5, 3),
]
df = pd.DataFrame(rows, columns=["nr", "gemeente", "wijk", "gewicht", "onveilig"])
pyreadstat.write_sav(
    df,
    "local-survey-2025.sav",
    column_labels=["Respondent", "Gemeente (NIS)", "Wijk", "Gewicht", "Onveiligheidsgevoel"],
    variable_value_labels={
        "onveilig": {1: "nooit", 2: "zelden", 3: "soms", 4: "vaak", 5: "altijd", 9: "geen antwoord"}
    },
    missing_ranges={"onveilig": [9]},
)
