# Rasa Open Source 3.6.21 (Python 3.10) with the trained dialogue model.
FROM python:3.10-slim
WORKDIR /app/bot
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
COPY bot/requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt psycopg2-binary redis
COPY bot/ ./
COPY deploy/endpoints.production.yml ./endpoints.production.yml
RUN rasa train core --fixed-model-name dvcbot --out models
EXPOSE 5005
CMD ["rasa", "run", "--enable-api", "--model", "models/dvcbot.tar.gz", "--endpoints", "endpoints.production.yml", \
     "--credentials", "credentials.yml", "--port", "5005"]
