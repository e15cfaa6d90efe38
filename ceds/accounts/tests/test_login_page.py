"""The sign-in page says that accounts are by invitation, and links to no closed sign-up page."""


def test_sign_in_page_explains_invitations_instead_of_sign_up(client, db):
    text = client.get("/accounts/login/").content.decode()
    assert "Accounts are by invitation" in text
    assert "sign up" not in text.lower() and "/accounts/signup/" not in text
