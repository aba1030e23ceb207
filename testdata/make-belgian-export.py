#!/usr/bin/env python3
"""Writes belgian-export-100.csv: a synthetic 100-row export shaped like a Belgian zone's
(ISLP-style) incident list: ';'-separated, Windows-1252, decimal comma, dd/mm/yyyy hh:mm,
Lambert 72 (EPSG:31370) coordinates within about 3 km of the centre of Mol (L72 202259, 209343). Rows 20, 55 and 90 (file lines 21, 56, 91)
are malformed on purpose: an impossible date, a coordinate that is not a number, an empty
category. The content is invented; no real incident is described."""
import random

random.seed(31370)
cats = ["Diefstal in woning", "Fietsdiefstal", "Winkeldiefstal", "Slagen en verwondingen",
        "Vandalisme", "Drugs", "Overlast", "Verkeersongeval"]
mapping_to = {"Diefstal in woning": "woninginbraak"}
streets = ["Statiestraat", "Kerkstraat", "Molsebaan", "Rozenberg", "Peperstraat", "Gasthuisstraat",
           "Sint-Jozefslei", "Hoogbuul", "Zuiderring", "Corsendonkstraat"]
towns = ["Mol", "Balen", "Dessel"]
lines = ["PV-nummer;Feit;Begin feiten;Einde feiten;Registratie;Straat;Huisnummer;Gemeente;X;Y;Afhandeling"]
for i in range(1, 101):
    day = random.randint(1, 28); month = random.randint(1, 12); hour = random.randint(0, 22)
    begin = f"{day:02d}/{month:02d}/2024 {hour:02d}:{random.randint(0,59):02d}"
    end = f"{day:02d}/{month:02d}/2024 {hour+1:02d}:{random.randint(0,59):02d}" if i % 3 == 0 else ""
    reg = f"{min(day+1,28):02d}/{month:02d}/2024 09:15"
    x = 200000 + random.random() * 5000
    y = 207000 + random.random() * 4500
    xs = f"{x:.2f}".replace(".", ","); ys = f"{y:.2f}".replace(".", ",")
    cat = random.choice(cats)
    if i == 20:
        begin = "31/02/2024 10:00"          # no 31 February
    if i == 55:
        xs = "19x.552,10"                   # not a number
    if i == 90:
        cat = ""                            # category missing
    street = random.choice(streets)
    town = random.choice(towns)
    outcome = random.choice(["Geseponeerd", "Lopend onderzoek", "Verdachte geïdentificeerd", ""])
    lines.append(f"BDM.{2024}.{i:06d};{cat};{begin};{end};{reg};{street};{random.randint(1,180)};{town};{xs};{ys};{outcome}")
# A street with an accent, so the Windows-1252 decoding is checked.
lines[5] = lines[5].replace(lines[5].split(";")[5], "Rue de l'Église", 1)
with open("belgian-export-100.csv", "wb") as f:
    f.write(("\r\n".join(lines) + "\r\n").encode("windows-1252"))
