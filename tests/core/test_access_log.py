"""`jinlin serve`'s access log: a line a request with the path and never its query string (a
search term is personal data), built by console.accesslog's lighter logger."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from jinlin.console.accesslog import ACCESS_LOG_FORMAT, AccessLogger


def _line(logger_class: type[Logger], capsys, **response) -> str:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", ACCESS_LOG_FORMAT)
    logger = logger_class(config)
    environ = {
        "REMOTE_ADDR": "10.0.0.7",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/people/search/",
        "QUERY_STRING": "q=张建国",
        "RAW_URI": "/people/search/?q=张建国",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_AUTHORIZATION": "Bearer secret-token",
    }
    request = SimpleNamespace(headers=[("AUTHORIZATION", "Bearer secret-token")])
    answer = SimpleNamespace(headers=[("Content-Type", "text/html")], **response)
    logger.access(answer, request, environ, timedelta(seconds=1, microseconds=234_567))
    for handler in logging.getLogger("gunicorn.access").handlers:
        handler.flush()
    return capsys.readouterr().out.strip()


def test_the_line_shows_who_what_how_it_went_and_how_long(capsys):
    line = _line(AccessLogger, capsys, status="200 OK", sent=39_293)
    assert line == '10.0.0.7 "GET /people/search/" 200 39293 1234ms'
    assert "张建国" not in line and "secret" not in line


def test_the_line_is_what_gunicorns_own_logger_writes(capsys):
    for response in ({"status": "404 Not Found", "sent": 0}, {"status": 302, "sent": None}):
        assert _line(AccessLogger, capsys, **response) == _line(Logger, capsys, **response)
