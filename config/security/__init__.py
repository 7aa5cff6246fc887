"""Hardening that applies to every response and session (docs/security.md): the
Content-Security-Policy and the other browser headers (headers.py), idle and absolute
session timeouts (sessions.py), and /.well-known/security.txt (views.py)."""
