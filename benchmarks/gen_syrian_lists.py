"""Three overlapping synthetic Syrian victim lists (Arabic and Latin script) with a ground-truth file.

Writes, with a fixed seed, three lists of 10,000 records each drawn from one population, the way
documentation groups' lists differ from each other:

* ``list_a.csv``: Arabic, the full name in one column (الاسم الكامل), age in Arabic-Indic or ASCII digits;
* ``list_b.csv``: Arabic, the name in parts (الاسم، اسم الأب، الكنية، اسم الأم), a birth year or an age;
* ``list_c.csv``: English, romanised names in the many spellings in use (Mohammed/Muhammad/Mhd…),
  sometimes family name first (``HALABI, Mohammed``), ages sometimes as a range.

Each record can carry the noise real lists carry: spelling variants (hamza, ta marbuta, alef maqsura,
harakat, tatweel), typos, a missing or swapped father's name, a changed name order, age off by a year
or two, a death date off by days or given as a month, a missing governorate. ``truth.csv`` gives the
person behind each record (list, record id, person id). The name pools are common Syrian names with
their usual romanisations, written for this benchmark.

    python benchmarks/gen_syrian_lists.py OUT_DIR [--size 10000] [--population 16000] [--seed 7]
"""
from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# Arabic name, romanisations (most common first). Weights fall with the position (common names first).
MALE = [
    ("محمد", ["Mohammed", "Muhammad", "Mohamad", "Mohammad", "Mohamed", "Mhd", "Muhammed"]),
    ("أحمد", ["Ahmad", "Ahmed"]), ("محمود", ["Mahmoud", "Mahmud", "Mahmood"]), ("علي", ["Ali", "Aly"]),
    ("خالد", ["Khaled", "Khalid"]), ("عمر", ["Omar", "Umar", "Omer"]), ("حسن", ["Hassan", "Hasan"]),
    ("حسين", ["Hussein", "Hussain", "Husain", "Houssein"]), ("يوسف", ["Youssef", "Yousef", "Yusuf", "Yousif"]),
    ("إبراهيم", ["Ibrahim", "Ebrahim", "Brahim"]), ("عبد الله", ["Abdullah", "Abdallah", "Abd Allah", "Abdulla"]),
    ("عبد الرحمن", ["Abdulrahman", "Abd al-Rahman", "Abdel Rahman", "Abdurrahman"]),
    ("مصطفى", ["Mustafa", "Moustafa", "Mostafa"]), ("عبد الكريم", ["Abdulkarim", "Abd al-Karim", "Abdelkarim"]),
    ("سعيد", ["Said", "Saeed", "Sa'id"]), ("فادي", ["Fadi", "Fady"]), ("أيمن", ["Ayman", "Aiman"]),
    ("وليد", ["Walid", "Waleed"]), ("سامر", ["Samer", "Samir"]), ("ماهر", ["Maher", "Mahir"]),
    ("بشار", ["Bashar", "Bachar"]), ("طارق", ["Tarek", "Tareq", "Tariq"]), ("جمال", ["Jamal", "Gamal"]),
    ("زياد", ["Ziad", "Ziyad", "Zyad"]), ("رامي", ["Rami", "Ramy"]), ("باسل", ["Basel", "Basil"]),
    ("عماد", ["Imad", "Emad"]), ("نور الدين", ["Nour al-Din", "Nureddin", "Nour Eddin"]),
    ("عبد القادر", ["Abdulkader", "Abd al-Qader", "Abdelkader"]), ("غياث", ["Ghiath", "Ghiyath", "Ghayath"]),
    ("قاسم", ["Qasim", "Kassem", "Qassem"]), ("جمعة", ["Jumaa", "Juma", "Jomaa"]),
    ("صالح", ["Saleh", "Salih"]), ("ياسر", ["Yasser", "Yaser", "Yasir"]), ("هيثم", ["Haitham", "Haytham"]),
    ("وائل", ["Wael", "Wa'il"]), ("إياد", ["Iyad", "Eyad"]), ("أنس", ["Anas"]), ("عثمان", ["Othman", "Osman", "Uthman"]),
    ("حمزة", ["Hamza", "Hamzeh"]), ("معاذ", ["Muaz", "Moaz", "Mu'adh"]), ("مازن", ["Mazen", "Mazin"]),
    ("نبيل", ["Nabil", "Nabeel"]), ("كمال", ["Kamal"]), ("فراس", ["Firas", "Feras"]), ("منير", ["Munir", "Mounir"]),
    ("عدنان", ["Adnan"]), ("ناصر", ["Nasser", "Naser"]), ("راتب", ["Rateb", "Ratib"]), ("حسام", ["Hussam", "Hosam"]),
    ("شادي", ["Shadi", "Chadi"]), ("مهند", ["Muhannad", "Mohanad"]), ("أسامة", ["Osama", "Usama", "Ousama"]),
    ("عبد العزيز", ["Abdulaziz", "Abd al-Aziz", "Abdelaziz"]), ("موسى", ["Mousa", "Musa", "Moussa"]),
    ("عيسى", ["Issa", "Eissa"]), ("رياض", ["Riyad", "Riad"]), ("سليمان", ["Suleiman", "Sulaiman", "Sleiman"]),
    ("منذر", ["Munther", "Monzer", "Mundhir"]), ("هشام", ["Hisham", "Hesham"]), ("أكرم", ["Akram"]),
]
FEMALE = [
    ("فاطمة", ["Fatima", "Fatma", "Fatimah"]), ("مريم", ["Maryam", "Mariam", "Mariyam"]),
    ("خديجة", ["Khadija", "Khadijah", "Khadeeja"]), ("زينب", ["Zainab", "Zeinab", "Zaynab"]),
    ("عائشة", ["Aisha", "Aicha", "Ayesha"]), ("نور", ["Nour", "Nur", "Noor"]), ("هدى", ["Huda", "Hoda"]),
    ("سعاد", ["Suad", "Souad"]), ("أمل", ["Amal"]), ("رنا", ["Rana"]), ("لينا", ["Lina", "Leena"]),
    ("آمنة", ["Amina", "Amneh", "Aminah"]), ("سلمى", ["Salma", "Selma"]), ("هالة", ["Hala"]),
    ("ياسمين", ["Yasmin", "Yasmine", "Jasmin"]), ("رهف", ["Rahaf"]), ("دعاء", ["Doaa", "Duaa", "Do'aa"]),
    ("إيمان", ["Iman", "Eman"]), ("سماح", ["Samah"]), ("نادية", ["Nadia", "Nadya"]), ("رغد", ["Raghad"]),
    ("بتول", ["Batoul", "Batul"]), ("حليمة", ["Halima", "Halimeh"]), ("غادة", ["Ghada"]),
]
FAMILY = [
    ("الحلبي", ["al-Halabi", "Halabi", "Alhalabi", "el-Halabi"]), ("الأحمد", ["al-Ahmad", "Al Ahmad", "Alahmad"]),
    ("الخطيب", ["al-Khatib", "Khatib", "Al-Khateeb"]), ("المصري", ["al-Masri", "Masri", "el-Masry"]),
    ("الشامي", ["al-Shami", "ash-Shami", "Shami", "Chami"]), ("الحمصي", ["al-Homsi", "Homsi", "Al Hamsi"]),
    ("العلي", ["al-Ali", "Al Ali", "Alali"]), ("الحسن", ["al-Hassan", "Al Hasan", "Alhassan"]),
    ("الحسين", ["al-Hussein", "Al Husain", "Alhussein"]), ("الخليل", ["al-Khalil", "Khalil"]),
    ("الزعبي", ["al-Zoubi", "az-Zoubi", "Zoubi", "Alzoubi", "al-Zu'bi"]), ("المحمد", ["al-Mohammad", "Almohamad"]),
    ("العمر", ["al-Omar", "Al Omar", "Alomar"]), ("الإبراهيم", ["al-Ibrahim", "Alibrahim"]),
    ("الصالح", ["al-Saleh", "as-Saleh", "Alsaleh"]), ("الحموي", ["al-Hamwi", "Hamwi", "al-Hamawi"]),
    ("الدمشقي", ["al-Dimashqi", "ad-Dimashqi", "Dimashqi"]), ("الرفاعي", ["al-Rifai", "ar-Rifai", "Rifai", "Refaai"]),
    ("النعيمي", ["al-Nuaimi", "an-Nuaimi", "Nuaimi", "al-Naimi"]), ("الجاسم", ["al-Jasem", "al-Jassim", "Jassem"]),
    ("قباني", ["Kabbani", "Qabbani", "Kabani"]), ("حداد", ["Haddad"]), ("عطار", ["Attar", "Al-Attar"]),
    ("شحادة", ["Shehadeh", "Shahada", "Chehade"]), ("سليمان", ["Suleiman", "Sleiman"]), ("ديب", ["Dib", "Deeb"]),
    ("حمدان", ["Hamdan"]), ("الأسعد", ["al-Asaad", "Alasaad"]), ("الطويل", ["al-Tawil", "at-Tawil", "Tawil"]),
    ("خضر", ["Khodr", "Khader", "Khidr"]), ("عيسى", ["Issa", "Eissa"]), ("نجار", ["Najjar", "Al-Najjar"]),
    ("أبو زيد", ["Abu Zeid", "Abou Zaid", "Abu Zaid"]), ("أبو الخير", ["Abu al-Khair", "Abulkheir"]),
    ("الكردي", ["al-Kurdi", "Kurdi"]), ("التركماني", ["al-Turkmani", "Turkmani"]), ("العبد الله", ["al-Abdullah",
                                                                                              "Al Abdallah"]),
    ("الشيخ", ["al-Sheikh", "ash-Sheikh", "Sheikh"]), ("السيد", ["al-Sayed", "as-Sayyid", "Sayed"]),
    ("البكور", ["al-Bakour", "Bakkour"]), ("الدرويش", ["al-Darwish", "Darwish"]), ("الحريري", ["al-Hariri", "Hariri"]),
    ("المقداد", ["al-Miqdad", "al-Mekdad", "Mokdad"]), ("الخالد", ["al-Khaled", "Alkhalid"]),
    ("السعدي", ["al-Saadi", "as-Sadi", "Saadi"]), ("الموسى", ["al-Mousa", "Almousa"]), ("القاسم", ["al-Qasim", "Alkassem"]),
    ("العثمان", ["al-Othman", "Alothman"]), ("الرحمون", ["al-Rahmoun", "Rahmoun"]), ("الجبوري", ["al-Jabouri", "Jubouri"]),
    ("الحسيني", ["al-Husseini", "Husseini"]), ("العمري", ["al-Omari", "Omari"]), ("الشهابي", ["al-Shihabi", "Chehabi"]),
    ("البيطار", ["al-Bitar", "Bitar", "Baytar"]), ("الحاج علي", ["al-Hajj Ali", "Haj Ali", "Alhaj Ali"]),
    ("كيالي", ["Kayyali", "Kayali"]), ("طه", ["Taha", "Taher"]), ("مراد", ["Murad", "Mourad"]),
    ("الفارس", ["al-Fares", "Alfaris"]), ("الحمود", ["al-Hamoud", "Hammoud"]), ("السقا", ["al-Saqqa", "Sakka"]),
    ("المصطفى", ["al-Mustafa", "Almoustafa"]), ("اليوسف", ["al-Yousef", "Alyousef"]), ("عرعور", ["Arour", "Aroor"]),
]
GOVERNORATES = [
    ("حلب", "Aleppo"), ("ريف دمشق", "Rif Dimashq"), ("حمص", "Homs"), ("إدلب", "Idlib"), ("درعا", "Daraa"),
    ("حماة", "Hama"), ("دير الزور", "Deir ez-Zor"), ("دمشق", "Damascus"), ("الرقة", "Raqqa"), ("اللاذقية", "Latakia"),
    ("الحسكة", "Hasakah"), ("القنيطرة", "Quneitra"), ("طرطوس", "Tartus"), ("السويداء", "Suwayda"),
]
LAQAB = [("أبو علي", "Abu Ali"), ("أبو أحمد", "Abu Ahmad"), ("أبو محمد", "Abu Mohammed"), ("أبو خالد", "Abu Khaled")]


