# The explorer's web app (gunicorn), for docker-compose.yml; see docs/neo4j.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (the layer is reused while pyproject.toml is unchanged).
COPY pyproject.toml README.md ./
COPY graph/ graph/
COPY loaders/ loaders/
COPY web/ web/
COPY gcx/ gcx/
COPY docs/cypher.md docs/cypher.md
RUN pip install --no-cache-dir .

COPY data/grand-challenges/ data/grand-challenges/
COPY docker/entrypoint.sh /usr/local/bin/gcx-entrypoint

RUN useradd --create-home --uid 10001 gcx \
    && chmod 0755 /usr/local/bin/gcx-entrypoint \
    && mkdir -p /app/var && chown gcx:gcx /app/var
USER 10001:10001

ENV GCX_DATASET=/app/data/grand-challenges \
    GCX_DB_PATH=/app/var/grand-challenges.lbug \
    PORT=8000
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/', timeout=4)"]

ENTRYPOINT ["gcx-entrypoint"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", "--timeout", "120", "--access-logfile", "-", "web:create_app()"]
