"""``make screenshots``: PNGs of the main pages in docs/screenshots/, for the README.

Runs the app on a scratch SQLite database with a demo practice, drives Debian's Chromium with
Playwright (no browser download), and writes landing, workspace with a result, history,
dashboard and API keys.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
NOTE = (ROOT / "benchmarks" / "sample_note.txt").read_text()
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{scratch}/screens.sqlite3",
            "CLAIMLENS_ENGINE": "rules",
            "ANTHROPIC_API_KEY": "",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "demo_setup")
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 860})
                page.goto("/")
                page.screenshot(path=OUT / "landing.png", full_page=True)
                page.goto("/accounts/login/")
                page.fill("#id_login", "demo@claimlens.local")
                page.fill("#id_password", "claimlens-demo")
                page.click("button[type=submit]")
                page.goto("/extract/")
                page.fill("#id_note", NOTE)
                page.click("text=Extract codes >> nth=-1")
                page.wait_for_selector(".code-chip")
                page.locator(".code-chip").nth(1).click()
                page.screenshot(path=OUT / "workspace.png", full_page=True)
                page.goto("/history/")
                page.screenshot(path=OUT / "history.png", full_page=True)
                page.goto("/dashboard/")
                page.screenshot(path=OUT / "dashboard.png", full_page=True)
                page.goto("/dashboard/api-keys/")
                page.screenshot(path=OUT / "api-keys.png", full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Screenshots written to {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
