#!/usr/bin/env python3
"""Browser test of the sitrep dashboard in headless Chromium (Debian's chromium
+ chromium-driver, python3-selenium). Usage: browser_test.py URL [--provinces N]
[--screenshot DIR]. The server must already run against a store built from
tests/serve/data/releases.jsonl. Exit 0 when every check passes."""
import argparse
import json
import os
import sys
import tempfile
import time
from urllib.parse import urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
        print("ok   " + what)
    else:
        failures.append(what)
        print("FAIL " + what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--provinces", type=int, default=0, help="expected province polygons (0: no boundaries)")
    ap.add_argument("--screenshot", default=tempfile.gettempdir())
    args = ap.parse_args()
    base = args.url.rstrip("/")

    profile = tempfile.mkdtemp(prefix="sitrep-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run",
              "--disable-default-apps", "--disable-extensions", "--window-size=1400,1300",
              "--user-data-dir=" + profile,
              # Anything but loopback fails to resolve; the performance log still records the attempt.
              "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = ChromeService(executable_path="/usr/bin/chromedriver")
    d = webdriver.Chrome(options=opts, service=service)
    d.set_page_load_timeout(90)
    wait = WebDriverWait(d, 60)

    def idle():
        wait.until(lambda drv: drv.execute_script(
            "return document.body.getAttribute('data-loading') === '0'"))

    def totals():
        return [d.find_element(By.ID, i).get_attribute("data-total")
                for i in ("map-count", "timeline-count", "table-count")]

    try:
        t0 = time.time()
        d.get(base + "/")
        idle()
        wait.until(lambda drv: len(drv.find_elements(By.CSS_SELECTOR, "#events tbody tr")) > 0)
        wait.until(lambda drv: len(drv.find_elements(By.CSS_SELECTOR, ".cl-marker")) > 0)
        ready = time.time() - t0
        nav = d.execute_script(
            "var n = performance.getEntriesByType('navigation')[0];"
            "return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd};")
        print("page load: DOMContentLoaded %.0f ms, load %.0f ms, data drawn %.0f ms"
              % (nav["dcl"], nav["load"], ready * 1000))
        rows = d.find_elements(By.CSS_SELECTOR, "#events tbody tr")
        check(len(rows) >= 5, "table shows the events (%d rows)" % len(rows))
        markers = d.find_elements(By.CSS_SELECTOR, ".cl-marker")
        check(len(markers) > 0, "map draws clustered markers (%d)" % len(markers))
        segs = d.find_elements(By.CSS_SELECTOR, "#timeline rect.seg")
        check(len(segs) > 0, "timeline draws stacked bars (%d segments)" % len(segs))
        if args.provinces:
            provs = d.find_elements(By.CSS_SELECTOR, "path.prov")
            check(len(provs) == args.provinces, "map draws %d province polygons (got %d)"
                  % (args.provinces, len(provs)))
            filled = d.execute_script(
                "return Array.prototype.filter.call(document.querySelectorAll('path.prov'),"
                " function (p) { return p.getAttribute('fill') !== '#f4f4f2'; }).length")
            check(filled > 0, "choropleth colours provinces with events (%d)" % filled)
        before = totals()
        check(len(set(before)) == 1 and before[0] not in (None, "0"),
              "map, timeline and table agree on the total (%s)" % before)

        # A filter changes map, timeline and table alike and lands in the URL.
        Select(d.find_element(By.ID, "f-group")).select_by_value("taliban")
        wait.until(lambda drv: "group=taliban" in drv.current_url)
        idle()
        after = totals()
        check(len(set(after)) == 1 and int(after[0]) < int(before[0]),
              "group filter changes all three counts consistently (%s -> %s)" % (before[0], after))
        url = d.current_url
        d.get(url)
        idle()
        check(Select(d.find_element(By.ID, "f-group")).first_selected_option.get_attribute("value") == "taliban"
              and totals() == after, "the filtered view survives a reload from its URL")

        # Sorting by a column.
        d.find_element(By.CSS_SELECTOR, "#events th[data-sort=province]").click()
        wait.until(lambda drv: "sort=province" in drv.current_url)
        idle()
        provs_col = [r.find_elements(By.TAG_NAME, "td")[3].text
                     for r in d.find_elements(By.CSS_SELECTOR, "#events tbody tr")]
        check(provs_col == sorted(provs_col), "table sorts by province %s" % provs_col)

        # Clicking an event shows its sentence highlighted in the document.
        d.get(base + "/")
        idle()
        d.find_elements(By.CSS_SELECTOR, "#events tbody tr")[0].click()
        mark = wait.until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#panel .doc mark.ev"))
        text = mark[0].text
        doc = d.find_element(By.CSS_SELECTOR, "#panel .doc").text
        check(len(text) > 20 and text in doc, "clicked event shows its evidence sentence highlighted: %r" % text[:80])
        check("event=" in d.current_url, "the open event is kept in the URL")
        sources = d.find_elements(By.CSS_SELECTOR, "#panel .source-doc")
        check(len(sources) >= 1, "event panel lists its sources (%d)" % len(sources))
        d.save_screenshot(os.path.join(args.screenshot, "sitrep-serve-dashboard.png"))

        # The merged event (two reports of the Kunduz detention) links both sources.
        d.get(base + "/?province=Kunduz")
        idle()
        d.find_elements(By.CSS_SELECTOR, "#events tbody tr")[0].click()
        wait.until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#panel .doc mark.ev"))
        n = len(d.find_elements(By.CSS_SELECTOR, "#panel .source-doc"))
        check(n == 2, "merged event links every source (%d)" % n)
        d.find_elements(By.CSS_SELECTOR, "#panel .source-doc")[1].click()
        wait.until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#panel .doc[data-doc=serve-007] mark.ev"))
        check(True, "second source opens with its own sentence highlighted")

        # Hostile document: its markup is shown as text and nothing runs.
        d.get(base + "/?province=Helmand&sort=date&order=desc")
        idle()
        d.find_elements(By.CSS_SELECTOR, "#events tbody tr")[0].click()
        wait.until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#panel .doc[data-doc=serve-hostile]"))
        doc = d.find_element(By.CSS_SELECTOR, "#panel .doc").text
        src_title = d.find_element(By.CSS_SELECTOR, "#panel .source-doc").text
        check("<script>window.__pwned=3</script>" in doc, "hostile <script> shows as text in the document")
        check("<script>" in src_title, "hostile title shows as text")
        for el in d.find_elements(By.CSS_SELECTOR, "#panel .doc mark, #panel .doc"):
            try:
                webdriver.ActionChains(d).move_to_element(el).perform()
            except Exception:
                pass
        state = d.execute_script(
            "return {pwned: window.__pwned === undefined ? null : window.__pwned,"
            " scripts: document.scripts.length, imgs: document.querySelectorAll('img[src=x]').length,"
            " b: document.querySelectorAll('.doc b, .doc script, .doc img').length,"
            " jsLinks: document.querySelectorAll('a[href^=javascript]').length}")
        check(state["pwned"] is None and state["imgs"] == 0 and state["b"] == 0 and state["jsLinks"] == 0
              and state["scripts"] == 5, "nothing from the hostile document runs or becomes markup %s" % state)
        d.save_screenshot(os.path.join(args.screenshot, "sitrep-serve-hostile.png"))

        # Claim check page.
        d.get(base + "/?view=claims&claim=" + "2+raids+in+Kunduz+and+Takhar+provinces+since+March+1")
        res = wait.until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#claim-result .holds, #claim-result .fails"))
        check(len(d.find_elements(By.CSS_SELECTOR, "#claim-result table.claim-parts tbody tr")) >= 2,
              "claim check shows its parts (%s)" % res[0].text)
        d.save_screenshot(os.path.join(args.screenshot, "sitrep-serve-claims.png"))

        # Group graph.
        d.get(base + "/?view=groups")
        wait.until(lambda drv: len(drv.find_elements(By.CSS_SELECTOR, "#graph circle.node")) >= 3)
        edges = d.find_elements(By.CSS_SELECTOR, "#graph line.edge")
        check(len(edges) >= 2, "group graph draws nodes and relations (%d edges)" % len(edges))
        d.save_screenshot(os.path.join(args.screenshot, "sitrep-serve-groups.png"))

        # No console errors, no request off this machine.
        logs = d.get_log("browser")
        errors = [l for l in logs if l.get("level") == "SEVERE"]
        check(not errors, "no console errors %s" % [e.get("message") for e in errors][:5])
        hosts = set()
        nreq = 0
        for entry in d.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                u = msg["params"]["request"]["url"]
                if urlparse(u).scheme not in ("http", "https", "ws", "wss", "ftp"):
                    continue  # data:, chrome:// (the browser's own pages)
                nreq += 1
                hosts.add(urlparse(u).hostname)
        check(nreq > 0 and hosts <= {"127.0.0.1", "localhost"},
              "%d requests, all to loopback (%s)" % (nreq, sorted(h or "" for h in hosts)))
    except Exception as e:  # noqa: BLE001
        failures.append("exception: %r" % e)
        print("FAIL exception: %r" % e)
        try:
            d.save_screenshot(os.path.join(args.screenshot, "sitrep-serve-failure.png"))
        except Exception:
            pass
    finally:
        d.quit()
    print("%d passed, %d failed" % (passed, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
