"""The API docs page sits in the site's frame: header navigation, language switch and footer."""


def test_api_docs_have_site_navigation(client, db):
    text = client.get("/api/v1/docs/").content.decode()
    assert 'id="main-nav"' in text and 'href="/map/"' in text and 'class="site-footer' in text
    assert 'id="swagger-ui"' in text, "the docs themselves are still there"
