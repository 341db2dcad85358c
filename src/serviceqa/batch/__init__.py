"""Batch scoring at scale: a Source of chunks, a Runner that scores them (in this process,
on local processes, or on Dask), and a Sink that writes each chunk with its checkpoint.

    source = FileSource([Path("corpus.jsonl")])
    sink = JsonlSink(Path("out.jsonl"), job=batch_job(source, config), resume=False)
    summary = run_batch(source, SequentialRunner(), sink, config)
"""

from __future__ import annotations

import json
from typing import Any

from .checkpoint import Checkpoint, CheckpointError
from .job import progress_bar, run_batch
from .runners import DaskRunner, ProcessRunner, Runner, SequentialRunner, make_runner
from .sink import JsonlSink, ParquetSink, Sink, StoreSink
from .source import FileSource, Source, StoreSource
from .work import Chunk, ScoringConfig, score_items

ENGINES = ("sequential", "process", "dask")


def batch_job(source: Source, config: ScoringConfig) -> dict[str, Any]:
    """What a checkpoint must match to be resumed: the input and how it is scored, as
    plain JSON values (the engine and worker count may change between runs)."""
    job = {**source.describe(), "scorecard": config.scorecard,
           "overrides": config.overrides_json}
    if config.model_version is not None:  # a resume must score with the same model
        job["model"] = config.model_version
    loaded: dict[str, Any] = json.loads(json.dumps(job))
    return loaded


__all__ = ["ENGINES", "Checkpoint", "CheckpointError", "Chunk", "DaskRunner", "FileSource",
           "JsonlSink", "ParquetSink", "ProcessRunner", "Runner", "ScoringConfig",
           "SequentialRunner", "Sink", "Source", "StoreSink", "StoreSource", "batch_job",
           "make_runner", "progress_bar", "run_batch", "score_items"]