@dataclass
class Person:
    pid: int
    sex: str
    given: int
    father: int
    grandfather: int
    family: int
    mother: int
    age: int
    died: date
    gov: int
    laqab: int | None


def _zipf(rng: random.Random, n: int, s: float = 1.0) -> int:
    weights = [1 / (i + 1) ** s for i in range(n)]
    return rng.choices(range(n), weights=weights)[0]


def population(rng: random.Random, size: int) -> list[Person]:
    people = []
    start = date(2011, 3, 15)
    for pid in range(1, size + 1):
        sex = "m" if rng.random() < 0.8 else "f"
        given = _zipf(rng, len(MALE) if sex == "m" else len(FEMALE), 0.9)
        age = min(90, max(0, int(rng.gauss(30, 15))))
        people.append(Person(
            pid=pid, sex=sex, given=given, father=_zipf(rng, len(MALE), 0.9), grandfather=_zipf(rng, len(MALE), 0.9),
            family=_zipf(rng, len(FAMILY), 0.6), mother=_zipf(rng, len(FEMALE), 0.8), age=age,
            died=start + timedelta(days=rng.randrange(0, 8 * 365)), gov=_zipf(rng, len(GOVERNORATES), 0.5),
            laqab=rng.randrange(len(LAQAB)) if sex == "m" and age > 25 and rng.random() < 0.05 else None))
    return people


