"""Driving pages the way each kind of user does, and checking every page the journeys visit.

`Ui` has one method per user action. In "keyboard" mode every action reaches its control with the
Tab key (arrow keys inside a radio group) and operates it with Enter or Space, checking the focus
is visible on the way; "mouse" and "narrow" (320 px) click and type.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import FilePayload, Locator, Page

MODES = ("mouse", "keyboard", "narrow")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MAX_TABS = 80

FOCUS_IS_VISIBLE = """el => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && s.outlineColor !== 'rgba(0, 0, 0, 0)';
  return outline || s.boxShadow !== 'none';
}"""
PAGE_FACTS = """() => ({
  lang: document.documentElement.lang,
  title: document.title,
  levels: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1])),
  width: document.documentElement.scrollWidth,
  main: document.querySelectorAll('main').length,
})"""


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


class Ui:
    def __init__(self, page: Page, mode: str, axe_source: str, *, test_name: str) -> None:
        self.page = page
        self.mode = mode
        self.axe_source = axe_source
        self.test_name = test_name
        self.shots = 0

    @property
    def keyboard(self) -> bool:
        return self.mode == "keyboard"

    # --- checks on every page -------------------------------------------------------------
    def check(self, name: str) -> None:
        """axe-core (WCAG 2.0/2.1/2.2 A and AA), page basics, 320 px reflow, and a screenshot."""
        self.page.add_script_tag(content=self.axe_source)
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        self.screenshot(name)
        violations = result["violations"]
        assert not violations, (
            f"axe found problems on {self.page.url} ({name}):\n{format_violations(violations)}"
        )
        facts = self.page.evaluate(PAGE_FACTS)
        assert facts["lang"] == "en-GB"
        assert facts["title"].endswith("– Slivers"), facts["title"]
        assert facts["main"] == 1
        levels = facts["levels"]
        assert levels, "the page has no headings"
        assert levels[0] == 1, f"the first heading is not an h1: {levels}"
        assert levels.count(1) == 1, f"more than one h1: {levels}"
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), f"heading levels skip: {levels}"
        if self.mode == "narrow":
            assert facts["width"] <= 320, f"{self.page.url} scrolls sideways at 320 px ({facts['width']} px)"

    def screenshot(self, name: str) -> Path:
        self.shots += 1
        path = SCREENSHOTS / self.mode / f"{self.test_name}-{self.shots:02d}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path

    # --- actions ------------------------------------------------------------------------------
    def open(self, path: str) -> int:
        response = self.page.goto(path)
        assert response is not None
        return response.status

    def tab_to(self, target: Locator) -> None:
        """Press Tab until the target has the focus; fail if the keyboard cannot reach it."""
        handle = target.element_handle()
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("el => document.activeElement === el", handle):
                assert self.page.evaluate(FOCUS_IS_VISIBLE, handle), "the focus is not visible"
                return
        raise AssertionError(f"{target} cannot be reached with the Tab key")

    def fill(self, label: str, value: str, *, paste: bool = False) -> None:
        """Type the value (or, with `paste`, put it in at once as pasting would: long text)."""
        field = self.page.get_by_label(label, exact=True)
        if self.keyboard:
            self.tab_to(field)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.press("Delete")
            if value and paste:
                self.page.keyboard.insert_text(value)
            elif value:
                self.page.keyboard.type(value)
        else:
            field.fill(value)

    def choose(self, label: str, option: str) -> None:
        """Choose an option of a drop-down list by its text (with the arrow keys in keyboard mode)."""
        field = self.page.get_by_label(label, exact=True)
        if not self.keyboard:
            field.select_option(label=option)
            return
        texts = [text.strip() for text in field.locator("option").all_inner_texts()]
        target = texts.index(option)
        self.tab_to(field)
        for _ in range(len(texts)):
            current = int(field.evaluate("el => el.selectedIndex"))
            if current == target:
                return
            self.page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
        raise AssertionError(f"could not choose {option!r} in {label!r} with the arrow keys")

    def untick(self, label: str, *, group: str | None = None) -> None:
        scope = self.page.get_by_role("group", name=group, exact=True) if group else self.page
        box = scope.get_by_label(label, exact=True)
        if not self.keyboard:
            box.uncheck()
            return
        self.tab_to(box)
        if box.is_checked():
            self.page.keyboard.press("Space")
        assert not box.is_checked()

    def upload(self, label: str, name: str, mime_type: str, content: bytes) -> None:
        """Choose a file for a file field (in keyboard mode: Space on the field opens the chooser)."""
        field = self.page.get_by_label(label, exact=True)
        payload = FilePayload(name=name, mimeType=mime_type, buffer=content)
        if not self.keyboard:
            field.set_input_files(payload)
            return
        with self.page.expect_file_chooser() as chooser:
            self.tab_to(field)
            self.page.keyboard.press("Space")
        chooser.value.set_files(payload)

    def tick(self, label: str, *, group: str | None = None) -> None:
        """Tick a checkbox or choose a radio button (in the fieldset whose legend is `group`)."""
        scope = self.page.get_by_role("group", name=group, exact=True) if group else self.page
        box = scope.get_by_label(label, exact=True)
        if not self.keyboard:
            box.check()
            return
        if box.get_attribute("type") == "radio":
            name = box.get_attribute("name")
            first = self.page.locator(f"input[type=radio][name='{name}']").first
            checked = self.page.locator(f"input[type=radio][name='{name}']:checked")
            self.tab_to(checked if checked.count() else first)
            for _ in range(10):
                if box.is_checked():
                    return
                self.page.keyboard.press("ArrowDown")
            raise AssertionError(f"could not choose {label!r} with the arrow keys")
        self.tab_to(box)
        if not box.is_checked():
            self.page.keyboard.press("Space")
        assert box.is_checked()

    def press(self, button: str | re.Pattern[str]) -> None:
        """Press a button that submits a form, and wait for the next page."""
        target = self.page.get_by_role("button", name=button, exact=isinstance(button, str)).first
        with self.page.expect_navigation():
            if self.keyboard:
                self.tab_to(target)
                self.page.keyboard.press("Enter")
            else:
                target.click()

    def follow(self, link: str | re.Pattern[str]) -> None:
        target = self.page.get_by_role("link", name=link, exact=isinstance(link, str)).first
        with self.page.expect_navigation():
            if self.keyboard:
                self.tab_to(target)
                self.page.keyboard.press("Enter")
            else:
                target.click()
