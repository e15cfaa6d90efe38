from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"


def test_api_docs_render_under_the_strict_csp(browser, live_server, screenshot, transactional_db):
    # A context that enforces the CSP (the shared fixture bypasses it for axe).
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".swagger-ui .opblock").count() >= 30
    assert page.get_by_text("CeDS API").first.is_visible()
    screenshot(page, "api-docs")
    assert not problems, problems
    context.close()


def test_a_coordinator_creates_and_revokes_a_token(page, screenshot, world):
    sign_in(page, "a_coordinator@example.org", PASSWORD)
    page.goto("/me/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("open data sync")
    page.get_by_role("button", name="Create").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("ceds_")
    screenshot(page, "token-created")
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    # The token works for a script, then stops working once revoked.
    api = page.context.request
    assert api.get("/api/v1/assessments/", headers={"Authorization": f"Bearer {secret}"}).status == 200
    page.get_by_role("button", name="Revoke open data sync").click()
    assert page.get_by_text("The token open data sync is revoked.").is_visible()
    assert api.get("/api/v1/assessments/", headers={"Authorization": f"Bearer {secret}"}).status == 401
    screenshot(page, "token-revoked")


def test_open_data_page(page, screenshot, world):
    page.goto("/open-data/")
    assert page.get_by_role("heading", name="Open data").is_visible()
    screenshot(page, "open-data")
    violations = run_axe(page)
    assert not violations, format_violations(violations)
