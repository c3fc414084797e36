#!/bin/sh
# Re-extract every string a window can show (app/gui: tr(); app/core: QT_TRANSLATE_NOOP) into
# each catalogue relay_setup_<lang>.ts, then list the entries still to translate (exit 1 if any).
#   bash resources/translations/update.sh          (from anywhere; needs pyside6-lupdate on PATH)
# Translate the listed entries (Qt Linguist: pyside6-linguist FILE.ts, or an editor), run it again.
# The compiled .qm files (made here for the source tree, and by a wheel's or the one-file
# installer's build) are never committed.
set -eu
cd "$(dirname "$0")/../.."
# A new language: LANGS="de fr" bash resources/translations/update.sh makes relay_setup_fr.ts.
langs=$(for ts in resources/translations/relay_setup_*.ts; do
    if [ -e "$ts" ]; then basename "$ts" .ts | sed "s/^relay_setup_//"; fi
done)
for lang in $(echo ${LANGS:-} $langs | tr ' ' '\n' | sort -u); do
    pyside6-lupdate -silent -no-obsolete -locations none -extensions py -source-language en \
        -target-language "$lang" app/gui app/core -ts "resources/translations/relay_setup_$lang.ts"
done
python3 resources/translations/qmbuild.py >/dev/null  # .qm for running from this tree
exec python3 resources/translations/untranslated.py resources/translations/relay_setup_*.ts
