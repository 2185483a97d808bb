"""Base classes for request/response bodies: unknown fields are an error."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Request body base: unknown fields, wrong types and coercions are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, str_max_length=100_000)


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="ignore")
