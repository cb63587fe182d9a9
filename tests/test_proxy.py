"""The documented deployment's proxy (``deploy/Caddyfile``, the ``proxy`` service of
docker-compose.yml), run for real: Caddy in front of a stand-in upstream, serving the test's media.

- the upstream sees the visitor's address in X-Forwarded-For, and only it (what the visitor sent
  in that header is dropped): with the compose file's TRUSTED_PROXY_COUNT the portal reads it;
- an image uploaded in the admin is served by the proxy at its rendition's URL; documents are not
  served from /media/ (they go through Django's permission checks at /documents/).

Needs Debian's ``caddy``: skipped without it locally, a failure in CI.
"""

import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PILImage

from django.core.files.base import ContentFile
from django.test import RequestFactory, override_settings
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from relations.security import client_ip
from tests.test_deployment import compose_trusted_proxy_count

ROOT = Path(__file__).resolve().parent.parent
CADDY = shutil.which("caddy")

pytestmark = pytest.mark.skipif(
    not CADDY and os.environ.get("CI") != "true", reason="caddy is not installed (Debian: caddy)"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Upstream(BaseHTTPRequestHandler):
    """Stands in for gunicorn: records the headers of each request it gets."""

    seen = []

    def do_GET(self):  # noqa: N802 -- http.server's name
        Upstream.seen.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"upstream")

    def log_message(self, *args):
        pass


@pytest.fixture
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    Upstream.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(tmp_path, upstream, settings):
    """Caddy with the repository's Caddyfile, on plain HTTP, media from the test's MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SITE_ADDRESS": f"http://127.0.0.1:{port}",
        "PORTAL_UPSTREAM": f"127.0.0.1:{upstream}",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "CADDY_ADMIN": f"127.0.0.1:{free_port()}",
    }
    log = (tmp_path / "caddy.log").open("w")
    process = subprocess.Popen(  # noqa: S603 -- the repository's Caddyfile, fixed arguments
        [CADDY, "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail((tmp_path / "caddy.log").read_text())
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def get(port, path, headers=None, source="127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_the_portal_sees_the_visitors_address_through_the_proxy(proxy):
    response, _ = get(proxy, "/fr/", headers={"X-Forwarded-For": "6.6.6.6"}, source="127.0.0.2")
    assert response.status == 200
    (headers,) = Upstream.seen
    assert headers["X-Forwarded-For"] == "127.0.0.2"  # the forged address is dropped
    assert headers["X-Forwarded-Proto"] == "http"  # "https" behind TLS
    # What gunicorn gets: the proxy's address as REMOTE_ADDR, the visitor's in the header.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=headers["X-Forwarded-For"]
    )
    with override_settings(PORTAL_TRUSTED_PROXY_COUNT=compose_trusted_proxy_count()):
        assert client_ip(request) == "127.0.0.2"


def jpeg(width=640, height=480):
    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (9, 87, 151)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_uploaded_image_is_served_at_its_rendition_url(proxy, client, admin_user):
    client.force_login(admin_user)
    upload = ContentFile(jpeg(), name="seoul.jpg")
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Séoul", "file": upload, "collection": Collection.get_first_root_node().pk},
    )
    assert response.status_code == 302, response.content[:2000]
    image = get_image_model().objects.get(title="Séoul")
    rendition = image.get_rendition("fill-320x200")
    assert rendition.url.startswith("/media/images/")

    response, body = get(proxy, rendition.url)
    assert response.status == 200
    assert response.getheader("Content-Type") == "image/jpeg"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert PILImage.open(BytesIO(body)).size == (320, 200)
    response, body = get(proxy, image.file.url)
    assert response.status == 200 and PILImage.open(BytesIO(body)).size == (640, 480)
    assert Upstream.seen == []  # served from the volume, not by the portal
    assert get(proxy, "/media/images/missing.jpg")[0].status == 404


@pytest.mark.django_db
def test_documents_are_not_served_from_the_media_folder(proxy):
    document = get_document_model().objects.create(
        title="Note interne", file=ContentFile(b"%PDF-1.4 private", name="note.pdf")
    )
    assert document.file.url.startswith("/media/documents/")
    response, body = get(proxy, document.file.url)
    assert response.status == 404
    assert b"private" not in body
