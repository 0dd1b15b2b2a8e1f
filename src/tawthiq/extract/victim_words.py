"""Words around a victim noun that say who it is, whether anything befell them, and how many:
first-person testimony ("they arrested me", "اعتقلوني"), a source ("according to her relatives",
"وأكد ناشطون أن"), a charge ("accused of kidnapping", "بتهمة"), the place struck ("a residential
building", "حي سكني") or the body someone belongs to ("a member of the local council"). Used by
``victims.py``; each pattern is general vocabulary of Syrian reporting, in English and Arabic."""
from __future__ import annotations

import re

from .lexicon import tolerate_diacritics
from .word_index import WordStartPattern

# "injuring both", "killing them": the group named before the verb
PLURAL_OBJECT = re.compile(r"\s+(?:them|both(?: of them)?|all of them)\b", re.IGNORECASE)
# "ويقول ناشطون إن …", "وأفاد أهالي بأن …": a reporting verb before its subject, then what was said
AR_SOURCE_BEFORE = re.compile(r"(?<!\S)[وف]?(?:قال|قالت|يقول|تقول|اكد|اكدت|يؤكد|تؤكد|افاد|افادت|يفيد|ذكر|ذكرت|يذكر|"
                              r"روى|يروي|اشار|اوضح|تحدث)\s+$")
AR_SOURCE_AFTER = re.compile(r"\S*\s+(?:\S+\s+)?(?:ان|بان|لـ?\S+|:)")
# A demonstration, a sit-in, a march: the people in it carry no arms
PROTEST = re.compile(r"\b(?:demonstrat(?:ion|ions|ors?)|protest(?:s|ers?|ors?)?|sit-ins?|rall(?:y|ies)|marchers|vigil)\b|"
                     r"(?:مظاهر|متظاهر|تظاهر|اعتصام|وقفه احتجاجيه|احتجاج)", re.IGNORECASE)
PROTEST_OUTCOMES = frozenset({"killed", "injured", "detained", "abducted", "disappeared"})
# "a member of the Deir ez-Zor Civil Council", "عضو في المجلس المحلي": a civil body's members carry no arms
CIVIL_COUNCIL = re.compile(r"\s+(?:of|from|in)\s+(?:the\s+|our\s+|their\s+|its\s+)?(?:[\w'’-]+\s+){0,3}?"
                           r"(?:civil|local|municipal|city|town|village)\s+council\b|\s+of\s+our\s+council\b|"
                           r"\s+(?:في|من)\s+(?:ال)?مجلس\s+(?:ال)?(?:مدني|محلي)", re.IGNORECASE)