# ---------------------------------------------------------------- spelling noise

_HAMZA = {"أ": "ا", "إ": "ا", "آ": "ا"}
_HARAKAT = "\u064e\u064f\u0650\u0651\u0652"


def arabic_variant(rng: random.Random, text: str) -> str:
    """How one clerk types a name: hamza dropped, ة as ه, ى as ي, some harakat or tatweel."""
    if rng.random() < 0.4:
        text = "".join(_HAMZA.get(ch, ch) for ch in text)
    if rng.random() < 0.3:
        text = text.replace("ة", "ه")
    if rng.random() < 0.3:
        text = text.replace("ى", "ي")
    if rng.random() < 0.15:
        text = text.replace("عبد ", "عبد")
    if rng.random() < 0.05:
        chars = list(text)
        i = rng.randrange(len(chars))
        if chars[i] != " ":
            chars.insert(i + 1, rng.choice(_HARAKAT))
        text = "".join(chars)
    if rng.random() < 0.03 and len(text) > 3:
        i = rng.randrange(1, len(text) - 1)
        if text[i] != " " and text[i - 1] != " ":
            text = text[:i] + "\u0640" + text[i:]
    return text


def typo(rng: random.Random, text: str, rate: float) -> str:
    if rng.random() >= rate or len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:
        return text[:i] + text[i + 1:]  # dropped letter
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]  # swapped letters
    return text[:i] + text[i] + text[i:]  # doubled letter


