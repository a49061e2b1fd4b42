# Passerelle in a container: SQLite in the volume /app/var whatever .env says (relative paths are
# resolved there), a non-root user. See README « Docker ».
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY cogs ./cogs
COPY data ./data
# Editable install: the shipped data/ and the catalogs are read from /app, next to the code.
# The bytecode is compiled here: the user below cannot write it, and compiling Passerelle's
# modules at every start cost about half a second of CPU (bench/startup.py).
RUN pip install --no-cache-dir -e . \
    && python -m compileall -q bot cogs \
    && useradd --system --uid 10001 --user-group --home-dir /app/var --create-home passerelle

# The bot runs inside the volume: the default database is there, and so is any relative
# DATABASE_PATH an .env file gives (data/passerelle.db → /app/var/data/passerelle.db).
ENV DATABASE_PATH=/app/var/passerelle.db
VOLUME ["/app/var"]
WORKDIR /app/var
USER 10001:10001

# The web side (calendar feeds, public agenda page, /healthz, /metrics) is on in the image, on
# every interface of the container so that its port can be published (-p 127.0.0.1:8080:8080
# for a reverse proxy on the host). /metrics answers other machines only with METRICS_TOKEN.
ENV WEB_PORT=8080 \
    WEB_HOST=0.0.0.0
EXPOSE 8080
# Healthy: the database answers a write, the gateway is connected, reminders are on time.
HEALTHCHECK --interval=30s --timeout=15s --start-period=90s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

CMD ["python", "-m", "bot", "run"]
