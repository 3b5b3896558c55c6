FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ingest ./ingest
COPY anthropic_sim ./anthropic_sim
COPY cypher ./cypher
RUN pip install --no-cache-dir . && useradd --create-home idgraph
USER idgraph
ENTRYPOINT ["idgraph"]
CMD ["run"]