def _arabic_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def _age(rng: random.Random, p: Person) -> int:
    noise = rng.random()
    if noise < 0.15:
        return max(0, p.age + rng.choice((-1, 1)))
    if noise < 0.2:
        return max(0, p.age + rng.choice((-2, 2, -3, 3)))
    return p.age


def _date(rng: random.Random, p: Person) -> str:
    noise = rng.random()
    if noise < 0.08:
        return (p.died + timedelta(days=rng.choice((-3, -2, -1, 1, 2, 3)))).isoformat()
    if noise < 0.15:
        return p.died.isoformat()[:7]  # only the month known
    return p.died.isoformat()


def _parts(rng: random.Random, p: Person) -> tuple[list[int], bool]:
    """The name parts a list gives: given, father, (grandfather,) family; father missing or swapped."""
    given_pool_female = p.sex == "f"
    chain = [("g", p.given), ("f", p.father)]
    if rng.random() < 0.2:
        chain.append(("gf", p.grandfather))
    r = rng.random()
    if r < 0.12:
        chain = [c for c in chain if c[0] != "f"]  # father's name missing
    elif r < 0.15 and len(chain) >= 2:
        chain[0], chain[1] = chain[1], chain[0]  # given and father's name swapped
    return [c[1] if c[0] != "g" or not given_pool_female else -1 - c[1] for c in chain], given_pool_female


def _ar(idx: int) -> str:
    return FEMALE[-1 - idx][0] if idx < 0 else MALE[idx][0]


