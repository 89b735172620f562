"""Showing an email's HTML in the console without letting it act on the console.

Streamlit's own HTML iframes run scripts with the console's origin, so email HTML goes in
as a `data:` URL instead (an opaque origin: nothing inside can reach the console's page
or cookies), sanitised with nh3 (no scripts, handlers or forms) and under a Content
Security Policy that forbids scripts and remote loads (no tracking pixels fire).
"""

from __future__ import annotations

import base64

import nh3
import streamlit as st

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()} | {"*": {"style"}}


def email_document(html: str) -> str:
    """`html` sanitised and wrapped in a document that may not run or load anything."""
    body = nh3.clean(
        html,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<base target="_blank"></head>'
        f'<body style="font-family:sans-serif;margin:0.5rem">{body}</body></html>'
    )


def email_frame_src(html: str) -> str:
    """The `data:` URL the frame loads."""
    encoded = base64.b64encode(email_document(html).encode()).decode()
    return f"data:text/html;charset=utf-8;base64,{encoded}"


def show_email_html(html: str, height: int = 420, title: str = "Email preview") -> None:
    """Render an email's HTML part inside its own sandboxed frame."""
    st.iframe(email_frame_src(html), height=height, alt=title)
