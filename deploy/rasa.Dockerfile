# Rasa Open Source 3.6.21 (Python 3.10) with the trained dialogue model.
FROM python:3.10-slim
WORKDIR /app/bot
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
COPY bot/requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt psycopg2-binary redis
COPY bot/ ./
# the log masking (standard library only) that bot/logging.yml installs in Rasa's logging
COPY dvcbot/__init__.py dvcbot/logs.py /app/dvcbot/
ENV PYTHONPATH=/app
COPY deploy/endpoints.production.yml ./endpoints.production.yml
COPY deploy/credentials.production.yml ./credentials.production.yml
RUN rasa train core --fixed-model-name dvcbot --out models
EXPOSE 5005
# docker-compose.yml runs it with --auth-token from the environment and the masking logging config
CMD ["sh", "-c", "exec rasa run --enable-api --auth-token=\"$DVCBOT_RASA_TOKEN\" --model models/dvcbot.tar.gz --endpoints endpoints.production.yml --credentials credentials.production.yml --logging-config-file logging.yml --port 5005"]