def _lat(rng: random.Random, idx: int) -> str:
    forms = FEMALE[-1 - idx][1] if idx < 0 else MALE[idx][1]
    return forms[0] if rng.random() < 0.5 else rng.choice(forms)


def record_a(rng: random.Random, p: Person, rid: str) -> dict[str, str]:
    chain, _ = _parts(rng, p)
    words = [arabic_variant(rng, _ar(i)) for i in chain] + [arabic_variant(rng, FAMILY[p.family][0])]
    name = typo(rng, " ".join(words), 0.06)
    if p.laqab is not None and rng.random() < 0.5:
        name = f"{name} ({LAQAB[p.laqab][0]})"
    age = str(_age(rng, p))
    return {"الرقم": rid, "الاسم الكامل": name, "الجنس": "ذكر" if p.sex == "m" else "أنثى",
            "العمر": _arabic_digits(age) if rng.random() < 0.4 else age,
            "المحافظة": "" if rng.random() < 0.1 else GOVERNORATES[p.gov][0], "تاريخ الوفاة": _date(rng, p)}


def record_b(rng: random.Random, p: Person, rid: str) -> dict[str, str]:
    chain, _ = _parts(rng, p)
    given = arabic_variant(rng, _ar(chain[0]))
    father = arabic_variant(rng, _ar(chain[1])) if len(chain) > 1 else ""
    row = {"الرقم": rid, "الاسم": typo(rng, given, 0.04), "اسم الأب": typo(rng, father, 0.04),
           "الكنية": typo(rng, arabic_variant(rng, FAMILY[p.family][0]), 0.04),
           "اسم الأم": arabic_variant(rng, FEMALE[p.mother][0]) if rng.random() < 0.5 else "",
           "الجنس": "ذكر" if p.sex == "m" else "أنثى", "العمر": "", "سنة الميلاد": "",
           "المحافظة": "" if rng.random() < 0.1 else GOVERNORATES[p.gov][0], "تاريخ الوفاة": _date(rng, p)}
    if rng.random() < 0.3:
        row["سنة الميلاد"] = str(p.died.year - p.age - rng.choice((0, 1)) + rng.choice((0, 0, 0, 1, -1)))
    else:
        row["العمر"] = str(_age(rng, p))
    return row


def record_c(rng: random.Random, p: Person, rid: str) -> dict[str, str]:
    chain, _ = _parts(rng, p)
    words = [_lat(rng, i) for i in chain]
    family_forms = FAMILY[p.family][1]
    family = family_forms[0] if rng.random() < 0.5 else rng.choice(family_forms)
    order = rng.random()
    if order < 0.12:
        name = f"{family.upper()}, {' '.join(words)}"
    elif order < 0.2:
        name = f"{family.upper()} {' '.join(words)}"
    else:
        name = " ".join(words + [family])
    name = typo(rng, name, 0.06)
    if p.laqab is not None and rng.random() < 0.5:
        name = f'{name} "{LAQAB[p.laqab][1]}"'
    age = _age(rng, p)
    age_text = f"{max(0, age - 2)}-{age + 3}" if rng.random() < 0.1 else str(age)
    return {"ID": rid, "Name": name, "Sex": "Male" if p.sex == "m" else "Female", "Age": age_text,
            "Governorate": "" if rng.random() < 0.1 else GOVERNORATES[p.gov][1], "Date of death": _date(rng, p)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--population", type=int, default=16_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    people = population(rng, args.population)
    args.out.mkdir(parents=True, exist_ok=True)
    truth: list[tuple[str, str, int]] = []
    for list_name, make in (("list_a", record_a), ("list_b", record_b), ("list_c", record_c)):
        chosen = rng.sample(people, args.size)
        rows = []
        for n, person in enumerate(chosen, 1):
            rid = f"{list_name[-1].upper()}{n:06d}"
            rows.append(make(rng, person, rid))
            truth.append((list_name, rid, person.pid))
        with (args.out / f"{list_name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    with (args.out / "truth.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["list", "record_id", "person_id"])
        writer.writerows(truth)
    print(f"wrote 3 lists of {args.size} records from {args.population} people to {args.out}")


if __name__ == "__main__":
    main()