# "according to her relatives": who reports, not who suffered
EN_SOURCE_BEFORE = re.compile(r"\baccording to\s+(?:the\s+|his\s+|her\s+|their\s+|local\s+)?(?:\w+\s+)?$", re.IGNORECASE)
# "three protesters, one of them a lawyer", "أحدهم ناشط": one of a group already counted
ONE_OF_THEM = re.compile(r"(?:\bone of (?:them|whom)|(?<!\S)(?:احدهم|احداهم|احدهما|احداهن|احداهما))[\s,،]+"
                         r"(?:(?:was|is|an?|the)\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
# Places where people live, buy or learn, and weapons that choose no target
CIVILIAN_SITE = re.compile(
    r"\b(?:residential|neighbou?rhoods?|homes?|houses?|market(?:place)?s?|souq|schools?|hospitals?|bakery|bakeries|"
    r"bread queue|restaurants?|mosques?|camps? for (?:the )?displaced|chlorine|sarin|toxic gas|poison(?:ous)? gas)\b|"
    r"(?<!\S)(?:[وفبل]?(?:ال)?(?:حي|احياء|سكني|سكنيه|منزل|منازل|سوق|اسواق|مدرسه|مدارس|مشفي|مستشفي|فرن|مخبز|مسجد|جامع|"
    r"مخيم)|غاز\S* (?:الكلور|السارين|سام)|الكلور|السارين)(?!\S)", re.IGNORECASE)
# Fighting, positions, a front: the dead may be fighters, the kind stays unknown
ARMED_SITE = re.compile(r"\b(?:clash(?:es)?|battles?|fighting|front(?:line)?s?|positions?|bases?|headquarters|checkpoints?|"
                        r"convoy|barracks|airport|depot)\b|(?<!\S)[وفبل]?(?:ال)?(?:اشتباك\S*|معارك|معركه|جبه\S*|"
                        r"مواقع|موقع|مقر|مقرات|حاجز|ثكنه|مطار|رتل|خط التماس)(?!\S)", re.IGNORECASE)
# "fighter jets", "rebel positions", "rebel-held", "Martyrs' Square": a person's word naming a thing
NOUN_AS_ADJECTIVE = re.compile(r"-(?:held|controlled)\b|['’]s?\s+(?:square|cemetery|graveyard|street|roundabout|brigade|"
                               r"battalion|mosque|school)\b|(?:\s+|-)(?:jets?|planes?|aircraft|bombers?|helicopters?|positions?|areas?|"
                               r"territory|territories|strongholds?|lines?|vehicles?|convoys?|headquarters|bases?|"
                               r"checkpoints?|posts?|barracks|fortifications?|offensive|advance)\b", re.IGNORECASE)
# "accused of kidnapping", "بتهمة الخطف": a charge, nothing that befell anyone here
ACCUSED_OF = re.compile(r"\b(?:accused of|accusing (?:him|her|them) of|charged with|on (?:the )?charges? of|suspected of|convicted of)\s+(?:\w+\s+)?$|"
                        + tolerate_diacritics(r"(?<!\S)(?:بتهمه|بتهم|يتهم\S*|تتهم\S*|متهم\S*|باتهام\S*|اتهام\S*)\s+(?:\S+\s+){0,4}(?:ال)?$"),
                        re.IGNORECASE)
# "a family of six", "عائلة مؤلفة من سبعة أفراد": English, then Arabic
FAMILY_OF = (re.compile(r"\s+of\s+", re.IGNORECASE),
              re.compile(r"\s+(?:كامله\s+)?(?:(?:مؤلفه|مكونه|تتالف|تتكون)\s+)?من\s+"))
# a sentence stop
PUNCT_STOP = re.compile(r"[.;!?؟؛]")
# "a displaced family": after an article, an outcome word is an adjective
DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|one|many|several|some|these|those|their)\s+$", re.IGNORECASE)
EN_ADJECTIVE_CUE = re.compile(r"displaced", re.IGNORECASE)
# "a sniper shot him", "اعتقلوه": one person as the verb's object
ONE_OBJECT = (
    WordStartPattern.wrap(re.compile(r"\b(?:(?P<killed>killed|executed|assassinated|murdered|stabbed to death|beat to death)|(?P<detained>arrested|detained)"
               r"|(?P<abducted>kidnapped|abducted)|(?P<injured>whipped|flogged|lashed|beat|stabbed|wounded|injured)"
               r"|(?P<act>shot|took|seized|snatched))\s+(?:him|her)\b", re.IGNORECASE)),
    re.compile(r"(?<![\u0621-\u064a])[وف]?" + tolerate_diacritics(
        r"(?:(?P<killed>قتلوه|قتلوها|اعدموه|اعدموها|اغتالوه|قتلته|اعدمته|اغتالته)"
        r"|(?P<detained>اعتقلوه|اعتقلوها|احتجزوه|اعتقلته|اعتقلتها|احتجزته|احتجزتها)"
        r"|(?P<abducted>خطفوه|خطفوها|اختطفوه|اختطفوها|خطفته|خطفتها|اختطفته|اختطفتها)"
        r"|(?P<injured>ضربوه|ضربوها|جلدوه|جلدوها|طعنوه|طعنوها|(?:انهالوا|انهال|ينهالون)\s+(?:عليه|عليها)\s+(?:بالضرب|ضربا))"
        r"|(?P<act>اخدوه|اخذوه|اقتادوه|اقتادوها|قوصوه))") + r"(?![\u0621-\u064a])"),
)
# "bodies of 7 people", "جثث أربعة رجال": what may stand between a toll noun and its count
INNER_BEFORE = re.compile(r"\s+(?:of\s+)?(?:the\s+)?|\s+(?:من\s+)?")
# "Fatalities: 2", "القتلى: 3": a toll written as a label and its figure
LABEL_COUNT = re.compile(r"\s*:\s*")
# "beat a man to death", "ضربوه حتى الموت": whatever the verb, the one it fell on died
TO_DEATH = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:to death|until (?:he|she) died|حتي (?:الموت|فارق الحياه|الوفاه))", re.IGNORECASE)
# "they arrested me", "اعتقلوني": in a testimony the witness is the one person it befell
FIRST_PERSON_OBJECT = {
    "en": re.compile(r"\b(?:(?P<detained>arrested|detained)|(?P<abducted>kidnapped|abducted)"
                     r"|(?P<taken>seized|picked up|took|came for|dragged|drove|blindfolded|handcuffed|hooded))\s+me\b"
                     r"|\bput\s+(?P<taken__>a\s+(?:bag|hood|sack|blindfold))\s+(?:over|on)\s+my\s+(?:head|face|eyes)\b"
                     r"|\bI\s+was\s+(?:\w+\s+)?(?:(?P<detained_>arrested|detained)|(?P<abducted_>kidnapped|abducted))\b"
                     r"|\b(?P<other>raped)\s+(?:and\s+\w+\s+)?(?:me|her|him)\b",
                     re.IGNORECASE),
    "ar": re.compile(r"(?<![\u0621-\u064a])[وف]?(?:(?P<detained>اعتقلوني|اعتقلني|احتجزوني|احتجزني|اوقفوني)"
                     r"|(?P<abducted>خطفوني|اختطفوني|خطفني|اختطفني)"
                     r"|(?P<taken>اقتادوني|اخدوني|اخذوني|سحبوني|ساقوني|جروني|كلبشوني|طمشوني|زجوني)|(?P<other>اغتصبني|اغتصبوني|اغتصبها|اغتصبوها))"
                     r"(?![\u0621-\u064a])"),
}
# "ordered the three of us down", "نحن الثلاثة": the witness counts everyone it befell, themselves included
US_COUNT = {
    "en": re.compile(r"\b(?:all\s+)?the\s+(?P<n>two|three|four|five|six|seven|eight|nine|ten)\s+of\s+us\b", re.IGNORECASE),
    "ar": re.compile(r"(?<![\u0621-\u064a])(?:نحن|احنا|كنا)\s+(?:ال)?(?P<n>اثنين|اثنان|ثلاثه|اربعه|خمسه|سته|سبعه|ثمانيه|تسعه|عشره)"
                     r"(?![\u0621-\u064a])"),
}
US_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
              "اثنين": 2, "اثنان": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6, "سبعه": 7, "ثمانيه": 8, "تسعه": 9,
              "عشره": 10}
