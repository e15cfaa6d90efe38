"""Every page names its icon, and /favicon.ico (asked for by browsers anyway) is served."""


def test_favicon_is_served_and_linked(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00", "a real ICO file"
    assert "max-age" in response["Cache-Control"]
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()
