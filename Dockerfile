FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
VOLUME ["/app/data"]
CMD ["python", "-m", "bot", "run"]
