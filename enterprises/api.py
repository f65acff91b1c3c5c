"""This app's API routes, added to the portal's router by fuyang_portal/api/urls.py."""


def register(router):
    pass
