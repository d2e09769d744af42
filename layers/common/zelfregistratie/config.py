"""Configuration from the environment, validated at cold start: a missing variable fails loudly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

S = TypeVar("S", bound="Settings")


class Settings(BaseModel):
    """Shared by every function. Field aliases are the environment variable names."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    table_name: str = Field(alias="TABLE_NAME", min_length=3)
    environment: Literal["ti", "prd", "local"] = Field(alias="ENVIRONMENT")
    public_base_url: str = Field(alias="PUBLIC_BASE_URL", pattern=r"^https?://[^\s/]+(/\S*)?$")

    @property
    def base_url(self) -> str:
        return self.public_base_url.rstrip("/")

    @classmethod
    def from_environment(cls: type[S], environ: Mapping[str, str] | None = None) -> S:
        return cls.model_validate(dict(os.environ if environ is None else environ))


class NotifySettings(Settings):
    sender: str = Field(alias="SES_SENDER", min_length=3)
    # Empty (the template's default) means: no configuration set.
    configuration_set: str = Field(default="", alias="SES_CONFIGURATION_SET")
