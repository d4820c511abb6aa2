#!/usr/bin/env python3
"""Builds our zh.json for Tasklist, Cockpit, Admin and Welcome from Camunda's en.json.

Each app's <app>.zh.tsv holds our translations (key TAB text). A key without one takes the translation of
the same English text from any of the four files (the apps share their login, header and error texts);
what is still left stays English, so every key exists and nothing shows a bare key.
Run after a Camunda upgrade:  python3 tools/webapp-locales/build.py [path/to/camunda-webapp-webjar.jar]
WebappLocalesTest fails when a key of en.json is missing here.
"""
import json, sys, zipfile, glob, os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
APPS = ["tasklist", "cockpit", "admin", "welcome"]
jar = sys.argv[1] if len(sys.argv) > 1 else sorted(glob.glob(os.path.expanduser(
    "~/.m2/repository/org/camunda/bpm/webapp/camunda-webapp-webjar/*/camunda-webapp-webjar-*.jar")))[-1]

def tsv(app):
    path = os.path.join(HERE, app + ".zh.tsv")
    out = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                key, _, text = line.partition("\t")
                out[key] = text.replace("\\n", "\n")
    return out

with zipfile.ZipFile(jar) as z:
    english = {app: json.loads(z.read("META-INF/resources/webjars/camunda/app/%s/locales/en.json" % app)
                               .decode("utf-8-sig")) for app in APPS}
ours = {app: tsv(app) for app in APPS}
memory = {}
for app in APPS:
    for key, text in ours[app].items():
        en = english[app]["labels"].get(key)
        if en is not None:
            memory.setdefault(en, text)
date_locales = json.load(open(os.path.join(HERE, "dateLocales.zh.json"), encoding="utf-8"))
for app in APPS:
    labels, done = {}, 0
    for key, en in english[app]["labels"].items():
        if key in ours[app]:
            labels[key] = ours[app][key]; done += 1
        elif en in memory:
            labels[key] = memory[en]; done += 1
        else:
            labels[key] = en
    out = {"dateLocales": date_locales, "labels": labels} if "dateLocales" in english[app] else {"labels": labels}
    target = os.path.join(ROOT, "src/main/resources/META-INF/resources/webjars/camunda/app", app, "locales", "zh.json")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
    print("%-8s %4d of %4d labels in Chinese" % (app, done, len(labels)))