HELD_OUTCOMES = frozenset({"detained", "abducted", "disappeared"})
# "my father and me": the witness beside a person named
AND_ME = re.compile(r"\s*\band me\b", re.IGNORECASE)
# "members of the gang", "عناصر من عصابة": criminals, neither fighters nor plainly civilians
CRIMINAL_BODY = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?(?:gang|smuggling (?:ring|network)|criminal)\b|"
                           r"\s+(?:من\s+)?(?:ال)?عصاب", re.IGNORECASE)
# "جلدوه أربعين جلدة", "whipped him forty times", "fired 20 shells": a count of lashes, times, munitions or
# buildings after a result word counts no people
NOT_PEOPLE_AFTER = re.compile(r"\s*(?:lash(?:es)?|times|bullets|rounds|shells|rockets|missiles|strikes|raids|hours|days|"
                              r"minutes|houses|homes|buildings|vehicles|cars|shops|tents)\b|\s*(?:جلده|جلدات|مره|مرات|"
                              r"طلقه|طلقات|رصاصه|رصاصات|قذيفه|قذائف|صاروخا?|صواريخ|غاره|غارات|ساعه|ساعات|يوما?|ايام|"
                              r"دقيقه|دقائق|منزلا?|منازل|مبني|مباني|سياره|سيارات|محلا?|محلات|خيمه|خيام)(?![\u0621-\u064a])",
                              re.IGNORECASE)
