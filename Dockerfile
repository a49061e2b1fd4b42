FROM python:3.11-slim
WORKDIR /app
COPY . .
# Editable install: the shipped data/ and the catalogs are read from /app.
RUN pip install --no-cache-dir -e .
# The database lives apart from the shipped data/ so that a volume never hides the glossary.
ENV DATABASE_PATH=/app/var/passerelle.db
VOLUME ["/app/var"]
CMD ["python", "-m", "bot", "run"]
