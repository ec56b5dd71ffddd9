"""Serving a process: the web server loop and its graceful stop, logs and the access log."""
