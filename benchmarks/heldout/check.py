#!/work/main/.venv/bin/python
"""Check a held-out YAML: cues found exactly once, codes known, counts sane; print per-type counts."""
import collections, re, sys, yaml
ET = set("""armed-clash government-regains-territory non-state-actor-overtakes-territory sexual-violence attack
abduction-forced-disappearance chemical-weapon air-drone-strike suicide-bomb shelling-artillery-missile-attack
remote-explosive-landmine-ied grenade peaceful-protest protest-with-intervention excessive-force-against-protesters
violent-demonstration mob-violence agreement arrests change-to-group-activity disrupted-weapons-use
headquarters-or-base-established looting-property-destruction non-violent-transfer-of-territory other""".split())
VI = set("""killing execution torture cruel-punishment arbitrary-detention enforced-disappearance hostage-taking
sexual-violence indiscriminate-attack attack-on-protected-objects prohibited-weapons forced-displacement pillage
child-recruitment restriction-of-movement persecution""".split())
AC = set("syrian-government russia iran-backed isis hts armed-opposition sdf coalition turkey israel unknown other".split())
OUT = set("killed injured detained abducted disappeared tortured displaced other".split())
errors, per_type, ids, n_inc = [], collections.Counter(), set(), 0
data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
for c in data["cases"]:
    cid = c.get("id"); text = c.get("text", "")
    if cid in ids: errors.append(f"{cid}: duplicate id")
    ids.add(cid)
    if c.get("lang") not in ("en", "ar"): errors.append(f"{cid}: lang")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(c.get("published", ""))): errors.append(f"{cid}: published")
    for g in c.get("incidents") or []:
        cue = g.get("cue", "")
        if text.count(cue) != 1: errors.append(f"{cid}: cue found {text.count(cue)} times: {cue!r}")
        if g.get("optional"): continue
        n_inc += 1
        for t in g.get("event_type") or []:
            if t not in ET: errors.append(f"{cid}: event type {t}")
        if not g.get("event_type"): errors.append(f"{cid}: no event_type for {cue!r}")
        per_type[(g.get("event_type") or ["?"])[0]] += 1
        for v in g.get("violations") or []:
            if v not in VI: errors.append(f"{cid}: violation {v}")
        p = g.get("perpetrators")
        if p is not None:
            if not (isinstance(p, list) and all(isinstance(a, list) for a in p)): errors.append(f"{cid}: perpetrators must be a list of lists")
            else:
                for a in p:
                    for x in a:
                        if x not in AC: errors.append(f"{cid}: actor {x}")
        v = g.get("victims")
        if v:
            if v.get("outcome") not in OUT: errors.append(f"{cid}: outcome {v.get('outcome')}")
            if "min" in v and not (isinstance(v["min"], int) and isinstance(v.get("max"), int) and v["min"] <= v["max"]): errors.append(f"{cid}: counts")
        loc = g.get("location")
        if loc and not loc.get("names"): errors.append(f"{cid}: location without names")
        if g.get("date") and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(g["date"])): errors.append(f"{cid}: date {g['date']}")
print(f"reports={len(data['cases'])} gold incidents={n_inc}")
for t in sorted(ET): print(f"  {per_type[t]:3d} {t}")
print("\n".join(errors) or "OK")
sys.exit(1 if errors else 0)
