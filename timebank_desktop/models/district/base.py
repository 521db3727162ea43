"""The district's declarative base: its own metadata, the centre's naming convention."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from timebank_desktop.models.base import NAMING_CONVENTION

VERSION_TABLE = "district_alembic_version"


class DistrictBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
