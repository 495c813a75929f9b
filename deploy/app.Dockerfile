# One image for the Python 3.11 services (NLU, actions, gateway); the command picks the service.
FROM python:3.11-slim
WORKDIR /app
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY alembic.ini ./
COPY alembic alembic
COPY dvcbot dvcbot
COPY knowledge_base knowledge_base
COPY nlu nlu
COPY actions actions
COPY gateway gateway
COPY routing routing
COPY voice voice
COPY data data
COPY bot/data bot/data
RUN pip install --no-cache-dir . \
 && dvcbot kb convert-model && dvcbot kb build && dvcbot nlu train
ENV DVCBOT_HOST=0.0.0.0 DVCBOT_ROOT=/app
