#!/usr/bin/env bash
# Browser check of `sitrep report`: builds a store from the made-up campaign
# in tests/data/report, writes the HTML brief, opens it in headless Chromium
# (selenium + chromium-driver) and fails on any console message of level
# warning or worse, on any request that is not the file itself, or when the
# summary, the two drawings or the footnotes are missing. Leaves a screenshot
# in ${REPORT_SCREENSHOT:-/tmp/sitrep-report.png}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
PY=/usr/bin/python3
if [ "${SITREP_SKIP_BUILD:-0}" != 1 ]; then
  BUILD_DIR="$BUILD_DIR" bash scripts/build.sh >/dev/null
fi
BIN="$PWD/$BUILD_DIR/sitrep"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" ingest -q --db "$WORK/store.db" tests/data/report/campaign.jsonl
"$BIN" report --db "$WORK/store.db" --group haqqani --since 2012-03-01 --until 2012-05-31 \
  --boundaries tests/data/report/boxes.geojson -o "$WORK/brief.html"

# Nothing for the filter: said plainly, non-zero exit.
set +e
"$BIN" report --db "$WORK/store.db" --group haqqani --province Helmand -o "$WORK/none.html" 2>"$WORK/none.err"
status=$?
set -e
if [ "$status" -eq 0 ] || ! grep -q "nothing to report" "$WORK/none.err"; then
  echo "test-report: an empty filter should say so and exit non-zero (got $status)" >&2
  exit 1
fi

SHOT=${REPORT_SCREENSHOT:-/tmp/sitrep-report.png}
"$PY" - "$WORK/brief.html" "$SHOT" "$WORK/chrome-profile" <<'EOF'
import json, sys
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

page, shot, profile = sys.argv[1], sys.argv[2], sys.argv[3]
opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run",
          "--user-data-dir=" + profile, "--window-size=1100,900"]:
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
problems = []
try:
    url = "file://" + page
    # The browser's own start page logs its chrome:// resources: drop them.
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(url)
    # Network: every request the page made (the document itself is allowed),
    # and any request at all that would leave the machine.
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            params = msg["params"]
            req = params["request"]["url"]
            ours = params.get("documentURL") == url
            remote = req.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp")
            if (ours and req != url and not req.startswith("data:")) or remote:
                problems.append("network request: " + req)
    for entry in driver.get_log("browser"):
        if entry.get("level") in ("WARNING", "SEVERE"):
            problems.append("console %s: %s" % (entry["level"], entry["message"]))
    summary = driver.find_element(By.CSS_SELECTOR, "#summary p").text
    if "stepped up" not in summary or "14 raids" not in summary:
        problems.append("summary missing or wrong: " + summary[:200])
    svgs = driver.find_elements(By.CSS_SELECTOR, "svg")
    if len(svgs) != 2:
        problems.append("expected 2 drawings, found %d" % len(svgs))
    for s in svgs:
        r = s.rect
        if r["width"] < 300 or r["height"] < 150:
            problems.append("drawing too small: %r" % r)
    bars = driver.find_elements(By.CSS_SELECTOR, "#timeline rect")
    dots = driver.find_elements(By.CSS_SELECTOR, "#map circle")
    if len(bars) < 6 or len(dots) < 15:
        problems.append("timeline bars %d, map points %d" % (len(bars), len(dots)))
    notes = driver.find_elements(By.CSS_SELECTOR, "ol.notes > li")
    refs = driver.find_elements(By.CSS_SELECTOR, "#summary sup a")
    if not notes or len(refs) < len(notes):
        problems.append("footnotes: %d marks, %d notes" % (len(refs), len(notes)))
    for a in refs:
        target = a.get_attribute("href").split("#")[-1]
        if not driver.find_elements(By.ID, target):
            problems.append("footnote mark points nowhere: " + target)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1100, min(int(height), 2400))
    driver.save_screenshot(shot)
    print("test-report: %d footnote marks, %d notes, %d bars, %d points; screenshot %s"
          % (len(refs), len(notes), len(bars), len(dots), shot))
finally:
    driver.quit()
if problems:
    for p in problems:
        print("test-report: " + p, file=sys.stderr)
    sys.exit(1)
EOF
echo "test-report: HTML brief opens offline with no console errors and no requests"
