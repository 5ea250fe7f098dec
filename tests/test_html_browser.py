"""The interactive map and the report in a real browser (headless Chromium through Selenium).

Skipped with a message where no Chromium and chromedriver are found, except
when the environment variable ``CI`` is set: there the test fails instead, so
the browser check cannot silently disappear from continuous integration.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

import stakegraph as sg

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(f"browser test skipped: {reason} (install chromium and chromium-driver, and selenium)")


@pytest.fixture(scope="module")
def driver():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed")
    binary = os.environ.get("CHROME_BIN") or next(
        (shutil.which(b) for b in _BROWSERS if shutil.which(b)), None
    )
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if binary is None or chromedriver is None:
        _unavailable("no Chromium/Chrome binary or no chromedriver on the PATH")
    profile = tempfile.mkdtemp(prefix="stakegraph-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1500,950",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        d = webdriver.Chrome(service=Service(chromedriver), options=opts)
    except Exception as e:  # the browser is there but does not start
        _unavailable(f"Chromium did not start: {e}")
    d.set_page_load_timeout(60)
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _errors(d) -> list[dict]:
    return [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]


def _open(d, path: Path) -> None:
    d.get(path.resolve().as_uri())
    for _ in range(100):
        if d.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.05)


def _shot(d, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    d.save_screenshot(str(ARTIFACTS / name))


def test_interactive_map_in_chromium(driver, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    g = sg.datasets.load("bank")
    page = sg.export_html(g, tmp_path / "map.html", highlight=["us_am", "head_core_it", "cio", "ceo"])
    _open(driver, page)
    assert _errors(driver) == []
    assert driver.execute_script("return document.body.getAttribute('data-ready')") == "true"
    # every person is a node in the DOM and in the embedded data
    dom_ids = driver.execute_script(
        "return Array.from(document.querySelectorAll('g.sg-node')).map(n => n.getAttribute('data-id'))"
    )
    assert sorted(dom_ids) == sorted(g.people)
    data_ids = driver.execute_script(
        "return JSON.parse(document.getElementById('stakegraph-data').textContent).nodes.map(n => n.id)"
    )
    assert sorted(data_ids) == sorted(g.people)
    # hovering shows the person's details
    node = driver.find_element(By.CSS_SELECTOR, 'g.sg-node[data-id="cfo"]')
    ActionChains(driver).move_to_element(node).perform()
    tip = driver.find_element(By.ID, "sg-tooltip")
    assert tip.is_displayed()
    assert "Helen Park" in tip.text and "skeptic" in tip.text
    # clicking keeps them in the side panel, with their ties
    node.click()
    panel = driver.find_element(By.ID, "sg-details-body").text
    assert "Helen Park" in panel and "Chief Financial Officer" in panel and "advises" in panel
    _shot(driver, "interactive_map.png")
    # filters: hide the skeptics, then the formal chart
    n_skeptic = sum(1 for p in g.people.values() if p.stance.value == "skeptic")
    driver.find_element(By.CSS_SELECTOR, 'input[data-stance="skeptic"]').click()
    hidden = driver.execute_script("return document.querySelectorAll('g.sg-node.sg-hidden').length")
    assert hidden == n_skeptic
    driver.find_element(By.CSS_SELECTOR, 'input[data-layer="formal"]').click()
    visible_formal = driver.execute_script(
        "return Array.from(document.querySelectorAll('path.sg-reports_to, path.sg-dotted_line'))"
        ".filter(p => !p.classList.contains('sg-hidden')).length"
    )
    assert visible_formal == 0
    # the highlight can be switched off, and zoom changes the view
    assert driver.execute_script("return document.querySelectorAll('.sg-hl').length") >= 4
    before = driver.execute_script("return document.getElementById('sg-viewport').getAttribute('transform')")
    driver.find_element(By.ID, "sg-zoom-in").click()
    after = driver.execute_script("return document.getElementById('sg-viewport').getAttribute('transform')")
    assert before != after and "scale(1.3" in after
    driver.find_element(By.ID, "sg-search").send_keys("Lindqvist")
    matches = driver.execute_script(
        "return Array.from(document.querySelectorAll('g.sg-node.sg-match')).map(n => n.getAttribute('data-id'))"
    )
    assert matches == ["cio"]
    assert _errors(driver) == []


def test_report_in_chromium(driver, tmp_path):
    from selenium.webdriver.common.by import By

    g = sg.datasets.load("bank_later")
    page = sg.write_report(g, tmp_path / "report.html", previous=sg.datasets.load("bank"))
    _open(driver, page)
    assert _errors(driver) == []
    text = driver.execute_script("return document.body.textContent")
    for p in g.people.values():
        assert p.name in text
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#people tr[data-id]')).map(r => r.getAttribute('data-id'))"
    )
    assert sorted(rows) == sorted(g.people)
    svgs = driver.find_elements(By.CSS_SELECTOR, "section#map svg, section#grid svg")
    assert len(svgs) == 2 and all(s.size["width"] > 600 for s in svgs)
    _shot(driver, "report.png")


def test_interactive_map_of_beliefs_draws_stance_rings(driver, tmp_path):
    g = sg.datasets.load("bank")
    b = sg.fuse(g, seed=0)
    page = sg.export_html(g, tmp_path / "beliefs.html", beliefs=b)
    _open(driver, page)
    assert _errors(driver) == []
    ringed = driver.execute_script(
        "return Array.from(document.querySelectorAll('g.sg-node')).filter(n => n.querySelector('.sg-ring'))"
        ".map(n => n.getAttribute('data-id'))"
    )
    assert sorted(ringed) == sorted(b.stance_distribution)
    segments = driver.execute_script(
        "return document.querySelectorAll('g.sg-node[data-id=\"cfo\"] .sg-ring').length"
    )
    shares = [p for p in b.stance_distribution["cfo"].values() if p > 0.005]
    assert segments == len(shares)
    _shot(driver, "interactive_map_beliefs.png")


_HOSTILE_TEXT = [
    "</script><script>window.__pwned = 1</script>",
    "<!-- <script>window.__pwned = 2</script>",
    "<img src=x onerror='window.__pwned = 3'>",
    "a\u2028b\u2029c & \"quoted\" 'single' `tick`",
]


def test_no_name_or_note_runs_a_script_or_breaks_the_map(driver, tmp_path):
    g = sg.datasets.load("bank")
    for pid, text in zip(("cfo", "ceo", "cio", "coo"), _HOSTILE_TEXT):
        g.update_person(pid, name=text, title=text, notes=text)
    page = sg.export_html(g, tmp_path / "map.html")
    _open(driver, page)
    assert _errors(driver) == []
    assert driver.execute_script("return window.__pwned === undefined")
    assert driver.execute_script("return document.body.getAttribute('data-ready')") == "true"
    names = driver.execute_script(
        "return JSON.parse(document.getElementById('stakegraph-data').textContent).nodes"
        ".filter(n => ['cfo', 'ceo', 'cio', 'coo'].includes(n.id)).map(n => [n.id, n.label])"
    )
    # every name reaches the page as it was written (the label shows it with its title)
    for pid, label in names:
        assert g.person(pid).name.split()[0] in label
    assert len(driver.execute_script("return document.querySelectorAll('g.sg-node')")) == len(g.people)
    report = sg.write_report(g, tmp_path / "report.html")
    _open(driver, report)
    assert driver.execute_script("return window.__pwned === undefined")
    assert driver.execute_script("return document.querySelectorAll('img[src=x]').length") == 0
